import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ClientRequest, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { createTestClient, TestClient } from './support/clients';
import { request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { listFiles } from './support/assertions';

const MAX_UPLOAD_BYTES = 1024 * 1024;
const PLAIN_PDF = readFileSync(resolve(__dirname, '..', '..', 'shared', 'corpus', 'plain-pdf14-openoffice.pdf'));
/** Far more than the socket buffers can absorb, so a writer that reaches it was never stopped. */
const WRITE_CEILING_BYTES = 64 * 1024 * 1024;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Opens a request with node:http and sends only its headers; the body is written by the caller. */
function openUpload(baseUrl: string, path: string, headers: Record<string, string | number>): { upload: ClientRequest; response: Promise<RawResponse> } {
  const url = new URL(path, baseUrl);
  const upload = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'PUT', headers, agent: false });
  // Writes after the server closed the connection fail with EPIPE or ECONNRESET; the test
  // looks at the response, so those errors are expected.
  upload.on('error', () => undefined);
  const response = new Promise<RawResponse>((resolveResponse, rejectResponse) => {
    upload.once('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', () => undefined);
      incoming.once('close', () => resolveResponse({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    upload.once('close', () => setTimeout(() => rejectResponse(new Error('the connection closed without a response')), 1000));
  });
  upload.flushHeaders();

  return { upload, response };
}

/** Writes `chunk` repeatedly until the response arrives or the ceiling is reached; returns the bytes written. */
async function writeUntilResponse(upload: ClientRequest, response: Promise<RawResponse>, chunk: Buffer, first?: Buffer): Promise<number> {
  let responded = false;
  void response.then(
    () => (responded = true),
    () => (responded = true),
  );
  let written = 0;
  if (first) {
    upload.write(first);
    written += first.length;
  }
  while (!responded && !upload.destroyed && written < WRITE_CEILING_BYTES) {
    const flushed = upload.write(chunk);
    written += chunk.length;
    if (!flushed) {
      const waiting = new AbortController();
      const signal = waiting.signal;
      await Promise.race([once(upload, 'drain', { signal }), once(upload, 'close', { signal }), response]).catch(() => undefined);
      waiting.abort();
    } else {
      await new Promise((resolveTick) => setImmediate(resolveTick));
    }
  }

  return written;
}

describe('document upload size limit', () => {
  let testApp: TestApp;
  let database: PgClient;
  let client: TestClient;

  beforeAll(async () => {
    testApp = await startTestApp({ MAX_UPLOAD_MB: '1' }, { withWorker: false });
    database = new PgClient({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    client = await createTestClient(testApp);
  });

  // Every upload path deletes or moves its staged file before it responds, so none may remain.
  afterEach(() => {
    expect(listFiles(testApp.storageDir).filter((path) => path.startsWith('incoming/'))).toEqual([]);
  });

  afterAll(async () => {
    await database.end();
    await testApp.close();
  });

  async function createTransactionWithDocument(): Promise<string> {
    const created = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { name: 'Size limit' } });
    expect(created.status).toBe(201);
    const uid = created.body.uid as string;
    const uploaded = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      headers: { 'content-type': 'application/pdf' },
      body: PLAIN_PDF,
    });
    expect(uploaded.status).toBe(200);

    return uid;
  }

  async function documentSha256(uid: string): Promise<string | null> {
    const result = await database.query('select document_sha256 from transactions where uid = $1', [uid]);

    return result.rows[0].document_sha256 as string | null;
  }

  it('answers 413 from Content-Length before the body is sent', async () => {
    const uid = await createTransactionWithDocument();
    const filesBefore = listFiles(testApp.storageDir);

    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': 'application/pdf',
      'content-length': MAX_UPLOAD_BYTES + 1,
    });
    const answer = await response;
    upload.destroy();

    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    const problem = JSON.parse(answer.body);
    expect(problem.type).toBe('urn:secusign:problem:document_too_large');
    expect(problem.detail).toContain('1 MB');
    expect(await documentSha256(uid)).not.toBeNull();
    expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
  });

  it('answers 413 from a multipart Content-Length before the body is sent', async () => {
    const uid = await createTransactionWithDocument();

    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': 'multipart/form-data; boundary=size-limit-boundary',
      'content-length': 2 * MAX_UPLOAD_BYTES,
    });
    const answer = await response;
    upload.destroy();

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).type).toBe('urn:secusign:problem:document_too_large');
  });

  it('checks the status before the size', async () => {
    const uid = await createTransactionWithDocument();
    await database.query("update transactions set status = 'sent' where uid = $1", [uid]);

    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': 'application/pdf',
      'content-length': MAX_UPLOAD_BYTES + 1,
    });
    const answer = await response;
    upload.destroy();

    expect(answer.status).toBe(409);
  });

  it('cuts a chunked raw body at the limit', async () => {
    const uid = await createTransactionWithDocument();
    const sha256Before = await documentSha256(uid);
    const filesBefore = listFiles(testApp.storageDir);

    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': 'application/pdf',
      'transfer-encoding': 'chunked',
    });
    const written = await writeUntilResponse(upload, response, Buffer.alloc(64 * 1024, 0x20), Buffer.from('%PDF-1.4\n'));
    const answer = await response;
    upload.destroy();

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).type).toBe('urn:secusign:problem:document_too_large');
    expect(written).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(written).toBeLessThan(WRITE_CEILING_BYTES);
    expect(await documentSha256(uid)).toBe(sha256Before);
    expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
  });

  it('cuts a chunked multipart body at the limit', async () => {
    const uid = await createTransactionWithDocument();
    const sha256Before = await documentSha256(uid);
    const filesBefore = listFiles(testApp.storageDir);
    const boundary = 'size-limit-boundary';

    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
    });
    const partHeader = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
    );
    const written = await writeUntilResponse(upload, response, Buffer.alloc(64 * 1024, 0x20), partHeader);
    const answer = await response;
    upload.destroy();

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).type).toBe('urn:secusign:problem:document_too_large');
    expect(written).toBeLessThan(WRITE_CEILING_BYTES);
    expect(await documentSha256(uid)).toBe(sha256Before);
    expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
  });

  it('accepts an upload below the limit', async () => {
    const uid = await createTransactionWithDocument();

    const response = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      headers: { 'content-type': 'application/pdf' },
      body: PLAIN_PDF,
    });

    expect(response.status).toBe(200);
  });

  it('serves requests after cutting an upload', async () => {
    const uid = await createTransactionWithDocument();
    const { upload, response } = openUpload(testApp.baseUrl, `/api/v1/transactions/${uid}/document`, {
      authorization: client.authorization,
      'content-type': 'application/pdf',
      'transfer-encoding': 'chunked',
    });
    await writeUntilResponse(upload, response, Buffer.alloc(64 * 1024, 0x20), Buffer.from('%PDF-1.4\n'));
    await response;
    upload.destroy();

    const next = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/document`, { authorization: client.authorization });

    expect(next.status).toBe(200);
  });
});
