import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { DocumentStorage } from '@secusign/storage';
import { Transaction, TransactionsService } from '@secusign/transactions';
import { createTestClient } from './support/clients';
import { request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { auditEventsOf, CORPUS_DIR, databaseOf, domainEventsOf, expectStatus, hashChainProblem, TransactionsApi } from './support/transactions';
import { problemCode } from './support/assertions';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UNKNOWN_UID = '00000000-0000-4000-8000-000000000000';

describe('transactions API', () => {
  let testApp: TestApp;
  let api: TransactionsApi;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp));
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('POST /transactions', () => {
    it('creates a transaction in created status', async () => {
      const response = await api.call('POST', '/transactions', { json: { name: 'Lease 2024-117', webhook_url: 'https://client.example/hooks/secusign' } });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'created',
        name: 'Lease 2024-117',
        webhook_url: 'https://client.example/hooks/secusign',
        document: null,
        signatories: [],
        created_at: expect.stringMatching(TIMESTAMP),
        sent_at: null,
        completed_at: null,
        cancelled_at: null,
      });
    });

    it('creates a transaction without a body', async () => {
      const response = await api.call('POST', '/transactions');

      expect(response.status).toBe(201);
      expect(response.body.name).toBeNull();
    });

    it('records the creation in the audit trail', async () => {
      const transaction = await api.create({ name: 'Audited' });
      const events = await auditEventsOf(testApp, transaction.uid);

      expect(events.map((event) => event.type)).toEqual(['transaction.created']);
      expect(events[0].actorType).toBe('client');
      expect(events[0].actorId).toBe(api.client.uid);
      expect(events[0].data).toEqual({ name: 'Audited', webhook_url: null });
    });

    it.each([
      [{ webhook_url: 'ftp://client.example/hooks' }, 'webhook_url'],
      [{ webhook_url: 'not a url' }, 'webhook_url'],
      [{ name: 42 }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(256) }, 'name'],
      [{ name: 'line1\r\nBcc: x\u0007\u001b[31m' }, 'name'],
      [{ name: 'tab\tin name' }, 'name'],
      [{ name: 'C1 \u0085 control' }, 'name'],
      [{ unknown_field: true }, 'unknown_field'],
    ])('rejects %j with a 400 naming the field', async (body, field) => {
      const response = await api.call('POST', '/transactions', { json: body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(Object.keys(response.body.errors)).toEqual([field]);
    });

    it('creates a transaction with its document from a multipart form', async () => {
      const form = new FormData();
      form.append('name', 'Lease from a form');
      form.append('file', new Blob([readFileSync(resolve(CORPUS_DIR, 'plain-pdf14-openoffice.pdf'))], { type: 'application/pdf' }), 'lease.pdf');

      const response = await api.call('POST', '/transactions', { body: form });

      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Lease from a form');
      expect(response.body.status).toBe('created');
      expect(response.body.document).toMatchObject({ filename: 'lease.pdf', pages: 1 });
    });

    it('rejects control characters in a multipart name', async () => {
      const form = new FormData();
      form.append('name', 'line1\r\nBcc: x\u0007\u001b[31m');

      const response = await api.call('POST', '/transactions', { body: form });

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.errors).toEqual({ name: ['name must not contain control characters such as line breaks, tabs or escape codes'] });
    });

    it('creates one transaction for retries with the same Idempotency-Key', async () => {
      const headers = { 'idempotency-key': `create-${Date.now()}` };
      const first = await api.call('POST', '/transactions', { json: { name: 'Once' }, headers });
      const retry = await api.call('POST', '/transactions', { json: { name: 'Once' }, headers });
      const reused = await api.call('POST', '/transactions', { json: { name: 'Other body' }, headers });

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.uid).toBe(first.body.uid);
      expect(reused.status).toBe(422);
      expect(problemCode(reused.body)).toBe('idempotency_key_reused');
    });

    it('rejects a body that is neither JSON nor multipart', async () => {
      const response = await api.call('POST', '/transactions', { headers: { 'content-type': 'text/plain' }, body: 'name=x' });

      expect(response.status).toBe(415);
      expect(problemCode(response.body)).toBe('unsupported_media_type');
    });

    it('requires client credentials', async () => {
      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { json: {} });

      expect(response.status).toBe(401);
      expect(problemCode(response.body)).toBe('unauthorized');
    });
  });

  describe('GET /transactions/{uid}', () => {
    it('returns the transaction with its document and signatories', async () => {
      const transaction = await api.create({ name: 'Details' });
      await api.uploadDocument(transaction.uid);
      const signatory = await api.addSignatory(transaction.uid);

      const response = await api.call('GET', `/transactions/${transaction.uid}`);

      expect(response.status).toBe(200);
      expect(response.body.document).toEqual({
        filename: expect.any(String),
        size: expect.any(Number),
        pages: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        certificate_page: null,
        normalization: 'none',
        original_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(response.body.signatories).toEqual([signatory]);
    });

    it.each([UNKNOWN_UID, 'not-a-uuid'])('answers 404 for %s', async (uid) => {
      const response = await api.call('GET', `/transactions/${uid}`);

      expect(response.status).toBe(404);
      expect(problemCode(response.body)).toBe('not_found');
    });
  });

  describe('GET /transactions', () => {
    let lister: TransactionsApi;
    const created: string[] = [];

    beforeAll(async () => {
      lister = new TransactionsApi(testApp, await createTestClient(testApp));
      for (let index = 0; index < 5; index += 1) {
        created.push((await lister.create({ name: `List ${index}` })).uid);
      }
      await lister.patch(created[1], { status: 'cancel' });
    });

    it('pages through every transaction, newest first', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const response = await lister.call('GET', `/transactions${query}`);
        expect(response.status).toBe(200);
        expect(response.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.data.map((item: { uid: string }) => item.uid));
        cursor = response.body.next_cursor;
        pages += 1;
      } while (cursor !== null);

      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());
    });

    it('filters by status', async () => {
      const response = await lister.call('GET', '/transactions?status=cancel');

      expect(response.status).toBe(200);
      expect(response.body.data.map((item: { uid: string }) => item.uid)).toEqual([created[1]]);
      expect(response.body.next_cursor).toBeNull();
    });

    it('uses a limit of 20 by default', async () => {
      const response = await lister.call('GET', '/transactions');

      expect(response.body.data).toHaveLength(5);
    });

    it.each(['status=done', 'limit=0', 'limit=101', 'limit=abc'])('rejects ?%s', async (query) => {
      const response = await lister.call('GET', `/transactions?${query}`);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.detail).toBe('The query parameters are invalid.');
    });

    it('rejects a malformed cursor', async () => {
      const forged = Buffer.from(JSON.stringify({ t: '2024-01-01T00:00:00.000Z', u: "x' or 1=1" })).toString('base64url');
      for (const cursor of ['garbage', forged]) {
        const response = await lister.call('GET', `/transactions?cursor=${cursor}`);

        expect(response.status).toBe(400);
        expect(problemCode(response.body)).toBe('invalid_cursor');
      }
    });
  });

  describe('PATCH /transactions/{uid}', () => {
    it('changes and clears fields while created', async () => {
      const transaction = await api.create({ name: 'Before', webhook_url: 'https://client.example/a' });

      const renamed = await api.patch(transaction.uid, { name: 'After' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('After');
      expect(renamed.body.webhook_url).toBe('https://client.example/a');

      const cleared = await api.patch(transaction.uid, { webhook_url: null });
      expect(cleared.body.webhook_url).toBeNull();

      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.map((event) => event.type)).toEqual(['transaction.created', 'transaction.updated', 'transaction.updated']);
      expect(events[1].data).toEqual({ changes: { name: 'After' } });
    });

    it('rejects control characters in name', async () => {
      const transaction = await api.create({ name: 'Before' });

      const response = await api.patch(transaction.uid, { name: 'line1\r\nBcc: x\u0007\u001b[31m' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ name: ['name must not contain control characters such as line breaks, tabs or escape codes'] });
      expect((await api.call('GET', `/transactions/${transaction.uid}`)).body.name).toBe('Before');
    });

    it.each(['created', 'completed', 'cancelled', 'SENT'])('rejects status %s with a 400', async (status) => {
      const transaction = await api.create();
      const response = await api.patch(transaction.uid, { status });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ status: ['status must be "sent" or "cancel"'] });
    });

    it('lists what is missing before sending', async () => {
      const transaction = await api.create();
      const response = await api.patch(transaction.uid, { status: 'sent' });

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('transaction_not_ready');
      expect(response.body.missing).toEqual(['document', 'signatories']);
    });

    it('requires a signatory before sending', async () => {
      const transaction = await api.create();
      await api.uploadDocument(transaction.uid);
      const response = await api.patch(transaction.uid, { status: 'sent' });

      expect(response.status).toBe(422);
      expect(response.body.missing).toEqual(['signatories']);
    });

    it('requires a document before sending', async () => {
      const transaction = await api.create();
      await api.addSignatory(transaction.uid);
      const response = await api.patch(transaction.uid, { status: 'sent' });

      expect(response.status).toBe(422);
      expect(response.body.missing).toEqual(['document']);
    });

    it('sends a ready transaction and records both events', async () => {
      const transaction = await api.createReady(2);
      const response = await api.patch(transaction.uid, { status: 'sent', name: 'Sent with a new name' });

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('sent');
      expect(response.body.name).toBe('Sent with a new name');
      expect(response.body.sent_at).toMatch(TIMESTAMP);
      expect(response.body.signatories).toHaveLength(2);

      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.map((event) => event.type).slice(-2)).toEqual(['transaction.updated', 'transaction.sent']);
      expect(hashChainProblem(events)).toBeNull();

      const domainEvents = await domainEventsOf(testApp, transaction.uid);
      expect(domainEvents.map((event) => event.type)).toEqual(['transaction.sent']);
      expect(domainEvents[0].clientUid).toBe(api.client.uid);
      expect(domainEvents[0].payload).toEqual({ transaction: response.body });
    });

    it('freezes a sent transaction', async () => {
      const transaction = await api.createReady();
      expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);

      const cases: Array<[string, string, Record<string, unknown> | undefined, string]> = [
        ['PATCH', `/transactions/${transaction.uid}`, { name: 'Too late' }, 'transaction_not_editable'],
        ['PATCH', `/transactions/${transaction.uid}`, { status: 'sent' }, 'transaction_already_sent'],
        ['DELETE', `/transactions/${transaction.uid}`, undefined, 'transaction_not_deletable'],
        ['POST', `/transactions/${transaction.uid}/signatories`, { firstname: 'Late', lastname: 'Signer', email: 'late@example.com', phone: '33611111111', language: 'EN', authentication: 'email' }, 'transaction_not_editable'],
      ];
      for (const [method, path, json, code] of cases) {
        const response = await api.call(method, path, { json });

        expect({ method, path, status: response.status, code: problemCode(response.body), current: response.body.current_status }).toEqual({
          method,
          path,
          status: 409,
          code,
          current: 'sent',
        });
      }

      const upload = await api.call('PUT', `/transactions/${transaction.uid}/document`, { headers: { 'content-type': 'application/pdf' }, body: Buffer.from('%PDF-1.4') });
      expect(upload.status).toBe(409);
      expect(problemCode(upload.body)).toBe('transaction_not_editable');

      const emptyPatch = await api.patch(transaction.uid, {});
      expect(emptyPatch.status).toBe(200);
      expect(emptyPatch.body.status).toBe('sent');
    });

    it('rejects an upload to a sent transaction before reading its body', async () => {
      const transaction = await api.createReady();
      expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);
      const url = new URL(`${testApp.baseUrl}/api/v1/transactions/${transaction.uid}/document`);

      // Announce 40 MB but send one chunk and never finish: only a response sent before reading the body can arrive.
      const outcome = await new Promise<{ status: number; body: string }>((resolvePromise, reject) => {
        const upload = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', headers: { authorization: api.client.authorization, 'content-type': 'application/pdf', 'content-length': String(40 * 1024 * 1024) } },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            response.on('end', () => {
              upload.destroy();
              resolvePromise({ status: response.statusCode ?? 0, body });
            });
          },
        );
        upload.on('error', reject);
        upload.write(Buffer.alloc(64 * 1024, 0x20));
      });

      expect(outcome.status).toBe(409);
      expect(JSON.parse(outcome.body).type).toBe('urn:secusign:problem:transaction_not_editable');
    });

    it('cancels a sent transaction, then allows deleting it', async () => {
      const transaction = await api.createReady();
      expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);

      const cancelled = await api.patch(transaction.uid, { status: 'cancel' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancel');
      expect(cancelled.body.cancelled_at).toMatch(TIMESTAMP);

      const again = await api.patch(transaction.uid, { status: 'cancel' });
      expect(again.status).toBe(409);
      expect(problemCode(again.body)).toBe('transaction_already_cancelled');

      const send = await api.patch(transaction.uid, { status: 'sent' });
      expect(send.status).toBe(409);
      expect(problemCode(send.body)).toBe('transaction_already_cancelled');

      const domainEvents = await domainEventsOf(testApp, transaction.uid);
      expect(domainEvents.map((event) => event.type)).toEqual(['transaction.sent', 'transaction.cancelled']);
      expect((domainEvents[1].payload.transaction as { status: string }).status).toBe('cancel');

      expect((await api.call('DELETE', `/transactions/${transaction.uid}`)).status).toBe(204);
    });

    it('cancels a created transaction', async () => {
      const transaction = await api.create();
      const response = await api.patch(transaction.uid, { status: 'cancel' });

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('cancel');
      expect(response.body.sent_at).toBeNull();
    });

    it('rejects field changes on a cancelled transaction', async () => {
      const transaction = await api.create();
      expectStatus(await api.patch(transaction.uid, { status: 'cancel' }), 200);
      const response = await api.patch(transaction.uid, { webhook_url: 'https://client.example/late' });

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_not_editable');
      expect(response.body.current_status).toBe('cancel');
    });

    it('completes only sent transactions', async () => {
      const transaction = await api.createReady();
      const service = testApp.app.get(TransactionsService);
      const em = databaseOf(testApp);

      await expect(em.transactional((tem) => service.complete(tem, transaction.uid))).rejects.toMatchObject({ code: 'transaction_not_sent' });
      expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);
      const completed = await em.transactional((tem) => service.complete(tem, transaction.uid));

      expect(completed.status).toBe('completed');
      const response = await api.call('GET', `/transactions/${transaction.uid}`);
      expect(response.body.status).toBe('completed');
      expect(response.body.completed_at).toMatch(TIMESTAMP);
      const cancel = await api.patch(transaction.uid, { status: 'cancel' });
      expect(cancel.status).toBe(409);
      expect(problemCode(cancel.body)).toBe('transaction_already_completed');
      const deletion = await api.call('DELETE', `/transactions/${transaction.uid}`);
      expect(deletion.status).toBe(409);
      expect(problemCode(deletion.body)).toBe('transaction_not_deletable');
    });
  });

  describe('OpenAPI document', () => {
    it('documents every route with its problem responses', async () => {
      const response = await request(testApp.baseUrl, 'GET', '/docs-json');
      const document = response.body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
      const documented = (path: string, method: string) => Object.keys(document.paths[path]?.[method]?.responses ?? {}).sort();

      expect(documented('/api/v1/transactions', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '415']));
      expect(documented('/api/v1/transactions', 'get')).toEqual(expect.arrayContaining(['200', '400', '401']));
      expect(documented('/api/v1/transactions/{uid}', 'get')).toEqual(expect.arrayContaining(['200', '401', '404']));
      expect(documented('/api/v1/transactions/{uid}', 'patch')).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409', '422']));
      expect(documented('/api/v1/transactions/{uid}', 'delete')).toEqual(expect.arrayContaining(['204', '401', '404', '409']));
      expect(documented('/api/v1/transactions/{uid}/signatories', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409', '422']));
      expect(documented('/api/v1/transactions/{uid}/signatories', 'get')).toEqual(expect.arrayContaining(['200', '401', '404']));
      for (const method of ['get', 'patch', 'delete']) {
        expect(documented('/api/v1/transactions/{uid}/signatories/{signatory_uid}', method)).toEqual(expect.arrayContaining(['401', '404']));
      }
      expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['TransactionResponse', 'SignatoryResponse', 'ProblemDetails']));
    });
  });

  describe('DELETE /transactions/{uid}', () => {
    it('soft-deletes a created transaction and keeps its audit trail', async () => {
      const transaction = await api.create();
      await api.uploadDocument(transaction.uid);
      const stored = await databaseOf(testApp).findOneOrFail(Transaction, { uid: transaction.uid });
      const storage = testApp.app.get(DocumentStorage);
      expect(await storage.exists(stored.documentStorageKey as string)).toBe(true);

      const response = await api.call('DELETE', `/transactions/${transaction.uid}`);

      expect(response.status).toBe(204);
      expect((await api.call('GET', `/transactions/${transaction.uid}`)).status).toBe(404);
      expect((await api.call('DELETE', `/transactions/${transaction.uid}`)).status).toBe(404);
      expect((await api.patch(transaction.uid, { name: 'ghost' })).status).toBe(404);
      expect(await storage.exists(stored.documentStorageKey as string)).toBe(false);

      const list = await api.call('GET', '/transactions?limit=100');
      expect(list.body.data.map((item: { uid: string }) => item.uid)).not.toContain(transaction.uid);

      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.map((event) => event.type).at(-1)).toBe('transaction.deleted');
      expect(events.at(-1)?.data).toEqual({ previous_status: 'created' });
      expect(hashChainProblem(events)).toBeNull();
    });
  });
});
