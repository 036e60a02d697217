import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { DocumentStorage, StorageObjectNotFoundError, StorageSizeLimitError, type WriteOptions, type WriteResult } from './document-storage';
import { parseStorageKey } from './storage-key';

/**
 * DocumentStorage on a local folder: a key is a path below `root`. Writes stream to a temp
 * file next to the target (`.<name>.<random>.tmp`), fsync it, then `rename` it over the
 * target, so a reader never sees a partial object.
 */
export class FilesystemDocumentStorage extends DocumentStorage {
  readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async write(key: string, source: Readable | Buffer, options: WriteOptions = {}): Promise<WriteResult> {
    // A source can fail before the copy loop starts reading it. The stream keeps that error for
    // the loop to throw, but without a listener the 'error' event would crash the process.
    const ignoreEarlyError = () => undefined;
    if (!Buffer.isBuffer(source)) {
      source.on('error', ignoreEarlyError);
    }
    try {
      return await this.writeFile(key, source, options);
    } finally {
      if (!Buffer.isBuffer(source)) {
        source.off('error', ignoreEarlyError);
      }
    }
  }

  private async writeFile(key: string, source: Readable | Buffer, options: WriteOptions): Promise<WriteResult> {
    const path = this.pathOf(key);
    const directory = dirname(path);
    await mkdir(directory, { recursive: true });

    const tempPath = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(tempPath, 'wx', 0o600);
    let tempOpen = true;
    try {
      const result = await copyToFile(handle, source, options);
      await handle.sync();
      await handle.close();
      tempOpen = false;
      await rename(tempPath, path);
      await syncDirectory(directory);

      return result;
    } catch (error) {
      if (tempOpen) {
        await handle.close().catch(() => undefined);
      }
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const fromPath = this.pathOf(fromKey);
    const toPath = this.pathOf(toKey);
    await mkdir(dirname(toPath), { recursive: true });
    try {
      await rename(fromPath, toPath);
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new StorageObjectNotFoundError(fromKey) : error;
    }
    await syncDirectory(dirname(toPath));
    if (dirname(fromPath) !== dirname(toPath)) {
      await syncDirectory(dirname(fromPath));
    }
  }

  async read(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    // Opening first turns a missing file into StorageObjectNotFoundError instead of a stream error.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new StorageObjectNotFoundError(key) : error;
    });

    return handle.createReadStream();
  }

  async readBuffer(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new StorageObjectNotFoundError(key) : error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return false;
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  /** Returns the absolute path of a key. parseStorageKey guarantees that it stays below `root`. */
  private pathOf(key: string): string {
    return join(this.root, ...parseStorageKey(key));
  }
}

async function copyToFile(handle: FileHandle, source: Readable | Buffer, { maxBytes, signal }: WriteOptions): Promise<WriteResult> {
  signal?.throwIfAborted();
  const hash = createHash('sha256');
  let size = 0;
  const destroySource = () => {
    if (!Buffer.isBuffer(source)) {
      source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('The write was aborted.'));
    }
  };
  signal?.addEventListener('abort', destroySource, { once: true });

  try {
    for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
      signal?.throwIfAborted();
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += bytes.length;
      if (maxBytes !== undefined && size > maxBytes) {
        throw new StorageSizeLimitError(maxBytes);
      }
      hash.update(bytes);
      await writeAll(handle, bytes);
    }
    signal?.throwIfAborted();
  } finally {
    signal?.removeEventListener('abort', destroySource);
  }

  return { size, sha256: hash.digest('hex') };
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable by an fsync of the directory that contains the new entry. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
