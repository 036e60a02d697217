import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { createTestClient, TestClient } from './support/clients';
import { request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { listFiles, sha256 } from './support/assertions';

const CORPUS = resolve(__dirname, '..', '..', 'shared', 'corpus');

interface CorpusFile {
  file: string;
  class: string;
  expected: string;
}

/** Reads the corpus manifest: a TSV whose header names the columns. */
function readManifest(): CorpusFile[] {
  const [header, ...lines] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  const columns = header.split('\t');

  return lines.map((line) => {
    const cells = line.split('\t');
    const row = Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));

    return { file: row.file, class: row.class, expected: row.expected };
  });
}

/**
 * Problem code expected for each class of file the platform must reject. A new rejected class
 * in the manifest fails its test until its code is added here.
 */
const REJECTION_CODE_OF_CLASS: Record<string, { status: number; code: string }> = {
  'zero-byte': { status: 422, code: 'document_empty' },
  'not-a-pdf': { status: 415, code: 'document_not_pdf' },
  'encrypted-user-password': { status: 422, code: 'document_password_protected' },
  corrupt: { status: 422, code: 'document_damaged' },
};

/** Page count according to poppler's pdfinfo, an oracle independent of the upload code. */
function pdfinfoPages(path: string): number {
  const output = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const match = /^Pages:\s+(\d+)$/m.exec(output);
  if (!match) {
    throw new Error(`pdfinfo printed no page count for ${path}`);
  }

  return Number(match[1]);
}

const manifest = readManifest();
const accepted = manifest.filter((row) => row.expected === 'sign-ok' || row.expected === 'sign-ok-after-repair');
const rejected = manifest.filter((row) => row.expected === 'refuse-clear-error');

describe('corpus uploads', () => {
  let testApp: TestApp;
  let database: PgClient;
  let client: TestClient;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    database = new PgClient({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    client = await createTestClient(testApp);
  });

  afterAll(async () => {
    await database.end();
    await testApp.close();
  });

  async function createTransaction(): Promise<string> {
    const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { name: 'Corpus' } });
    expect(response.status).toBe(201);

    return response.body.uid as string;
  }

  /** Uploads `bytes` as a raw `application/pdf` body or as the `file` part of a multipart form. */
  function upload(uid: string, file: string, bytes: Buffer, form: 'multipart' | 'raw') {
    if (form === 'raw') {
      return request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, {
        authorization: client.authorization,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file}"` },
        body: new Uint8Array(bytes),
      });
    }
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), file);

    return request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, { authorization: client.authorization, body });
  }

  it('lists files of every expected outcome', () => {
    expect(manifest.length).toBeGreaterThan(0);
    expect(manifest.filter((row) => !['sign-ok', 'sign-ok-after-repair', 'refuse-clear-error'].includes(row.expected))).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
  });

  describe.each(['raw', 'multipart'] as const)('%s upload', (form) => {
    it.each(accepted.map((row) => [row.file, row] as const))('accepts %s', async (_file, row) => {
      const path = join(CORPUS, row.file);
      const bytes = readFileSync(path);
      const uid = await createTransaction();

      const response = await upload(uid, row.file, bytes, form);

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe(row.file);
      expect(response.body.document.pages).toBe(pdfinfoPages(path));
      const [stored] = (
        await database.query('select document_sha256, document_original_sha256, document_normalization, document_size from transactions where uid = $1', [uid])
      ).rows;
      expect(stored.document_original_sha256).toBe(sha256(bytes));
      if (row.expected === 'sign-ok') {
        // A file the engine can sign as it is must be stored untouched: rewriting it would break an existing signature.
        expect(stored.document_normalization).toBe('none');
        expect(response.body.document.sha256).toBe(sha256(bytes));
      } else {
        expect(stored.document_normalization).not.toBe('none');
        expect(response.body.document.sha256).not.toBe(sha256(bytes));
      }
      const original = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/document?version=original`, { authorization: client.authorization });
      expect(original.status).toBe(200);
      expect(sha256(original.body)).toBe(sha256(bytes));
      expect(original.body.length).toBe(bytes.length);
      expect(response.body.document.original_sha256).toBe(sha256(bytes));
      expect(response.body.document.normalization).toBe(stored.document_normalization);
    });

    it.each(rejected.map((row) => [row.file, row] as const))('rejects %s with its reason', async (_file, row) => {
      const expected = REJECTION_CODE_OF_CLASS[row.class];
      expect(expected).toBeDefined();
      const uid = await createTransaction();
      const filesBefore = listFiles(testApp.storageDir);

      const response = await upload(uid, row.file, readFileSync(join(CORPUS, row.file)), form);

      expect(response.status).toBe(expected.status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe(`urn:secusign:problem:${expected.code}`);
      expect(response.body.detail.length).toBeGreaterThan(10);
      expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
      const [stored] = (await database.query('select document_sha256 from transactions where uid = $1', [uid])).rows;
      expect(stored.document_sha256).toBeNull();
    });
  });
});
