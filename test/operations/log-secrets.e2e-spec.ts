import { randomInt } from 'node:crypto';
import { createTestClient, adminAuthorization, TestClient } from '../support/clients';
import { basicAuthorization, request } from '../support/http';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from '../support/test-app';
import { expectStatus, TransactionsApi } from '../support/transactions';
import { WebhookReceiver, waitFor } from '../webhooks/webhook-test-kit';
import { eventually, latestCode, workflowCall } from '../workflow/workflow-test-kit';
import { AppProcess, startAppProcess } from './app-process';

/** Matches `value` only where it is not part of a longer run of hex digits (uids, timestamps). */
function standalone(value: string): RegExp {
  return new RegExp(`(?<![0-9a-f])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9a-f])`, 'i');
}

describe('logs of a full signing flow', () => {
  let appProcess: AppProcess;
  let receiver: WebhookReceiver;
  let client: TestClient;
  let logs: string;
  const phoneDigits = `336${randomInt(10_000_000, 99_999_999)}`;
  const email = `log-scan-${randomInt(1e9)}@example.com`;
  const wrongAdminPassword = `wrong-admin-password-${randomInt(1e9)}`;
  let otpCode: string;
  let signatoryUid: string;
  let transactionUid: string;
  let downloadTokens: string[];

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    appProcess = await startAppProcess({ LOG_LEVEL: 'debug', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100' });

    expect((await request(appProcess.baseUrl, 'GET', '/api/v1/admin/clients', { authorization: basicAuthorization(ADMIN_USERNAME, wrongAdminPassword) })).status).toBe(401);
    client = await createTestClient(appProcess, { display_name: 'Log Scan Ltd' });
    const api = new TransactionsApi(appProcess, client);
    expect((await request(appProcess.baseUrl, 'GET', '/api/v1/transactions', { authorization: basicAuthorization(client.clientId, `${client.clientSecret}x`) })).status).toBe(401);

    const transaction = await api.create({ name: 'Log scan', webhook_url: receiver.url });
    transactionUid = transaction.uid;
    await api.uploadDocument(transactionUid);
    const signatory = await api.addSignatory(transactionUid, { phone: `+${phoneDigits}`, email, authentication: 'sms' });
    signatoryUid = signatory.uid;
    expectStatus(await api.patch(transactionUid, { status: 'sent' }), 200);

    expectStatus(await workflowCall(appProcess, 'GET', signatoryUid), 200);
    expectStatus(await workflowCall(appProcess, 'POST', signatoryUid, '/otp'), 201);
    otpCode = await latestCode(appProcess, `+${phoneDigits}`);
    const wrongCode = otpCode === '000000' ? '111111' : '000000';
    expect((await workflowCall(appProcess, 'POST', signatoryUid, '/otp/verify', { code: wrongCode })).status).toBe(422);
    expectStatus(await workflowCall(appProcess, 'POST', signatoryUid, '/otp/verify', { code: otpCode }), 200);
    expectStatus(await workflowCall(appProcess, 'POST', signatoryUid, '/sign', { consent: true }), 202);
    await eventually('the signatory is signed', async () => ((await workflowCall(appProcess, 'GET', signatoryUid)).body.signatory.status === 'signed' ? true : undefined));
    await waitFor('the completion webhook arrives', () => receiver.received.some((item) => item.json.type === 'transaction.completed'));
    expectStatus(await request(appProcess.baseUrl, 'GET', `/api/v1/admin/outbox?to=${encodeURIComponent(email)}`, { authorization: adminAuthorization() }), 200);

    const details = await request(appProcess.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}`, { authorization: client.authorization });
    expectStatus(details, 200);
    const downloadUrls = [details.body.signed_document_url as string, details.body.evidence_url as string].map((url) => new URL(url));
    downloadTokens = downloadUrls.map((url) => url.pathname.split('/').pop() ?? '');
    for (const url of downloadUrls) {
      expectStatus(await request(appProcess.baseUrl, 'GET', url.pathname), 200);
    }
    // An altered token is rejected, and must not be logged either.
    const alteredToken = `${downloadTokens[0].slice(0, -2)}${downloadTokens[0].endsWith('AA') ? 'BB' : 'AA'}`;
    downloadTokens.push(alteredToken);
    expect((await request(appProcess.baseUrl, 'GET', `/api/v1/downloads/${alteredToken}`)).status).toBe(404);

    // SIGTERM flushes pino before the process exits.
    await appProcess.close();
    logs = appProcess.stdout.join('');
  });

  afterAll(async () => {
    await appProcess?.close();
    await receiver?.stop();
  });

  it('writes one JSON object per line', () => {
    const lines = logs.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(50);
    const unparsable = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(unparsable).toEqual([]);
  });

  it.each([
    ['client secret', () => client.clientSecret],
    ['webhook secret', () => client.webhookSecret],
    ['admin password', () => ADMIN_PASSWORD],
    ['wrong admin password', () => wrongAdminPassword],
    ['client Basic header', () => client.authorization.replace('Basic ', '')],
    ['admin Basic header', () => adminAuthorization().replace('Basic ', '')],
    ['email address', () => email],
    ['phone digits', () => phoneDigits],
    ['phone without country code', () => phoneDigits.slice(2)],
  ])('never contains the %s', (_name, secret) => {
    expect(logs).not.toContain(secret());
  });

  it('never contains the one-time password', () => {
    expect(logs).not.toMatch(standalone(otpCode));
  });

  it('never contains a private key or a Basic header', () => {
    expect(logs).not.toContain('PRIVATE KEY');
    expect(logs).not.toMatch(/"authorization":"Basic /i);
    expect(logs).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
  });

  it('never contains a download token', () => {
    expect(downloadTokens).toHaveLength(3);
    for (const token of downloadTokens) {
      const [payload, signature] = token.split('.');
      expect(payload.length).toBeGreaterThan(10);
      expect(signature.length).toBeGreaterThan(10);
      expect(logs).not.toContain(payload);
      expect(logs).not.toContain(signature);
    }
  });

  it('logs download routes with the token redacted', () => {
    const downloadLines = logs
      .split('\n')
      .filter((line) => line.includes('/downloads/'))
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((entry) => entry.msg === 'request completed');
    expect(downloadLines.map((entry) => `${entry.req.url} ${entry.res.statusCode}`).sort()).toEqual([
      '/api/v1/downloads/[redacted] 200',
      '/api/v1/downloads/[redacted] 200',
      '/api/v1/downloads/[redacted] 404',
    ]);
  });

  it('tags request lines with the ids in play', () => {
    const entries = logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    const accessLines = entries.filter((entry) => entry.msg === 'request completed');
    expect(accessLines.length).toBeGreaterThan(10);
    expect(accessLines.every((entry) => typeof entry.req?.id === 'string' && entry.req.id.length > 0)).toBe(true);

    const transactionLine = accessLines.find((entry) => entry.req.method === 'PATCH' && entry.req.url === `/api/v1/transactions/${transactionUid}`);
    expect(transactionLine?.client_uid).toBeDefined();
    expect(transactionLine?.transaction_uid).toBe(transactionUid);

    const signLine = accessLines.find((entry) => entry.req.url === `/api/v1/workflow/${signatoryUid}/sign`);
    expect(signLine?.signatory_uid).toBe(signatoryUid);
    expect(signLine?.res?.statusCode).toBe(202);
  });
});
