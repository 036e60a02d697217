import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { createTestClient, TestClient } from './support/clients';
import { request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { listFiles, sha256 } from './support/assertions';

const CORPUS = resolve(__dirname, '..', '..', 'shared', 'corpus');
const PLAIN_PDF = readFileSync(join(CORPUS, 'plain-pdf14-openoffice.pdf'));
const FOUR_PAGE_PDF = readFileSync(join(CORPUS, 'boxes-offset-cropbox.pdf'));
const PASSWORD_PDF = readFileSync(join(CORPUS, 'enc-userpw-libreoffice.pdf'));
const REPAIRABLE_PDF = readFileSync(join(CORPUS, 'bad-startxref-word.pdf'));
const EMPTY_PASSWORD_PDF = readFileSync(join(CORPUS, 'enc-aes256-empty-userpw.pdf'));

function pdfForm(bytes: Buffer, filename = 'lease.pdf', extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(extra)) {
    form.append(name, value);
  }
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), filename);

  return form;
}

describe('transaction documents', () => {
  let testApp: TestApp;
  let database: PgClient;
  let client: TestClient;
  let otherClient: TestClient;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    database = new PgClient({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    client = await createTestClient(testApp);
    otherClient = await createTestClient(testApp);
  });

  // Every upload path deletes or moves its staged file before it responds, so none may remain.
  afterEach(() => {
    expect(listFiles(testApp.storageDir).filter((path) => path.startsWith('incoming/'))).toEqual([]);
  });

  afterAll(async () => {
    await database.end();
    await testApp.close();
  });

  async function createTransaction(owner: TestClient = client): Promise<string> {
    const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: owner.authorization, json: { name: 'Lease' } });
    expect(response.status).toBe(201);

    return response.body.uid as string;
  }

  function putRaw(uid: string, bytes: Buffer, headers: Record<string, string> = {}, owner: TestClient = client, query = '') {
    return request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document${query}`, {
      authorization: owner.authorization,
      headers: { 'content-type': 'application/pdf', ...headers },
      body: new Uint8Array(bytes),
    });
  }

  function putForm(uid: string, form: FormData, owner: TestClient = client) {
    return request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, { authorization: owner.authorization, body: form });
  }

  function getDocument(uid: string, query = '', owner: TestClient = client, headers: Record<string, string> = {}) {
    return request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/document${query}`, { authorization: owner.authorization, headers });
  }

  async function documentRow(uid: string) {
    const result = await database.query(
      `select document_filename, document_size, document_pages, document_sha256, document_original_sha256, document_storage_key,
              document_normalization, document_inspection, document_uploaded_at
         from transactions where uid = $1`,
      [uid],
    );

    return result.rows[0];
  }

  async function auditEvents(uid: string, type: string) {
    const result = await database.query('select data from audit_events where transaction_uid = $1 and type = $2 order by sequence', [uid, type]);

    return result.rows.map((row) => row.data);
  }

  function transactionFiles(uid: string): string[] {
    return listFiles(testApp.storageDir).filter((path) => path.startsWith(`transactions/${uid}/`));
  }

  describe('raw PDF upload', () => {
    it('stores the file and reports pages and hash', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, FOUR_PAGE_PDF, { 'content-disposition': 'attachment; filename="grid.pdf"' });

      expect(response.status).toBe(200);
      expect(response.body.uid).toBe(uid);
      expect(response.body.status).toBe('created');
      expect(response.body.document).toEqual({
        filename: 'grid.pdf',
        size: FOUR_PAGE_PDF.length,
        pages: 4,
        sha256: sha256(FOUR_PAGE_PDF),
        certificate_page: null,
        normalization: 'none',
        original_sha256: sha256(FOUR_PAGE_PDF),
      });
      const files = transactionFiles(uid);
      expect(files).toHaveLength(1);
      expect(readFileSync(join(testApp.storageDir, files[0]))).toEqual(FOUR_PAGE_PDF);
      expect(listFiles(testApp.storageDir).filter((path) => path.startsWith('incoming/'))).toEqual([]);
    });

    it('records the upload row and audit event', async () => {
      const uid = await createTransaction();

      await putRaw(uid, PLAIN_PDF, {}, client, '?filename=from-query.pdf');

      const row = await documentRow(uid);
      expect(row.document_filename).toBe('from-query.pdf');
      expect(Number(row.document_size)).toBe(PLAIN_PDF.length);
      expect(row.document_pages).toBe(1);
      expect(row.document_sha256).toBe(sha256(PLAIN_PDF));
      expect(row.document_original_sha256).toBe(sha256(PLAIN_PDF));
      expect(row.document_normalization).toBe('none');
      expect(row.document_inspection).toMatchObject({ pages: 1, existingSignatures: 0, encrypted: false });
      expect(row.document_uploaded_at).not.toBeNull();
      const events = await auditEvents(uid, 'document.uploaded');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ filename: 'from-query.pdf', size: PLAIN_PDF.length, pages: 1, sha256: sha256(PLAIN_PDF) });
      expect(events[0]).not.toHaveProperty('original_sha256');
    });

    it('defaults the filename to document.pdf', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, PLAIN_PDF);

      expect(response.body.document.filename).toBe('document.pdf');
    });

    it('removes a right-to-left override and appends .pdf', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, PLAIN_PDF, {}, client, '?filename=%E2%80%AEfdp.exe');

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe('fdp.exe.pdf');
      const download = await getDocument(uid);
      expect(download.headers.get('content-disposition')).toBe('attachment; filename="fdp.exe.pdf"');
    });

    it('cleans the Content-Disposition filename', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, PLAIN_PDF, { 'content-disposition': "attachment; filename*=UTF-8''..%2F..%2Fx%E2%80%8F%E2%81%A6y%C2%85.exe" });

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe('xy.exe.pdf');
    });

    it('caps a long filename at 200 characters', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, PLAIN_PDF, {}, client, `?filename=${'a'.repeat(500)}.pdf`);

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe(`${'a'.repeat(196)}.pdf`);
    });

    it('keeps a non-ASCII filename byte-exact', async () => {
      const uid = await createTransaction();
      const filename = 'Договор аренды 合同.pdf';

      const response = await putRaw(uid, PLAIN_PDF, { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` });

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe(filename);
    });

    it('records both hashes of a repaired file', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, REPAIRABLE_PDF);

      expect(response.status).toBe(200);
      const row = await documentRow(uid);
      expect(row.document_normalization).toBe('repaired');
      expect(row.document_original_sha256).toBe(sha256(REPAIRABLE_PDF));
      expect(row.document_sha256).not.toBe(sha256(REPAIRABLE_PDF));
      expect(response.body.document.sha256).toBe(row.document_sha256);
      const [event] = await auditEvents(uid, 'document.uploaded');
      expect(event).toMatchObject({ sha256: row.document_sha256, original_sha256: sha256(REPAIRABLE_PDF), normalization: 'repaired' });
      const stored = readFileSync(join(testApp.storageDir, row.document_storage_key));
      expect(sha256(stored)).toBe(row.document_sha256);
    });
  });

  describe('multipart upload', () => {
    it('stores the file part', async () => {
      const uid = await createTransaction();

      const response = await putForm(uid, pdfForm(FOUR_PAGE_PDF, 'Zoë lease.pdf'));

      expect(response.status).toBe(200);
      expect(response.body.document).toMatchObject({ filename: 'Zoë lease.pdf', size: FOUR_PAGE_PDF.length, pages: 4, sha256: sha256(FOUR_PAGE_PDF) });
    });

    it('cleans the file part filename', async () => {
      const uid = await createTransaction();

      const response = await putForm(uid, pdfForm(FOUR_PAGE_PDF, '\u202efdp.exe'));

      expect(response.status).toBe(200);
      expect(response.body.document.filename).toBe('fdp.exe.pdf');
    });

    it('rejects a form without a file part', async () => {
      const uid = await createTransaction();
      const form = new FormData();
      form.append('note', 'no file');

      const response = await putForm(uid, form);

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_multipart');
    });

    it('rejects an empty form', async () => {
      const uid = await createTransaction();

      const response = await putForm(uid, new FormData());

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_multipart');
      expect(response.body.errors).toHaveProperty('file');
    });

    it('rejects a second file and keeps nothing', async () => {
      const uid = await createTransaction();
      const form = pdfForm(PLAIN_PDF);
      form.append('file', new Blob([new Uint8Array(FOUR_PAGE_PDF)]), 'second.pdf');

      const response = await putForm(uid, form);

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_multipart');
      expect(response.body.detail).toContain('more than one');
      expect((await documentRow(uid)).document_sha256).toBeNull();
      expect(transactionFiles(uid)).toEqual([]);
      expect(listFiles(testApp.storageDir).filter((path) => path.startsWith('incoming/'))).toEqual([]);
    });

    it('rejects a file part under another name', async () => {
      const uid = await createTransaction();
      const form = new FormData();
      form.append('document', new Blob([new Uint8Array(PLAIN_PDF)]), 'lease.pdf');

      const response = await putForm(uid, form);

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('document');
    });

    it('rejects an unknown text field', async () => {
      const uid = await createTransaction();

      const response = await putForm(uid, pdfForm(PLAIN_PDF, 'lease.pdf', { comment: 'hello' }));

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('comment');
      expect(transactionFiles(uid)).toEqual([]);
    });

    it('rejects a malformed multipart body', async () => {
      const uid = await createTransaction();

      const response = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, {
        authorization: client.authorization,
        headers: { 'content-type': 'multipart/form-data' },
        body: 'no boundary here',
      });

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_multipart');
    });
  });

  describe('rejections', () => {
    it('answers 415 for another content type', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, PLAIN_PDF, { 'content-type': 'application/octet-stream' });

      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe('urn:secusign:problem:unsupported_media_type');
    });

    it('answers 415 for JSON', async () => {
      const uid = await createTransaction();

      const response = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, { authorization: client.authorization, json: { file: 'x' } });

      expect(response.status).toBe(415);
    });

    it('answers 415 document_not_pdf for text', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, Buffer.from('This is plain text, not a PDF document at all.'));

      expect(response.status).toBe(415);
      expect(response.body.type).toBe('urn:secusign:problem:document_not_pdf');
      expect(response.body.detail).toContain('not a PDF');
    });

    it('answers 422 document_empty for no bytes', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, Buffer.alloc(0));

      expect(response.status).toBe(422);
      expect(response.body.type).toBe('urn:secusign:problem:document_empty');
    });

    it('answers 422 for a password-protected PDF', async () => {
      const uid = await createTransaction();

      const response = await putForm(uid, pdfForm(PASSWORD_PDF));

      expect(response.status).toBe(422);
      expect(response.body.type).toBe('urn:secusign:problem:document_password_protected');
      expect(response.body.detail).toMatch(/password/i);
    });

    it('answers 422 document_damaged for a broken PDF', async () => {
      const uid = await createTransaction();

      const response = await putRaw(uid, Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref or trailer\n'));

      expect(response.status).toBe(422);
      expect(response.body.type).toBe('urn:secusign:problem:document_damaged');
    });
  });

  describe('replacement', () => {
    it('replaces the file and deletes the previous one', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);
      const [firstFile] = transactionFiles(uid);

      const response = await putForm(uid, pdfForm(FOUR_PAGE_PDF, 'second.pdf'));

      expect(response.status).toBe(200);
      expect(response.body.document).toMatchObject({ filename: 'second.pdf', pages: 4, sha256: sha256(FOUR_PAGE_PDF) });
      const files = transactionFiles(uid);
      expect(files).toHaveLength(1);
      expect(files[0]).not.toBe(firstFile);
      const events = await auditEvents(uid, 'document.uploaded');
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ sha256: sha256(FOUR_PAGE_PDF), replaced_sha256: sha256(PLAIN_PDF) });
    });

    it.each([
      ['not a PDF', Buffer.from('definitely not a pdf'), 415],
      ['empty', Buffer.alloc(0), 422],
      ['password protected', PASSWORD_PDF, 422],
    ])('keeps the previous document when the replacement is %s', async (_case, bytes, status) => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF, { 'content-disposition': 'attachment; filename="kept.pdf"' });
      const rowBefore = await documentRow(uid);
      const filesBefore = listFiles(testApp.storageDir);

      const response = await putRaw(uid, bytes);

      expect(response.status).toBe(status);
      expect(await documentRow(uid)).toEqual(rowBefore);
      expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
      expect(await auditEvents(uid, 'document.uploaded')).toHaveLength(1);
      const download = await getDocument(uid);
      expect(download.status).toBe(200);
      expect(download.body).toEqual(PLAIN_PDF);
    });
  });

  describe('concurrency and aborts', () => {
    it('keeps one file after concurrent replacements', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);

      const responses = await Promise.all([putRaw(uid, FOUR_PAGE_PDF), putForm(uid, pdfForm(REPAIRABLE_PDF)), putRaw(uid, PLAIN_PDF)]);

      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      const row = await documentRow(uid);
      const [original] = (await database.query('select document_original_storage_key from transactions where uid = $1', [uid])).rows;
      // The repairable upload keeps its original beside the repaired file when it is the last one.
      const expectedFiles = [row.document_storage_key, original.document_original_storage_key].filter((key) => key !== null).sort();
      expect(transactionFiles(uid).sort()).toEqual(expectedFiles);
      expect(sha256(readFileSync(join(testApp.storageDir, row.document_storage_key)))).toBe(row.document_sha256);
      expect(await auditEvents(uid, 'document.uploaded')).toHaveLength(4);
    });

    function startPartialUpload(uid: string) {
      const url = new URL(`/api/v1/transactions/${uid}/document`, testApp.baseUrl);
      const upload = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'PUT',
        agent: false,
        headers: { authorization: client.authorization, 'content-type': 'application/pdf', 'content-length': 400_000 },
      });
      upload.on('error', () => undefined);
      upload.write(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 0x20)]));

      return upload;
    }

    /** Polls until `condition` is true or 10 seconds pass; the caller asserts the outcome. */
    async function waitFor(condition: () => boolean): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!condition() && Date.now() < deadline) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
    }

    const stagedFiles = () => listFiles(testApp.storageDir).filter((path) => path.startsWith('incoming/'));

    it('leaves no file when the client aborts midway', async () => {
      const uid = await createTransaction();
      const upload = startPartialUpload(uid);
      await waitFor(() => stagedFiles().length > 0);
      expect(stagedFiles()).toHaveLength(1);

      upload.destroy();

      await waitFor(() => stagedFiles().length === 0);
      expect(stagedFiles()).toEqual([]);
      expect(transactionFiles(uid)).toEqual([]);
      expect((await documentRow(uid)).document_sha256).toBeNull();
    });

    it('leaves no file when the client aborts before the body is read', async () => {
      const uid = await createTransaction();
      const upload = startPartialUpload(uid);
      // Authentication takes a while (scrypt), so the connection is usually gone before the handler runs.
      upload.destroy();
      const after = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}`, { authorization: client.authorization });
      expect(after.status).toBe(200);

      await waitFor(() => stagedFiles().length === 0);
      expect(stagedFiles()).toEqual([]);
      expect(transactionFiles(uid)).toEqual([]);
      expect((await documentRow(uid)).document_sha256).toBeNull();
    });
  });

  describe('OpenAPI document', () => {
    it('documents both body forms and every error', async () => {
      const response = await request(testApp.baseUrl, 'GET', '/docs-json');
      const operation = response.body.paths['/api/v1/transactions/{uid}/document'].put;

      expect(Object.keys(operation.requestBody.content).sort()).toEqual(['application/pdf', 'multipart/form-data']);
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '404', '409', '413', '415', '422']);
      const download = response.body.paths['/api/v1/transactions/{uid}/document'].get;
      expect(Object.keys(download.responses['200'].content)).toEqual(['application/pdf']);
      expect(response.body.paths['/api/v1/transactions/{uid}/signatories/{signatoryUid}/document'].get.responses).toHaveProperty('404');
    });
  });

  describe('status and tenancy', () => {
    it.each(['sent', 'completed', 'cancel'])('answers 409 while %s', async (status) => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);
      await database.query('update transactions set status = $1 where uid = $2', [status, uid]);
      const filesBefore = listFiles(testApp.storageDir);

      const response = await putRaw(uid, FOUR_PAGE_PDF);

      expect(response.status).toBe(409);
      expect(response.body.type).toBe('urn:secusign:problem:transaction_not_editable');
      expect(response.body.current_status).toBe(status);
      expect((await documentRow(uid)).document_sha256).toBe(sha256(PLAIN_PDF));
      expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
    });

    it('answers 409 after the transaction is sent', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);
      const signatory = await request(testApp.baseUrl, 'POST', `/api/v1/transactions/${uid}/signatories`, {
        authorization: client.authorization,
        json: { firstname: 'Zoë', lastname: 'Łukasiewicz', email: 'zoe@example.com', phone: '33651836133', language: 'FR', authentication: 'sms' },
      });
      expect(signatory.status).toBe(201);
      const sent = await request(testApp.baseUrl, 'PATCH', `/api/v1/transactions/${uid}`, { authorization: client.authorization, json: { status: 'sent' } });
      expect(sent.status).toBe(200);

      const response = await putForm(uid, pdfForm(FOUR_PAGE_PDF));

      expect(response.status).toBe(409);
      expect(response.body.type).toBe('urn:secusign:problem:transaction_not_editable');
    });

    it('answers 404 for another client', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);

      const upload = await putRaw(uid, FOUR_PAGE_PDF, {}, otherClient);
      const download = await getDocument(uid, '', otherClient);
      const original = await getDocument(uid, '?version=original', otherClient);

      expect(upload.status).toBe(404);
      expect(upload.body.type).toBe('urn:secusign:problem:not_found');
      expect(download.status).toBe(404);
      expect(original.status).toBe(404);
      expect((await documentRow(uid)).document_sha256).toBe(sha256(PLAIN_PDF));
    });

    it('answers 404 for an unknown or malformed uid', async () => {
      expect((await putRaw(randomUUID(), PLAIN_PDF)).status).toBe(404);
      expect((await putRaw('not-a-uuid', PLAIN_PDF)).status).toBe(404);
      expect((await getDocument(randomUUID())).status).toBe(404);
    });

    it('answers 401 without credentials', async () => {
      const uid = await createTransaction();

      const response = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${uid}/document`, { headers: { 'content-type': 'application/pdf' }, body: PLAIN_PDF });

      expect(response.status).toBe(401);
    });
  });

  describe('download', () => {
    it('answers 404 before any upload', async () => {
      const uid = await createTransaction();

      const response = await getDocument(uid);

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:document_not_uploaded');
    });

    it('returns the upload with its headers', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF, { 'content-disposition': "attachment; filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf" });

      const response = await getDocument(uid);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('etag')).toBe(`"${sha256(PLAIN_PDF)}"`);
      expect(response.headers.get('content-length')).toBe(String(PLAIN_PDF.length));
      expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf");
      expect(sha256(response.body)).toBe(sha256(PLAIN_PDF));
    });

    it('answers 304 for a matching If-None-Match', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);

      const response = await getDocument(uid, '', client, { 'if-none-match': `"${sha256(PLAIN_PDF)}"` });

      expect(response.status).toBe(304);
    });

    it('rejects an unknown version', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);

      const response = await getDocument(uid, '?version=latest');

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_document_version');
    });

    it('serves the latest signed revision as current', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);
      const signatory = await request(testApp.baseUrl, 'POST', `/api/v1/transactions/${uid}/signatories`, {
        authorization: client.authorization,
        json: { firstname: 'John', lastname: 'Doo', email: 'john@example.com', phone: '33651836133', language: 'EN', authentication: 'email' },
      });
      expect(signatory.status).toBe(201);
      const signatoryUid = signatory.body.uid as string;

      const before = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/signatories/${signatoryUid}/document`, { authorization: client.authorization });
      expect(before.status).toBe(404);
      expect(before.body.type).toBe('urn:secusign:problem:document_not_signed_yet');

      // Stand-in for the signature engine's output: a stored revision attributed to the signatory.
      const signed = Buffer.concat([PLAIN_PDF, Buffer.from('\n% signed revision\n')]);
      const key = `transactions/${uid}/signed-1.pdf`;
      const storage = testApp.app.get((await import('@secusign/storage')).DocumentStorage);
      await storage.write(key, signed);
      await database.query(
        `insert into document_revisions (transaction_uid, sequence, kind, signatory_uid, storage_key, sha256, size, created_at)
         values ($1, 1, 'signed', $2, $3, $4, $5, now())`,
        [uid, signatoryUid, key, sha256(signed), signed.length],
      );

      const current = await getDocument(uid);
      const original = await getDocument(uid, '?version=original');
      const bySignatory = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/signatories/${signatoryUid}/document`, { authorization: client.authorization });

      expect(current.status).toBe(200);
      expect(sha256(current.body)).toBe(sha256(signed));
      expect(current.headers.get('etag')).toBe(`"${sha256(signed)}"`);
      expect(original.status).toBe(200);
      expect(sha256(original.body)).toBe(sha256(PLAIN_PDF));
      expect(bySignatory.status).toBe(200);
      expect(sha256(bySignatory.body)).toBe(sha256(signed));
    });

    it('answers 404 for an unknown signatory', async () => {
      const uid = await createTransaction();
      await putRaw(uid, PLAIN_PDF);

      const response = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${uid}/signatories/${randomUUID()}/document`, { authorization: client.authorization });

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:not_found');
    });
  });

  describe('normalized uploads', () => {
    it.each([
      ['repaired', 'bad-startxref-word.pdf', REPAIRABLE_PDF],
      ['decrypted', 'enc-aes256-empty-userpw.pdf', EMPTY_PASSWORD_PDF],
    ])('serves the %s upload as received for version=original', async (normalization, _file, bytes) => {
      const uid = await createTransaction();

      const response = await putRaw(uid, bytes);

      expect(response.status).toBe(200);
      expect(response.body.document.normalization).toBe(normalization);
      expect(response.body.document.original_sha256).toBe(sha256(bytes));
      expect(response.body.document.sha256).not.toBe(sha256(bytes));
      const original = await getDocument(uid, '?version=original');
      expect(original.status).toBe(200);
      expect(original.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
      expect(original.headers.get('content-length')).toBe(String(bytes.length));
      expect(sha256(original.body)).toBe(sha256(bytes));
      const current = await getDocument(uid);
      expect(sha256(current.body)).toBe(response.body.document.sha256);
      expect(current.body.length).toBe(response.body.document.size);
      const row = await documentRow(uid);
      expect(sha256(readFileSync(join(testApp.storageDir, row.document_storage_key)))).toBe(response.body.document.sha256);
      expect(transactionFiles(uid)).toHaveLength(2);
    });

    it('deletes both files when the document is replaced', async () => {
      const uid = await createTransaction();
      await putRaw(uid, REPAIRABLE_PDF);
      const before = transactionFiles(uid);

      await putRaw(uid, PLAIN_PDF);

      const after = transactionFiles(uid);
      expect(before).toHaveLength(2);
      expect(after).toHaveLength(1);
      expect(before).not.toContain(after[0]);
      const original = await getDocument(uid, '?version=original');
      expect(sha256(original.body)).toBe(sha256(PLAIN_PDF));
    });

    it('deletes both files with the transaction', async () => {
      const uid = await createTransaction();
      await putRaw(uid, EMPTY_PASSWORD_PDF);
      expect(transactionFiles(uid)).toHaveLength(2);

      const response = await request(testApp.baseUrl, 'DELETE', `/api/v1/transactions/${uid}`, { authorization: client.authorization });

      expect(response.status).toBe(204);
      expect(transactionFiles(uid)).toEqual([]);
    });
  });

  describe('multipart create', () => {
    it('creates the transaction with its document', async () => {
      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', {
        authorization: client.authorization,
        body: pdfForm(FOUR_PAGE_PDF, 'grid.pdf', { name: 'Grid lease', webhook_url: 'https://client.example/hooks' }),
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'created', name: 'Grid lease', webhook_url: 'https://client.example/hooks' });
      expect(response.body.document).toMatchObject({ filename: 'grid.pdf', pages: 4, sha256: sha256(FOUR_PAGE_PDF) });
      const uid = response.body.uid as string;
      expect(transactionFiles(uid)).toHaveLength(1);
      const types = (await database.query('select type from audit_events where transaction_uid = $1 order by sequence', [uid])).rows.map((row) => row.type);
      expect(types).toEqual(['transaction.created', 'document.uploaded']);
    });

    it('replays a retry with the same Idempotency-Key', async () => {
      const key = randomUUID();
      const send = () =>
        request(testApp.baseUrl, 'POST', '/api/v1/transactions', {
          authorization: client.authorization,
          headers: { 'idempotency-key': key },
          body: pdfForm(PLAIN_PDF, 'retry.pdf', { name: 'Retried' }),
        });

      const first = await send();
      const retry = await send();

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.uid).toBe(first.body.uid);
      expect(transactionFiles(first.body.uid)).toHaveLength(1);
      const count = await database.query("select count(*) from transactions where client_uid = $1 and name = 'Retried'", [client.uid]);
      expect(Number(count.rows[0].count)).toBe(1);
    });

    it('creates a transaction without a file', async () => {
      const form = new FormData();
      form.append('name', 'No file yet');

      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, body: form });

      expect(response.status).toBe(201);
      expect(response.body.name).toBe('No file yet');
      expect(response.body.document).toBeNull();
    });

    it('creates nothing when the file is rejected', async () => {
      const countBefore = Number((await database.query('select count(*) from transactions where client_uid = $1', [client.uid])).rows[0].count);
      const filesBefore = listFiles(testApp.storageDir);

      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', {
        authorization: client.authorization,
        body: pdfForm(PASSWORD_PDF, 'locked.pdf', { name: 'Locked' }),
      });

      expect(response.status).toBe(422);
      expect(response.body.type).toBe('urn:secusign:problem:document_password_protected');
      const countAfter = Number((await database.query('select count(*) from transactions where client_uid = $1', [client.uid])).rows[0].count);
      expect(countAfter).toBe(countBefore);
      expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
    });

    it('creates nothing when a field is invalid', async () => {
      const filesBefore = listFiles(testApp.storageDir);

      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', {
        authorization: client.authorization,
        body: pdfForm(PLAIN_PDF, 'lease.pdf', { webhook_url: 'not a url' }),
      });

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('webhook_url');
      expect(listFiles(testApp.storageDir)).toEqual(filesBefore);
    });
  });
});
