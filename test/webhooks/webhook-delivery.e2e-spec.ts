import { Webhook } from 'standardwebhooks';
import { createTestClient, adminAuthorization, TestClient } from '../support/clients';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { confineWebhooksToLoopback, WebhookFixtures, WebhookReceiver, waitFor } from './webhook-test-kit';

/** Retries after 100, 200 and 300 ms, so a message fails for good after four attempts. The 2 s timeout leaves room for a loaded CI machine. */
const FAST_SETTINGS = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100,200,300', WEBHOOK_TIMEOUT_MS: '2000' };

interface DeliveryBody {
  id: string;
  event_id: string;
  event_type: string;
  sequence: number;
  attempt: number;
  trigger: string;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  event_status: string;
  next_retry_at: string | null;
}

describe('webhook delivery', () => {
  let testApp: TestApp;
  let client: TestClient;
  let receiver: WebhookReceiver;
  let violations: string[];
  const fixtures = new WebhookFixtures();

  beforeAll(async () => {
    await fixtures.connect();
    testApp = await startTestApp(FAST_SETTINGS);
    violations = confineWebhooksToLoopback(testApp, {});
    client = await createTestClient(testApp);
  });

  afterAll(async () => {
    await testApp?.close();
    await fixtures.close();
  });

  beforeEach(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  afterEach(async () => {
    await receiver.stop();
    expect(violations).toEqual([]);
  });

  async function deliveriesOf(transactionUid: string, testClient = client): Promise<DeliveryBody[]> {
    const response = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/webhook-deliveries?limit=100`, { authorization: testClient.authorization });
    expect(response.status).toBe(200);

    return response.body.data as DeliveryBody[];
  }

  it('retries a failed event with the same id until it succeeds', async () => {
    receiver.plan = ({ nth }) => (nth === 1 ? 500 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');

    await waitFor('the event to be delivered', async () => (await fixtures.messageStatus(event.uid)) === 'succeeded');

    const requests = receiver.requestsFor(event.uid);
    expect(requests).toHaveLength(2);
    expect(requests.map((item) => item.headers['webhook-id'])).toEqual([event.uid, event.uid]);
    expect(requests[1].body).toBe(requests[0].body);
    expect(requests[1].json).toMatchObject({ id: event.uid, type: 'transaction.sent', sequence: 1, data: { transaction: { uid: transactionUid } } });
    expect(requests[1].json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    for (const item of requests) {
      expect(new Webhook(client.webhookSecret).verify(item.body, item.headers)).toEqual(item.json);
    }

    const deliveries = await deliveriesOf(transactionUid);
    expect(deliveries.map((item) => [item.attempt, item.status_code, item.succeeded])).toEqual([
      [2, 204, true],
      [1, 500, false],
    ]);
    expect(deliveries[1].error).toBe('HTTP 500');
    expect(deliveries[1].next_retry_at).not.toBeNull();
    expect(deliveries[0]).toMatchObject({ event_id: event.uid, event_type: 'transaction.sent', trigger: 'automatic', event_status: 'succeeded', next_retry_at: null });
  });

  it('times out a hanging receiver and retries', async () => {
    receiver.plan = ({ nth }) => (nth === 1 ? 'hang' : 200);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');

    await waitFor('the event to be delivered', async () => (await fixtures.messageStatus(event.uid)) === 'succeeded');

    const deliveries = await deliveriesOf(transactionUid);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]).toMatchObject({ attempt: 1, succeeded: false, status_code: null, error: 'timed out after 2000 ms' });
    expect(deliveries[1].duration_ms).toBeGreaterThanOrEqual(1990);
    expect(deliveries[0]).toMatchObject({ attempt: 2, succeeded: true, status_code: 200 });
  });

  it('does not follow redirects', async () => {
    receiver.plan = ({ nth }) => (nth === 1 ? 302 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');

    await waitFor('the event to be delivered', async () => (await fixtures.messageStatus(event.uid)) === 'succeeded');

    const deliveries = await deliveriesOf(transactionUid);
    expect(deliveries[1]).toMatchObject({ attempt: 1, succeeded: false, status_code: 302 });
    expect(deliveries[1].error).toContain('not followed');
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps the order of one transaction under retries', async () => {
    // Event 1 fails three times before it goes through; events 2 and 3 must wait for it.
    receiver.plan = ({ sequence, nth }) => (sequence === 1 && nth <= 3 ? 503 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const first = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    const second = await fixtures.recordEvent(client.uid, transactionUid, 'signatory.signed');
    const third = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.completed');

    await waitFor('all three events to be delivered', async () => (await fixtures.messageStatus(third.uid)) === 'succeeded');

    expect(receiver.received.map((item) => [item.json.sequence, item.reply])).toEqual([
      [1, 503],
      [1, 503],
      [1, 503],
      [1, 204],
      [2, 204],
      [3, 204],
    ]);
    expect(receiver.requestsFor(second.uid)).toHaveLength(1);
    expect(await fixtures.messageStatus(first.uid)).toBe('succeeded');
  });

  it('gives up after the schedule and then delivers the next event', async () => {
    receiver.plan = ({ sequence }) => (sequence === 1 ? 500 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const first = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    const second = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.cancelled');

    await waitFor('the second event to be delivered', async () => (await fixtures.messageStatus(second.uid)) === 'succeeded');

    expect(await fixtures.messageStatus(first.uid)).toBe('failed');
    expect(receiver.requestsFor(first.uid)).toHaveLength(4);
    const firstDeliveries = (await deliveriesOf(transactionUid)).filter((item) => item.event_id === first.uid);
    expect(firstDeliveries.map((item) => item.attempt)).toEqual([4, 3, 2, 1]);
    expect(firstDeliveries[0].next_retry_at).toBeNull();
  });

  it('sends a delivery again on request', async () => {
    receiver.plan = ({ nth }) => (nth <= 4 ? 500 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    await waitFor('the event to fail for good', async () => (await fixtures.messageStatus(event.uid)) === 'failed');
    const [last] = await deliveriesOf(transactionUid);

    const response = await request(testApp.baseUrl, 'POST', `/api/v1/transactions/${transactionUid}/webhook-deliveries/${last.id}/retry`, { authorization: client.authorization });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ event_id: event.uid, trigger: 'manual', succeeded: true, status_code: 204, event_status: 'succeeded' });
    expect(receiver.requestsFor(event.uid).map((item) => item.headers['webhook-id'])).toEqual(Array(5).fill(event.uid));
    expect(await fixtures.messageStatus(event.uid)).toBe('succeeded');
  });

  it('delivers the event of a cancellation through the API', async () => {
    const created = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { name: 'Cancelled by API', webhook_url: receiver.url } });
    expect(created.status).toBe(201);

    const cancelled = await request(testApp.baseUrl, 'PATCH', `/api/v1/transactions/${created.body.uid}`, { authorization: client.authorization, json: { status: 'cancel' } });
    await waitFor('the cancellation webhook', () => receiver.received.length === 1);

    expect(cancelled.status).toBe(200);
    const [delivered] = receiver.received;
    expect(delivered.json).toMatchObject({ type: 'transaction.cancelled', sequence: 1, data: { transaction: { uid: created.body.uid, status: 'cancel' } } });
    expect(new Webhook(client.webhookSecret).verify(delivered.body, delivered.headers)).toEqual(delivered.json);
  });

  it('skips events of a transaction without a webhook URL', async () => {
    const transactionUid = await fixtures.createTransaction(client.uid, null);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');

    await waitFor('the event to be relayed', async () => (await fixtures.relayedAt(event.uid)) !== null);

    expect(await fixtures.messageStatus(event.uid)).toBeNull();
    expect(await deliveriesOf(transactionUid)).toEqual([]);
  });

  it('paginates deliveries with a cursor', async () => {
    receiver.plan = ({ nth }) => (nth <= 2 ? 500 : 204);
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const event = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    await waitFor('the event to be delivered', async () => (await fixtures.messageStatus(event.uid)) === 'succeeded');
    const path = `/api/v1/transactions/${transactionUid}/webhook-deliveries`;

    const first = await request(testApp.baseUrl, 'GET', `${path}?limit=2`, { authorization: client.authorization });
    const second = await request(testApp.baseUrl, 'GET', `${path}?limit=2&cursor=${first.body.next_cursor}`, { authorization: client.authorization });

    expect(first.body.data.map((item: DeliveryBody) => item.attempt)).toEqual([3, 2]);
    expect(second.body.data.map((item: DeliveryBody) => item.attempt)).toEqual([1]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('answers 404 for a transaction of another client', async () => {
    const transactionUid = await fixtures.createTransaction(client.uid, receiver.url);
    const other = await createTestClient(testApp);

    const list = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/webhook-deliveries`, { authorization: other.authorization });
    const retry = await request(testApp.baseUrl, 'POST', `/api/v1/transactions/${transactionUid}/webhook-deliveries/${transactionUid}/retry`, { authorization: other.authorization });
    const anonymous = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/webhook-deliveries`);

    expect(list.status).toBe(404);
    expect(list.body.type).toBe('urn:secusign:problem:not_found');
    expect(retry.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const rotatingClient = await createTestClient(testApp);
    const rotation = await request(testApp.baseUrl, 'POST', `/api/v1/admin/clients/${rotatingClient.uid}/webhook-secret/rotate`, { authorization: adminAuthorization() });
    expect(rotation.status).toBe(200);
    const newSecret = rotation.body.webhook_secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(rotatingClient.webhookSecret);
    expect(Date.parse(rotation.body.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const transactionUid = await fixtures.createTransaction(rotatingClient.uid, receiver.url);
    const event = await fixtures.recordEvent(rotatingClient.uid, transactionUid, 'transaction.sent');
    await waitFor('the event to be delivered', async () => (await fixtures.messageStatus(event.uid)) === 'succeeded');

    const [delivered] = receiver.requestsFor(event.uid);
    expect(delivered.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(delivered.body, delivered.headers)).toEqual(delivered.json);
    expect(new Webhook(rotatingClient.webhookSecret).verify(delivered.body, delivered.headers)).toEqual(delivered.json);
  });

  it('answers 404 when rotating the secret of an unknown client', async () => {
    const response = await request(testApp.baseUrl, 'POST', '/api/v1/admin/clients/00000000-0000-4000-8000-000000000000/webhook-secret/rotate', { authorization: adminAuthorization() });

    expect(response.status).toBe(404);
  });
});

describe('webhook delivery across a worker restart', () => {
  const fixtures = new WebhookFixtures();
  const receiver = new WebhookReceiver();
  const settings = { ...FAST_SETTINGS, WEBHOOK_RETRY_SCHEDULE: '300,300,300,300,300,300,300,300', QUEUE_PREFIX: `secusign-restart-${Date.now()}` };

  afterAll(async () => {
    await receiver.stop();
    await fixtures.close();
  });

  it('delivers every event once the receiver and the worker are back', async () => {
    await fixtures.connect();
    await receiver.start();
    const port = receiver.port;
    await receiver.stop();

    const before = await startTestApp(settings);
    const violationsBefore = confineWebhooksToLoopback(before, {});
    const client = await createTestClient(before);
    const transactionUid = await fixtures.createTransaction(client.uid, `http://127.0.0.1:${port}/hooks/secusign`);
    const first = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.sent');
    await waitFor('a failed attempt while the receiver is down', async () => {
      const response = await request(before.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/webhook-deliveries`, { authorization: client.authorization });

      return response.body.data.length > 0;
    });
    await before.close();
    expect(violationsBefore).toEqual([]);

    // Recorded while no worker runs.
    const second = await fixtures.recordEvent(client.uid, transactionUid, 'transaction.cancelled');
    await receiver.start(port);
    const after = await startTestApp(settings);
    const violationsAfter = confineWebhooksToLoopback(after, {});
    try {
      await waitFor('both events to be delivered', async () => (await fixtures.messageStatus(second.uid)) === 'succeeded');
    } finally {
      await after.close();
    }

    expect(await fixtures.messageStatus(first.uid)).toBe('succeeded');
    expect(receiver.received.map((item) => item.json.id)).toEqual([first.uid, second.uid]);
    expect(violationsAfter).toEqual([]);
  });
});
