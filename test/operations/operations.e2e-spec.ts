import { createTestClient, adminAuthorization, TestClient } from '../support/clients';
import { basicAuthorization, request, TestResponse } from '../support/http';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestApp, TestApp } from '../support/test-app';
import { expectStatus, TransactionsApi } from '../support/transactions';
import { confineWebhooksToLoopback, WebhookReceiver, waitFor } from '../webhooks/webhook-test-kit';
import { authenticate, createTransaction, eventually, problemCode, workflowCall } from '../workflow/workflow-test-kit';

/** Value of the sample `name{labels}` in a Prometheus text exposition, or 0 when absent. */
function sampleValue(metrics: string, name: string, labels: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));

  return line ? Number(line.split(' ').pop()) : 0;
}

async function scrape(testApp: TestApp): Promise<string> {
  return (await fetch(`${testApp.baseUrl}/metrics`)).text();
}

/** Returns headers that make a request look forwarded by a trusted proxy on loopback for the client at `ip`. */
function fromIp(ip: string, headers: Record<string, string> = {}): Record<string, string> {
  return { 'x-forwarded-for': ip, ...headers };
}

describe('health and metrics during a signing flow', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    testApp = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100' });
    confineWebhooksToLoopback(testApp, {});
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Metrics Ltd' }));
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
    await testApp.close();
  });

  it('reports each queue in /health', async () => {
    const response = await request(testApp.baseUrl, 'GET', '/health');
    expect(response.status).toBe(200);
    const queues = response.body.info.queues;
    expect(queues.status).toBe('up');
    for (const name of ['signatures', 'webhook.deliver']) {
      expect(Object.keys(queues[name]).sort()).toEqual(expect.arrayContaining(['active', 'delayed', 'failed', 'waiting']));
    }
  });

  it('counts codes, signatures and webhooks', async () => {
    const before = await scrape(testApp);
    const transaction = await createTransaction(api, [{ authentication: 'sms' }], { send: false });
    expectStatus(await api.patch(transaction.uid, { webhook_url: receiver.url }), 200);
    expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);
    const [signatory] = transaction.signatories;
    await authenticate(testApp, signatory);
    expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/sign', { consent: true }), 202);
    await eventually('the signatory is signed', async () => ((await workflowCall(testApp, 'GET', signatory.uid)).body.signatory.status === 'signed' ? true : undefined));
    await waitFor('the completion webhook arrives', () => receiver.received.some((item) => item.json.type === 'transaction.completed'));
    // The delivery is counted after the receiver replies, so the test waits for the metric itself.
    await eventually('the webhook deliveries are counted', async () =>
      sampleValue(await scrape(testApp), 'secusign_webhook_deliveries_total', 'outcome="delivered"') >= sampleValue(before, 'secusign_webhook_deliveries_total', 'outcome="delivered"') + 3 ? true : undefined,
    );

    const after = await scrape(testApp);
    expect(sampleValue(after, 'secusign_otp_codes_sent_total', 'channel="sms"')).toBe(sampleValue(before, 'secusign_otp_codes_sent_total', 'channel="sms"') + 1);
    expect(sampleValue(after, 'secusign_signatures_applied_total', 'level="simple"')).toBe(sampleValue(before, 'secusign_signatures_applied_total', 'level="simple"') + 1);
    expect(sampleValue(after, 'secusign_queue_jobs_total', 'queue="signatures",outcome="completed"')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'secusign_queue_jobs_total', 'queue="webhook.deliver",outcome="completed"')).toBeGreaterThanOrEqual(3);
    expect(after).toMatch(/secusign_queue_jobs\{queue="signatures",state="waiting"\} \d+/);
    expect(after).toMatch(/secusign_queue_jobs\{queue="webhook.deliver",state="delayed"\} \d+/);
  });
});

