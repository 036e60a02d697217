import { Client as PgClient } from 'pg';
import { adminAuthorization, createTestClient } from './support/clients';
import { basicAuthorization, request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const CLIENTS = '/api/v1/admin/clients';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('admin clients API', () => {
  let testApp: TestApp;
  let database: PgClient;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    database = new PgClient({ connectionString: process.env.DATABASE_URL });
    await database.connect();
  });

  afterAll(async () => {
    await database.end();
    await testApp.close();
  });

  const admin = (method: string, path: string, json?: unknown) =>
    request(testApp.baseUrl, method, path, { authorization: adminAuthorization(), json });

  describe('create', () => {
    it('returns the client with its secrets', async () => {
      const response = await admin('POST', CLIENTS, {
        name: 'Acme Leasing',
        display_name: 'Acme',
        primary_color: '#0a5fff',
        logo_url: 'https://acme.example/logo.png',
        sms_sender: 'ACME Lease',
      });

      expect(response.status).toBe(201);
      expect(response.body.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body.client_id).toMatch(/^cli_[\w-]+$/);
      expect(response.body.client_secret).toMatch(/^sk_[\w-]{43}$/);
      expect(response.body).toMatchObject({
        name: 'Acme Leasing',
        display_name: 'Acme',
        primary_color: '#0A5FFF',
        logo_url: 'https://acme.example/logo.png',
        sms_sender: 'ACME Lease',
        status: 'active',
        disabled_at: null,
      });
      expect(response.body.created_at).toMatch(TIMESTAMP);
      expect(response.body.updated_at).toMatch(TIMESTAMP);
      expect(response.body).not.toHaveProperty('secret_hash');
      expect(response.body).not.toHaveProperty('webhook_secret_encrypted');
    });

    it('issues a Standard Webhooks secret', async () => {
      const client = await createTestClient(testApp);
      const key = Buffer.from(client.webhookSecret.replace(/^whsec_/, ''), 'base64');

      expect(client.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(key.length).toBeGreaterThanOrEqual(24);
      expect(key.length).toBeLessThanOrEqual(32);
    });

    it('stores a hash and a ciphertext, not the secrets', async () => {
      const client = await createTestClient(testApp);
      const { rows } = await database.query('select secret_hash, webhook_secret_encrypted from clients where uid = $1', [client.uid]);

      expect(rows).toHaveLength(1);
      expect(rows[0].secret_hash).toMatch(/^\$scrypt\$/);
      expect(rows[0].secret_hash).not.toContain(client.clientSecret);
      expect(rows[0].webhook_secret_encrypted).toMatch(/^v1\./);
      expect(rows[0].webhook_secret_encrypted).not.toContain(client.webhookSecret.slice(6));
    });

    it('issues distinct credentials per client', async () => {
      const first = await createTestClient(testApp);
      const second = await createTestClient(testApp);

      expect(first.clientId).not.toBe(second.clientId);
      expect(first.clientSecret).not.toBe(second.clientSecret);
      expect(first.webhookSecret).not.toBe(second.webhookSecret);
    });

    it('requires a name', async () => {
      const response = await admin('POST', CLIENTS, {});

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe('urn:secusign:problem:validation_failed');
      expect(response.body.errors).toHaveProperty('name');
    });

    it('rejects unknown fields', async () => {
      const response = await admin('POST', CLIENTS, { name: 'x', client_secret: 'mine' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('client_secret');
    });

    it.each([
      ['primary_color', '0A5FFF'],
      ['primary_color', '#0A5FF'],
      ['primary_color', 'red'],
      ['logo_url', 'http://acme.example/logo.png'],
      ['logo_url', 'javascript:alert(1)'],
      ['logo_url', 'not a url'],
      ['sms_sender', 'AB'],
      ['sms_sender', 'ACME LEASING CO'],
      ['sms_sender', '12345678901234567'],
      ['sms_sender', 'ACME-LEASE'],
      ['sms_sender', ' ACME'],
      ['sms_sender', 'Société'],
      ['display_name', ''],
      ['display_name', 42],
    ])('rejects %s %p', async (field, value) => {
      const response = await admin('POST', CLIENTS, { name: 'Branding', [field]: value });

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:validation_failed');
      expect(Object.keys(response.body.errors)).toEqual([field]);
    });

    it.each(['ACME', 'Acme 2 Lea', 'A1B', '33612345678', '123'])('accepts sms_sender %p', async (smsSender) => {
      const response = await admin('POST', CLIENTS, { name: 'Sender', sms_sender: smsSender });

      expect(response.status).toBe(201);
      expect(response.body.sms_sender).toBe(smsSender);
    });
  });

  describe('get and list', () => {
    it('never returns the secrets again', async () => {
      const client = await createTestClient(testApp);
      const one = await admin('GET', `${CLIENTS}/${client.uid}`);
      const page = await admin('GET', `${CLIENTS}?limit=100`);
      const serialized = JSON.stringify([one.body, page.body]);

      expect(one.status).toBe(200);
      expect(one.body.client_id).toBe(client.clientId);
      expect(one.body).not.toHaveProperty('client_secret');
      expect(one.body).not.toHaveProperty('webhook_secret');
      expect(serialized).not.toContain(client.clientSecret);
      expect(serialized).not.toContain(client.webhookSecret);
      expect(serialized).not.toContain('$scrypt$');
    });

    it('answers 404 for an unknown uid', async () => {
      const response = await admin('GET', `${CLIENTS}/7b0c33c2-5b4e-4c36-9f53-0c1d2e3f4a5b`);

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:client_not_found');
    });

    it('answers 404 for a malformed uid', async () => {
      const response = await admin('GET', `${CLIENTS}/not-a-uuid`);

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:client_not_found');
    });

    it('pages newest first without gaps', async () => {
      const created: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        created.push((await createTestClient(testApp)).uid);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const page = await admin('GET', `${CLIENTS}${query}`);
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((client: { uid: string }) => client.uid));
        cursor = page.body.next_cursor;
      } while (cursor);

      expect(new Set(seen).size).toBe(seen.length);
      const positions = created.map((uid) => seen.indexOf(uid));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    });

    it('rejects a malformed cursor', async () => {
      const response = await admin('GET', `${CLIENTS}?cursor=garbage`);

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:invalid_cursor');
    });

    it('rejects a limit above 100', async () => {
      const response = await admin('GET', `${CLIENTS}?limit=101`);

      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:secusign:problem:validation_failed');
    });
  });

  describe('update', () => {
    it('changes branding and keeps absent fields', async () => {
      const client = await createTestClient(testApp, { display_name: 'Before', sms_sender: 'BEFORE' });
      const response = await admin('PATCH', `${CLIENTS}/${client.uid}`, { display_name: 'After', primary_color: '#112233' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ display_name: 'After', primary_color: '#112233', sms_sender: 'BEFORE' });
    });

    it('clears a branding field with null', async () => {
      const client = await createTestClient(testApp, { logo_url: 'https://acme.example/logo.png' });
      const response = await admin('PATCH', `${CLIENTS}/${client.uid}`, { logo_url: null });

      expect(response.status).toBe(200);
      expect(response.body.logo_url).toBeNull();
    });

    it('rejects a null name', async () => {
      const client = await createTestClient(testApp);
      const response = await admin('PATCH', `${CLIENTS}/${client.uid}`, { name: null });

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('name');
    });

    it('rejects invalid branding', async () => {
      const client = await createTestClient(testApp);
      const response = await admin('PATCH', `${CLIENTS}/${client.uid}`, { primary_color: 'blue' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('primary_color');
    });

    it('answers 404 for an unknown uid', async () => {
      const response = await admin('PATCH', `${CLIENTS}/7b0c33c2-5b4e-4c36-9f53-0c1d2e3f4a5b`, { display_name: 'x' });

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:client_not_found');
    });
  });

  describe('disable and enable', () => {
    it('disables and re-enables a client', async () => {
      const client = await createTestClient(testApp);

      const disabled = await admin('POST', `${CLIENTS}/${client.uid}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('disabled');
      expect(disabled.body.disabled_at).toMatch(TIMESTAMP);

      const again = await admin('POST', `${CLIENTS}/${client.uid}/disable`);
      expect(again.status).toBe(200);
      expect(again.body.disabled_at).toBe(disabled.body.disabled_at);

      const enabled = await admin('POST', `${CLIENTS}/${client.uid}/enable`);
      expect(enabled.status).toBe(200);
      expect(enabled.body.status).toBe('active');
      expect(enabled.body.disabled_at).toBeNull();
    });

    it('answers 404 for an unknown uid', async () => {
      const response = await admin('POST', `${CLIENTS}/7b0c33c2-5b4e-4c36-9f53-0c1d2e3f4a5b/disable`);

      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:secusign:problem:client_not_found');
    });
  });

  describe('authentication', () => {
    it.each([
      ['no credentials', undefined],
      ['a wrong password', basicAuthorization('test-admin', 'wrong')],
      ['a wrong username', basicAuthorization('root', 'test-admin-password')],
    ])('rejects %s with 401', async (_case, authorization) => {
      const response = await request(testApp.baseUrl, 'GET', CLIENTS, { authorization });

      expect(response.status).toBe(401);
      expect(response.body.type).toBe('urn:secusign:problem:unauthorized');
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="SecuSign"');
    });

    it('rejects client credentials with 401', async () => {
      const client = await createTestClient(testApp);

      for (const [method, path] of [
        ['GET', CLIENTS],
        ['POST', CLIENTS],
        ['GET', `${CLIENTS}/${client.uid}`],
        ['POST', `${CLIENTS}/${client.uid}/disable`],
      ]) {
        const response = await request(testApp.baseUrl, method, path, { authorization: client.authorization, json: method === 'POST' ? { name: 'x' } : undefined });
        expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 401`);
      }
    });
  });
});
