import { createTestClient, TestClient } from '../support/clients';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { confineWebhooksToLoopback, WebhookFixtures, WebhookReceiver, waitFor } from './webhook-test-kit';

/**
 * With WEBHOOK_ALLOW_PRIVATE off, nothing may connect to loopback or private addresses. The
 * receiver listens on loopback so that a wrongly allowed request would show up there, and the
 * test agent fails on any connection that would leave loopback.
 */
describe('webhook address policy', () => {
  let testApp: TestApp;
  let client: TestClient;
  let receiver: WebhookReceiver;
  let violations: string[];
  let rebindAnswers: string[][];
  const fixtures = new WebhookFixtures();

  beforeAll(async () => {
    await fixtures.connect();
    receiver = new WebhookReceiver();
    await receiver.start();
    testApp = await startTestApp({ WEBHOOK_RETRY_SCHEDULE: '100', WEBHOOK_TIMEOUT_MS: '500' });
    violations = confineWebhooksToLoopback(testApp, {
      'hooks.example.com': ['93.184.215.14'],
      'loopback.example.com': ['127.0.0.1'],
      'private.example.com': ['10.0.0.1'],
      'metadata.example.com': ['169.254.169.254'],
      'v6-loopback.example.com': ['::1'],
      // Public when the URL is checked, loopback when the agent connects.
      'rebind.example.com': () => rebindAnswers.shift() ?? ['127.0.0.1'],
    });
    client = await createTestClient(testApp);
  });

  afterAll(async () => {
    await testApp?.close();
    await receiver.stop();
    await fixtures.close();
  });

  afterEach(() => {
    expect(violations).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  async function lastDelivery(webhookUrl: string): Promise<{ succeeded: boolean; status_code: number | null; error: string }> {
    const transactionUid = await fixtures.createTransaction(client.uid, webhookUrl);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    await waitFor('the event to fail for good', async () => (await fixtures.messageStatus(event.uid)) === 'failed');
    const response = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/webhook-deliveries`, { authorization: client.authorization });

    return response.body.data[0];
  }

  describe('when saved', () => {
    it.each([
      ['http://127.0.0.1:8080/hook', 'loopback'],
      ['http://10.0.0.1/hook', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'link-local or cloud metadata'],
      ['http://[::1]/hook', 'loopback'],
      ['http://localhost:3000/hook', 'loopback'],
      ['https://private.example.com/hook', 'private'],
      ['https://metadata.example.com/hook', 'link-local or cloud metadata'],
    ])('rejects %s on create and update', async (url, reason) => {
      const created = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { webhook_url: url } });
      const transaction = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { name: 'Policy' } });
      const updated = await request(testApp.baseUrl, 'PATCH', `/api/v1/transactions/${transaction.body.uid}`, { authorization: client.authorization, json: { webhook_url: url } });

      for (const response of [created, updated]) {
        expect(response.status).toBe(422);
        expect(response.body.type).toBe('urn:secusign:problem:webhook_url_not_allowed');
        expect(response.body.errors.webhook_url[0]).toContain(`a ${reason} address`);
      }
    });

    it('accepts a public URL', async () => {
      const response = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { webhook_url: 'https://hooks.example.com/secusign' } });

      expect(response.status).toBe(201);
      expect(response.body.webhook_url).toBe('https://hooks.example.com/secusign');
    });
  });

  describe('at delivery time', () => {
    it.each([
      ['127.0.0.1 (the receiver)', () => receiver.url, 'address 127.0.0.1 is a loopback address'],
      ['10.0.0.1', () => 'http://10.0.0.1/hook', 'address 10.0.0.1 is a private address'],
      ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', 'address 169.254.169.254 is a link-local or cloud metadata address'],
      ['[::1]', () => `http://[::1]:${receiver.port}/hook`, 'address ::1 is a loopback address'],
      ['a host resolving to 10.0.0.1', () => 'http://private.example.com/hook', 'host "private.example.com" (resolves to 10.0.0.1) is a private address'],
      ['a host resolving to 127.0.0.1', () => `http://loopback.example.com:${receiver.port}/hook`, 'host "loopback.example.com" (resolves to 127.0.0.1) is a loopback address'],
      ['a host resolving to 169.254.169.254', () => 'http://metadata.example.com/', 'resolves to 169.254.169.254'],
      ['a host resolving to ::1', () => `http://v6-loopback.example.com:${receiver.port}/`, 'resolves to ::1'],
    ])('rejects %s', async (_label, url, message) => {
      const delivery = await lastDelivery(url());

      expect(delivery.succeeded).toBe(false);
      expect(delivery.status_code).toBeNull();
      expect(delivery.error).toContain(message);
    });

    it('rejects a host that rebinds to loopback after the check', async () => {
      // The first lookup result passes the check before the request, the second reaches the agent's lookup.
      rebindAnswers = [['93.184.215.14'], ['127.0.0.1'], ['93.184.215.14'], ['127.0.0.1']];

      const delivery = await lastDelivery(`http://rebind.example.com:${receiver.port}/hook`);

      expect(delivery.succeeded).toBe(false);
      expect(delivery.error).toContain('host "rebind.example.com" (resolves to 127.0.0.1) is a loopback address');
      expect(delivery.error).toContain('EWEBHOOKBLOCKED');
    });
  });
});
