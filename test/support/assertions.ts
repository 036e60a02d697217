import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Returns the problem code of an RFC 9457 body: the last segment of its `type`. */
export function problemCode(body: { type?: string } | null): string | undefined {
  return body?.type?.replace('urn:secusign:problem:', '');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lists every file below `root`, temp files included, as sorted slash-separated relative paths. */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/'))
    .sort();
}
