import { adminAuthorization, createTestClient, TestClient } from './support/clients';
import { basicAuthorization, request } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const TRANSACTIONS = '/api/v1/transactions';
const CLIENTS = '/api/v1/admin/clients';

describe('client authentication', () => {
  let testApp: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    client = await createTestClient(testApp);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const list = (authorization?: string) => request(testApp.baseUrl, 'GET', TRANSACTIONS, { authorization });

  const expectUnauthorized = (response: Awaited<ReturnType<typeof list>>) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="SecuSign"');
    expect(response.body.type).toBe('urn:secusign:problem:unauthorized');
    expect(response.body.status).toBe(401);
  };

  it('accepts valid credentials', async () => {
    const response = await list(client.authorization);

    expect(response.status).toBe(200);
  });

  it('accepts the scheme in lower case', async () => {
    const response = await list(client.authorization.replace(/^Basic/, 'basic'));

    expect(response.status).toBe(200);
  });

  it('accepts valid credentials repeatedly', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await list(client.authorization)).status).toBe(200);
    }
  });

  it('rejects a request without credentials', async () => {
    expectUnauthorized(await list());
  });

  it('rejects a wrong secret', async () => {
    expectUnauthorized(await list(basicAuthorization(client.clientId, `${client.clientSecret.slice(0, -1)}x`)));
  });

  it('rejects the secret with a suffix', async () => {
    expectUnauthorized(await list(basicAuthorization(client.clientId, `${client.clientSecret}x`)));
  });

  it('rejects an unknown client_id', async () => {
    expectUnauthorized(await list(basicAuthorization('cli_unknown', client.clientSecret)));
  });

  it('rejects another client\'s secret', async () => {
    const other = await createTestClient(testApp);

    expectUnauthorized(await list(basicAuthorization(client.clientId, other.clientSecret)));
  });

  it.each([
    ['a bearer token', 'Bearer some-opaque-token'],
    ['the scheme alone', 'Basic'],
    ['invalid base64', 'Basic !!!'],
    ['credentials without a colon', `Basic ${Buffer.from('cli_abc').toString('base64')}`],
    ['an empty client_id', `Basic ${Buffer.from(':secret').toString('base64')}`],
    ['an empty secret', `Basic ${Buffer.from('cli_abc:').toString('base64')}`],
  ])('rejects a malformed header: %s', async (_case, authorization) => {
    expectUnauthorized(await list(authorization));
  });

  it('rejects the admin credentials on client routes', async () => {
    expectUnauthorized(await list(adminAuthorization()));
  });

  it('rejects a disabled client on every request', async () => {
    const disabled = await createTestClient(testApp);
    expect((await list(disabled.authorization)).status).toBe(200);

    const disable = await request(testApp.baseUrl, 'POST', `${CLIENTS}/${disabled.uid}/disable`, { authorization: adminAuthorization() });
    expect(disable.status).toBe(200);

    expectUnauthorized(await list(disabled.authorization));
    expectUnauthorized(await request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: disabled.authorization, json: { name: 'After disable' } }));

    const enable = await request(testApp.baseUrl, 'POST', `${CLIENTS}/${disabled.uid}/enable`, { authorization: adminAuthorization() });
    expect(enable.status).toBe(200);
    expect((await list(disabled.authorization)).status).toBe(200);
  });

  it('names the authenticated client as the owner', async () => {
    const created = await request(testApp.baseUrl, 'POST', TRANSACTIONS, { authorization: client.authorization, json: { name: 'Owned' } });
    const other = await createTestClient(testApp);

    expect(created.status).toBe(201);
    expect((await request(testApp.baseUrl, 'GET', `${TRANSACTIONS}/${created.body.uid}`, { authorization: client.authorization })).status).toBe(200);
    expect((await request(testApp.baseUrl, 'GET', `${TRANSACTIONS}/${created.body.uid}`, { authorization: other.authorization })).status).toBe(404);
  });

  it('lists the client scheme in the OpenAPI document', async () => {
    const document = (await request(testApp.baseUrl, 'GET', '/docs-json')).body;
    const operation = document.paths[TRANSACTIONS].get;

    expect(operation.security).toEqual([{ client: [] }]);
    expect(operation.responses['401']).toBeDefined();
    expect(document.paths[CLIENTS].post.security).toEqual([{ admin: [] }]);
  });
});

describe('administrator authentication', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // A password with colons: RFC 7617 splits the credentials at the first colon only.
    testApp = await startTestApp({ ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'pa:ss:word' }, { withWorker: false });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const listClients = (authorization?: string) => request(testApp.baseUrl, 'GET', CLIENTS, { authorization });

  it('accepts a password that contains colons', async () => {
    expect((await listClients(basicAuthorization('ops', 'pa:ss:word'))).status).toBe(200);
  });

  it.each([
    ['a truncated password', basicAuthorization('ops', 'pa')],
    ['a wrong username', basicAuthorization('admin', 'pa:ss:word')],
    ['the password with a suffix', basicAuthorization('ops', 'pa:ss:word!')],
    ['no credentials', undefined],
  ])('rejects %s', async (_case, authorization) => {
    const response = await listClients(authorization);

    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:secusign:problem:unauthorized');
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="SecuSign"');
  });
});
