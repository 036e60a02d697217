import { InvalidStorageKeyError } from './document-storage';

/** A segment never starts with a dot, which keeps keys apart from the writer's temp files. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Splits a storage key into its segments after checking it: relative, slash-separated,
 * each segment made of letters, digits, `.`, `_` or `-` and not starting with a dot (so never `.` or `..`).
 * Throws InvalidStorageKeyError otherwise, so no key can point outside the storage root.
 */
export function parseStorageKey(key: string): string[] {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) {
    throw new InvalidStorageKeyError(String(key));
  }
  const segments = key.split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new InvalidStorageKeyError(key);
    }
  }

  return segments;
}