describe('security headers and CORS', () => {
  let testApp: TestApp;
  let withCors: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    withCors = await startTestApp({ CORS_ORIGINS: 'https://app.example, https://admin.example/' }, { withWorker: false });
  });

  afterAll(async () => {
    await testApp.close();
    await withCors.close();
  });

  it('sets helmet headers on API responses', async () => {
    const response = await request(testApp.baseUrl, 'GET', '/api/v1/transactions');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('leaves Swagger UI without a CSP', async () => {
    const response = await request(testApp.baseUrl, 'GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends no CORS headers by default', async () => {
    const preflight = await request(testApp.baseUrl, 'OPTIONS', '/api/v1/transactions', {
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows only the configured origins', async () => {
    const allowed = await request(withCors.baseUrl, 'OPTIONS', '/api/v1/transactions', {
      headers: { origin: 'https://admin.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example');

    const other = await request(withCors.baseUrl, 'OPTIONS', '/api/v1/transactions', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limits', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let client: TestClient;
  let otherClient: TestClient;

  beforeAll(async () => {
    testApp = await startTestApp(
      { WORKFLOW_RATE_LIMIT_PER_IP: '6', WORKFLOW_RATE_LIMIT_PER_SIGNATORY: '3', WORKFLOW_RATE_WINDOW_SECONDS: '60', AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60' },
      { withWorker: false },
    );
    client = await createTestClient(testApp);
    otherClient = await createTestClient(testApp);
    api = new TransactionsApi(testApp, client);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function expectRateLimited(response: TestResponse): void {
    expect(response.status).toBe(429);
    expect(problemCode(response.body)).toBe('rate_limited');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  }

  it('limits the workflow API per signatory and per IP', async () => {
    const transaction = await createTransaction(api, [{}, {}]);
    const [first, second] = transaction.signatories;
    const view = (signatoryUid: string, ip: string) => workflowCall(testApp, 'GET', signatoryUid, '', undefined, fromIp(ip));

    for (let index = 0; index < 3; index += 1) {
      expect((await view(first.uid, '198.51.100.1')).status).toBe(200);
    }
    expectRateLimited(await view(first.uid, '198.51.100.1'));
    // The signatory limit applies from any address.
    expectRateLimited(await view(first.uid, '198.51.100.2'));
    expect((await view(second.uid, '198.51.100.1')).status).toBe(200);
    expect((await view(second.uid, '198.51.100.1')).status).toBe(200);
    // Seventh request from 198.51.100.1 within the window.
    expectRateLimited(await view(second.uid, '198.51.100.1'));
    expect((await view(second.uid, '198.51.100.3')).status).toBe(200);
  });

  it('leaves other routes unlimited', async () => {
    for (let index = 0; index < 10; index += 1) {
      expect((await request(testApp.baseUrl, 'GET', '/health', { headers: fromIp('198.51.100.1') })).status).toBe(200);
    }
  });

  it('never blocks a client_id from another IP', async () => {
    const wrong = basicAuthorization(client.clientId, 'not-the-secret');
    const attackerIps = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5', '203.0.113.6'];
    for (const ip of attackerIps) {
      expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: wrong, headers: fromIp(ip) })).status).toBe(401);
    }

    expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: client.authorization, headers: fromIp('203.0.113.9') })).status).toBe(200);
    expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: client.authorization, headers: fromIp(attackerIps[0]) })).status).toBe(200);
  });

  it('blocks a client_id on the guessing IP', async () => {
    const wrong = basicAuthorization(otherClient.clientId, 'not-the-secret');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: wrong, headers: fromIp('203.0.113.20') })).status).toBe(401);
    }

    expectRateLimited(await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: otherClient.authorization, headers: fromIp('203.0.113.20') }));
    expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: otherClient.authorization, headers: fromIp('203.0.113.21') })).status).toBe(200);
  });

  it('blocks an IP after repeated failures', async () => {
    for (const username of ['cli_unknown1', 'cli_unknown2', 'cli_unknown3']) {
      const response = await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: basicAuthorization(username, 'guess'), headers: fromIp('203.0.113.50') });
      expect(response.status).toBe(401);
    }
    expectRateLimited(await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: otherClient.authorization, headers: fromIp('203.0.113.50') }));
    expectRateLimited(await request(testApp.baseUrl, 'GET', '/api/v1/admin/clients', { authorization: adminAuthorization(), headers: fromIp('203.0.113.50') }));
    expect((await request(testApp.baseUrl, 'GET', '/api/v1/transactions', { authorization: otherClient.authorization, headers: fromIp('203.0.113.51') })).status).toBe(200);
  });

  it('blocks the admin username after repeated failures', async () => {
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      const response = await request(testApp.baseUrl, 'GET', '/api/v1/admin/clients', { authorization: basicAuthorization(ADMIN_USERNAME, `${ADMIN_PASSWORD}-wrong`), headers: fromIp(ip) });
      expect(response.status).toBe(401);
    }
    expectRateLimited(await request(testApp.baseUrl, 'GET', '/api/v1/admin/clients', { authorization: adminAuthorization(), headers: fromIp('192.0.2.9') }));
  });
});
