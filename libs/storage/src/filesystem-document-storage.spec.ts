import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { InvalidStorageKeyError, StorageObjectNotFoundError, StorageSizeLimitError } from './document-storage';
import { FilesystemDocumentStorage } from './filesystem-document-storage';

/** Lists every file below `root` (temp files included) as slash-separated relative paths. */
function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/'))
    .sort();
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('FilesystemDocumentStorage', () => {
  let root: string;
  let storage: FilesystemDocumentStorage;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'secusign-storage-spec-'));
    storage = new FilesystemDocumentStorage(root);
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a buffer and reads it back', async () => {
    const bytes = Buffer.from('%PDF-1.7 hello');

    const result = await storage.write('transactions/a/original-1.pdf', bytes);

    expect(result).toEqual({ size: bytes.length, sha256: sha256(bytes) });
    expect(await storage.readBuffer('transactions/a/original-1.pdf')).toEqual(bytes);
    expect(await storage.exists('transactions/a/original-1.pdf')).toBe(true);
    expect(listFiles(root)).toEqual(['transactions/a/original-1.pdf']);
  });

  it('streams a readable and hashes every chunk', async () => {
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(3, 2), Buffer.alloc(100_000, 3)];

    const result = await storage.write('doc.pdf', Readable.from(chunks));

    expect(result.size).toBe(170_003);
    expect(result.sha256).toBe(sha256(Buffer.concat(chunks)));
    const stream = await storage.read('doc.pdf');
    const read: Buffer[] = [];
    for await (const chunk of stream) {
      read.push(chunk as Buffer);
    }
    expect(Buffer.concat(read)).toEqual(Buffer.concat(chunks));
  });

  it('replaces an existing object', async () => {
    await storage.write('doc.pdf', Buffer.from('first'));
    await storage.write('doc.pdf', Buffer.from('second'));

    expect((await storage.readBuffer('doc.pdf')).toString()).toBe('second');
    expect(listFiles(root)).toEqual(['doc.pdf']);
  });

  it('leaves nothing when the source fails midway', async () => {
    const source = new PassThrough();
    const writing = storage.write('transactions/a/doc.pdf', source);
    source.write(Buffer.alloc(10_000, 7));
    await new Promise((resolve) => setImmediate(resolve));
    source.destroy(new Error('connection reset'));

    await expect(writing).rejects.toThrow('connection reset');
    expect(listFiles(root)).toEqual([]);
    expect(await storage.exists('transactions/a/doc.pdf')).toBe(false);
  });

  it('leaves nothing when aborted midway', async () => {
    const source = new PassThrough();
    const controller = new AbortController();
    const writing = storage.write('doc.pdf', source, { signal: controller.signal });
    source.write(Buffer.alloc(10_000, 7));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('client went away'));

    await expect(writing).rejects.toThrow('client went away');
    expect(listFiles(root)).toEqual([]);
  });

  it('keeps the previous object when a replacement fails', async () => {
    await storage.write('doc.pdf', Buffer.from('previous'));
    const source = new PassThrough();
    const writing = storage.write('doc.pdf', source);
    source.write(Buffer.from('partial replacement'));
    await new Promise((resolve) => setImmediate(resolve));
    source.destroy(new Error('aborted'));

    await expect(writing).rejects.toThrow('aborted');
    expect((await storage.readBuffer('doc.pdf')).toString()).toBe('previous');
    expect(listFiles(root)).toEqual(['doc.pdf']);
  });

  it('rejects a source longer than maxBytes', async () => {
    const writing = storage.write('doc.pdf', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 });

    await expect(writing).rejects.toBeInstanceOf(StorageSizeLimitError);
    expect(listFiles(root)).toEqual([]);
  });

  it('accepts a source of exactly maxBytes', async () => {
    const result = await storage.write('doc.pdf', Buffer.alloc(1000), { maxBytes: 1000 });

    expect(result.size).toBe(1000);
  });

  it.each(['../escape.pdf', 'a/../../escape.pdf', '/etc/passwd', 'a//b.pdf', 'a/./b.pdf', '.hidden', 'a\\..\\b', '', 'a/b/'])(
    'rejects key %j',
    async (key) => {
      await expect(storage.write(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.readBuffer(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.deletePrefix(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      expect(listFiles(root)).toEqual([]);
    },
  );

  it('reports a missing object', async () => {
    await expect(storage.read('missing.pdf')).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(storage.readBuffer('missing.pdf')).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    expect(await storage.exists('missing.pdf')).toBe(false);
    await expect(storage.delete('missing.pdf')).resolves.toBeUndefined();
  });

  it('moves an object to another folder', async () => {
    await storage.write('incoming/upload.pdf', Buffer.from('bytes'));

    await storage.move('incoming/upload.pdf', 'transactions/a/original.pdf');

    expect(listFiles(root)).toEqual(['transactions/a/original.pdf']);
    expect((await storage.readBuffer('transactions/a/original.pdf')).toString()).toBe('bytes');
  });

  it('rejects moving a missing object', async () => {
    await expect(storage.move('incoming/missing.pdf', 'transactions/a/original.pdf')).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(storage.move('incoming/x.pdf', '../escape.pdf')).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it('deletes every object under a prefix', async () => {
    await storage.write('transactions/a/one.pdf', Buffer.from('1'));
    await storage.write('transactions/a/nested/two.pdf', Buffer.from('2'));
    await storage.write('transactions/ab/three.pdf', Buffer.from('3'));

    await storage.deletePrefix('transactions/a');

    expect(listFiles(root)).toEqual(['transactions/ab/three.pdf']);
  });
});
