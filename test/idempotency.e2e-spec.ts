import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { Client as PgClient } from 'pg';
import { adminAuthorization, createTestClient, TestClient } from './support/clients';
import { request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const CLIENTS = '/api/v1/admin/clients';
const TRANSACTIONS = '/api/v1/transactions';

async function onePagePdf(text: string): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]).drawText(text, { x: 20, y: 100, size: 12 });

  return document.save();
}

function pdfForm(pdf: Uint8Array, name: string): FormData {
  const form = new FormData();
  form.append('name', name);
  form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'contract.pdf');

  return form;
}

describe('Idempotency-Key', () => {
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

  const createClient = (key: string | undefined, json: unknown) =>
    request(testApp.baseUrl, 'POST', CLIENTS, { authorization: adminAuthorization(), json, headers: key === undefined ? {} : { 'idempotency-key': key } });

  const countClientsNamed = async (name: string) => Number((await database.query('select count(*) from clients where name = $1', [name])).rows[0].count);

  const countTransactionsOf = async (clientUid: string) =>
    Number((await database.query('select count(*) from transactions where client_uid = $1', [clientUid])).rows[0].count);

  describe('replays', () => {
    it('returns the first response and creates one client', async () => {
      const key = randomUUID();
      const name = `replay-${key}`;

      const first = await createClient(key, { name });
      const retry = await createClient(key, { name });

      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(retry.body).toEqual(first.body);
      expect(await countClientsNamed(name)).toBe(1);
    });

    it('ignores key order and whitespace of a JSON body', async () => {
      const key = randomUUID();
      const name = `canonical-${key}`;

      const first = await createClient(key, { name, display_name: 'Canonical' });
      const retry = await request(testApp.baseUrl, 'POST', CLIENTS, {
        authorization: adminAuthorization(),
        headers: { 'idempotency-key': key, 'content-type': 'application/json' },
        body: `{ "display_name" : "Canonical",\n  "name": ${JSON.stringify(name)} }`,
      });

      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.uid).toBe(first.body.uid);
      expect(await countClientsNamed(name)).toBe(1);
    });

    it('replays a stored 4xx response', async () => {
      const key = randomUUID();

      const first = await createClient(key, { primary_color: 'blue' });
      const retry = await createClient(key, { primary_color: 'blue' });

      expect(first.status).toBe(400);
      expect(retry.status).toBe(400);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('content-type')).toContain('application/problem+json');
      expect(retry.body).toEqual(first.body);
    });

    it('stores the response encrypted', async () => {
      const key = randomUUID();
      const first = await createClient(key, { name: `encrypted-${key}` });
      const { rows } = await database.query('select response_body, status_code from idempotency_records where scope = $1 and key = $2', ['admin', key]);

      expect(rows).toHaveLength(1);
      expect(rows[0].status_code).toBe(201);
      expect(rows[0].response_body).toMatch(/^v1\./);
      expect(rows[0].response_body).not.toContain(first.body.client_secret);
      expect(Buffer.from(rows[0].response_body.split('.')[2], 'base64url').toString()).not.toContain(first.body.client_secret);
    });

    it('treats requests without a key independently', async () => {
      const name = `no-key-${randomUUID()}`;

      const first = await createClient(undefined, { name });
      const second = await createClient(undefined, { name });

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.uid).not.toBe(first.body.uid);
      expect(await countClientsNamed(name)).toBe(2);
    });

    it('runs the request again once the record expired', async () => {
      const key = randomUUID();
      const name = `expired-${key}`;

      const first = await createClient(key, { name });
      await database.query("update idempotency_records set created_at = now() - interval '25 hours' where scope = 'admin' and key = $1", [key]);
      const later = await createClient(key, { name });

      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body.uid).not.toBe(first.body.uid);
      expect(await countClientsNamed(name)).toBe(2);
    });
  });

  describe('conflicts', () => {
    it('rejects the same key with another body with 422', async () => {
      const key = randomUUID();
      const name = `reused-${key}`;

      const first = await createClient(key, { name });
      const other = await createClient(key, { name: `${name}-other` });

      expect(first.status).toBe(201);
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(other.body.type).toBe('urn:secusign:problem:idempotency_key_reused');
      expect(await countClientsNamed(`${name}-other`)).toBe(0);
    });

    it('rejects the same key on another path with 422', async () => {
      const key = randomUUID();
      const created = await createClient(key, { name: `path-${key}` });

      const disable = await request(testApp.baseUrl, 'POST', `${CLIENTS}/${created.body.uid}/disable`, {
        authorization: adminAuthorization(),
        headers: { 'idempotency-key': key },
      });

      expect(disable.status).toBe(422);
      expect(disable.body.type).toBe('urn:secusign:problem:idempotency_key_reused');
    });

    it('runs concurrent requests with one key at most once', async () => {
      const key = randomUUID();
      const name = `concurrent-${key}`;

      const responses = await Promise.all(Array.from({ length: 6 }, () => createClient(key, { name })));
      const created = responses.filter((response) => response.status === 201);
      const inProgress = responses.filter((response) => response.status === 409);

      expect(created.length + inProgress.length).toBe(responses.length);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((response) => response.body.uid)).size).toBe(1);
      for (const response of inProgress) {
        expect(response.body.type).toBe('urn:secusign:problem:idempotency_key_in_progress');
      }
      expect(await countClientsNamed(name)).toBe(1);
    });

    it('answers 409 while the first request holds the key', async () => {
      const key = randomUUID();
      await database.query("insert into idempotency_records (scope, key, request_hash, created_at) values ('admin', $1, 'pending', now())", [key]);

      const response = await createClient(key, { name: `held-${key}` });

      expect(response.status).toBe(409);
      expect(response.body.type).toBe('urn:secusign:problem:idempotency_key_in_progress');
    });

    it('takes over a key abandoned by a crashed request', async () => {
      const key = randomUUID();
      await database.query("insert into idempotency_records (scope, key, request_hash, created_at) values ('admin', $1, 'pending', now() - interval '11 minutes')", [key]);

      const response = await createClient(key, { name: `abandoned-${key}` });

      expect(response.status).toBe(201);
    });
  });

  describe('key format', () => {
    it.each([
      ['an empty key', ''],
      ['a key of 256 characters', 'k'.repeat(256)],
      ['a non-ASCII key', 'clé'],
      ['a key with a tab', 'a\tb'],
    ])('rejects %s with 400', async (_case, key) => {
      const name = `bad-key-${randomUUID()}`;
      const response = await createClient(key, { name });

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_idempotency_key');
      expect(await countClientsNamed(name)).toBe(0);
    });

    it('accepts a key of 255 printable characters', async () => {
      const key = `~ !${randomUUID()}`.padEnd(255, 'x');
      const response = await createClient(key, { name: `long-key-${randomUUID()}` });

      expect(response.status).toBe(201);
    });
  });

  describe('server errors', () => {
    it('does not store a 5xx response', async () => {
      const key = randomUUID();
      const name = `fails-${key}`;
      const constraint = `test_fails_${key.replace(/-/g, '')}`;
      // A check constraint that only this name violates makes the insert fail with a 500.
      await database.query(`alter table clients add constraint ${constraint} check (name <> '${name}')`);
      let failed;
      let retried;
      try {
        failed = await createClient(key, { name });
        retried = await createClient(key, { name });
      } finally {
        await database.query(`alter table clients drop constraint ${constraint}`);
      }
      const records = await database.query('select 1 from idempotency_records where scope = $1 and key = $2', ['admin', key]);
      const afterRepair = await createClient(key, { name });

      expect(failed.status).toBe(500);
      expect(retried.status).toBe(500);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(retried.body.error_id).not.toBe(failed.body.error_id);
      expect(records.rowCount).toBe(0);
      expect(afterRepair.status).toBe(201);
      expect(await countClientsNamed(name)).toBe(1);
    });
  });

  describe('client routes', () => {
    it('replays a transaction create and creates one transaction', async () => {
      const owner = await createTestClient(testApp);
      const key = randomUUID();
      const send = () => request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: owner.authorization, json: { name: 'Lease 2024-117' }, headers: { 'idempotency-key': key } });

      const first = await send();
      const retry = await send();

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.uid).toBe(first.body.uid);
      expect(await countTransactionsOf(owner.uid)).toBe(1);
    });

    it('scopes keys to the client', async () => {
      const other = await createTestClient(testApp);
      const key = randomUUID();
      const send = (authorization: string) => request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization, json: { name: 'Shared key' }, headers: { 'idempotency-key': key } });

      const mine = await send(client.authorization);
      const theirs = await send(other.authorization);

      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.uid).not.toBe(mine.body.uid);
    });

    it('does not replay to a request that fails authentication', async () => {
      const key = randomUUID();
      await request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: client.authorization, json: { name: 'Guarded' }, headers: { 'idempotency-key': key } });

      const anonymous = await request(testApp.baseUrl, 'POST', TRANSACTIONS, { json: { name: 'Guarded' }, headers: { 'idempotency-key': key } });

      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('idempotent-replayed')).toBeNull();
    });

    it('replays a multipart create sent with a new boundary', async () => {
      const owner = await createTestClient(testApp);
      const key = randomUUID();
      const pdf = await onePagePdf('same');
      const send = () => request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: owner.authorization, body: pdfForm(pdf, 'Multipart'), headers: { 'idempotency-key': key } });

      const first = await send();
      const retry = await send();

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.uid).toBe(first.body.uid);
      expect(await countTransactionsOf(owner.uid)).toBe(1);
    });

    it('rejects a multipart retry with another file with 422', async () => {
      const owner = await createTestClient(testApp);
      const key = randomUUID();
      const send = async (text: string) =>
        request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: owner.authorization, body: pdfForm(await onePagePdf(text), 'Multipart'), headers: { 'idempotency-key': key } });

      const first = await send('first');
      const other = await send('other');

      expect(first.status).toBe(201);
      expect(other.status).toBe(422);
      expect(other.body.type).toBe('urn:secusign:problem:idempotency_key_reused');
      expect(await countTransactionsOf(owner.uid)).toBe(1);
    });

    it('rejects a JSON retry of a multipart request with 422', async () => {
      const owner = await createTestClient(testApp);
      const key = randomUUID();

      const first = await request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: owner.authorization, body: pdfForm(await onePagePdf('x'), 'Mixed'), headers: { 'idempotency-key': key } });
      const json = await request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: owner.authorization, json: { name: 'Mixed' }, headers: { 'idempotency-key': key } });

      expect(first.status).toBe(201);
      expect(json.status).toBe(422);
      expect(json.body.type).toBe('urn:secusign:problem:idempotency_key_reused');
    });
    it('does not store a response to an unread body', async () => {
      const key = randomUUID();
      const send = () =>
        request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: client.authorization, body: 'name=Plain', headers: { 'idempotency-key': key, 'content-type': 'text/plain' } });

      const first = await send();
      const records = await database.query('select 1 from idempotency_records where scope = $1 and key = $2', [client.uid, key]);
      const retry = await send();

      expect(first.status).toBe(415);
      expect(records.rowCount).toBe(0);
      expect(retry.status).toBe(415);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('OpenAPI document', () => {
    it('documents the header on every POST', async () => {
      const document = (await request(testApp.baseUrl, 'GET', '/docs-json')).body as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
      };
      const posts = Object.entries(document.paths).filter(([, item]) => item.post);

      expect(posts.length).toBeGreaterThan(0);
      for (const [path, item] of posts) {
        const header = item.post.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
        expect(`${path} ${header ? 'documents' : 'lacks'} Idempotency-Key`).toBe(`${path} documents Idempotency-Key`);
        expect(Object.keys(item.post.responses)).toEqual(expect.arrayContaining(['409', '422']));
      }
    });
  });
});

describe('Idempotency-Key expiry', () => {
  it('deletes expired records of other keys', async () => {
    const database = new PgClient({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    const expiredKey = randomUUID();
    await database.query("insert into idempotency_records (scope, key, request_hash, status_code, created_at, completed_at) values ('admin', $1, 'x', 201, now() - interval '25 hours', now() - interval '25 hours')", [expiredKey]);
    // A new process sweeps expired records on its first claim.
    const testApp = await startTestApp({}, { withWorker: false });
    try {
      const response = await request(testApp.baseUrl, 'POST', CLIENTS, { authorization: adminAuthorization(), json: { name: 'Sweep' }, headers: { 'idempotency-key': randomUUID() } });
      expect(response.status).toBe(201);

      // The sweep runs in the background, so poll for it; the Jest test timeout bounds the wait.
      let remaining = 1;
      while (remaining > 0) {
        remaining = (await database.query("select 1 from idempotency_records where scope = 'admin' and key = $1", [expiredKey])).rowCount ?? 0;
        if (remaining > 0) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      expect(remaining).toBe(0);
    } finally {
      await testApp.close();
      await database.end();
    }
  });
});
