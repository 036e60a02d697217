import type { Readable } from 'node:stream';

export interface WriteOptions {
  /** Largest accepted size in bytes; a longer source fails with StorageSizeLimitError and nothing is stored. */
  maxBytes?: number;
  /** Aborts the write; the partial file is removed. */
  signal?: AbortSignal;
}

export interface WriteResult {
  /** Bytes written. */
  size: number;
  /** Lowercase hex SHA-256 of the bytes written. */
  sha256: string;
}

/** Raised by `write` when the source is longer than `maxBytes`; nothing was stored. */
export class StorageSizeLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The content is larger than the limit of ${maxBytes} bytes.`);
    this.name = 'StorageSizeLimitError';
  }
}

/** Raised for a key that is empty, absolute or contains `..`, `.` or empty segments. */
export class InvalidStorageKeyError extends Error {
  constructor(readonly key: string) {
    super(`Storage key "${key}" is invalid: use relative, slash-separated segments without "." or "..".`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** Raised by `read` and `readBuffer` for a key with no stored object. */
export class StorageObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object has the key "${key}".`);
    this.name = 'StorageObjectNotFoundError';
  }
}

/**
 * Binary object store for documents, keyed by relative slash-separated paths such as
 * `transactions/<uid>/original-<random>.pdf`. Also the dependency-injection token: inject
 * `DocumentStorage` and the module provides the configured implementation.
 */
export abstract class DocumentStorage {
  /**
   * Stores `source` under `key`, replacing any object there. The write is atomic: readers see
   * the previous object or the complete new one, and a failed or aborted write stores nothing.
   */
  abstract write(key: string, source: Readable | Buffer, options?: WriteOptions): Promise<WriteResult>;

  /**
   * Moves an object to another key, replacing any object there; atomic like `write`.
   * Throws StorageObjectNotFoundError when `fromKey` has no object.
   */
  abstract move(fromKey: string, toKey: string): Promise<void>;

  /** Opens a stream of the object; throws StorageObjectNotFoundError when it is missing. */
  abstract read(key: string): Promise<Readable>;

  abstract readBuffer(key: string): Promise<Buffer>;

  abstract exists(key: string): Promise<boolean>;

  /** Deletes the object; deleting a missing key is not an error. */
  abstract delete(key: string): Promise<void>;

  /** Deletes every object whose key starts with the folder `prefix` (for example `transactions/<uid>`). */
  abstract deletePrefix(prefix: string): Promise<void>;
}
