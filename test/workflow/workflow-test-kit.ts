import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { adminAuthorization } from '../support/clients';
import { request, TestResponse } from '../support/http';
import type { TestApp } from '../support/test-app';
import { databaseOf, expectStatus, TransactionsApi } from '../support/transactions';
export { problemCode } from '../support/assertions';

const run = promisify(execFile);

/** A sent transaction and its signatories' bodies, in creation order. */
export interface SentTransaction {
  uid: string;
  signatories: { uid: string; phone: string; email: string; authentication: string }[];
}

/** Unauthenticated calls to `/api/v1/workflow/{uid}…`, as the signing page makes them. */
export function workflowCall<T = any>(testApp: TestApp, method: string, signatoryUid: string, path = '', json?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>> {
  return request<T>(testApp.baseUrl, method, `/api/v1/workflow/${signatoryUid}${path}`, { json, headers });
}

/** Extracts the problem code at the end of a problem `type`. */
/**
 * Creates a transaction with a corpus document and one signatory per entry of `signatories`
 * (fields override a French SMS signatory with a distinct phone and email), and sends it
 * unless `send` is false.
 */
export async function createTransaction(api: TransactionsApi, signatories: Record<string, unknown>[], options: { send?: boolean; name?: string } = {}): Promise<SentTransaction> {
  const transaction = await api.create({ name: options.name ?? 'Lease 2024-117' });
  await api.uploadDocument(transaction.uid);
  const created: SentTransaction['signatories'] = [];
  for (const [index, overrides] of signatories.entries()) {
    const suffix = `${Date.now() % 100000}${index}`.padStart(6, '0');
    created.push(await api.addSignatory(transaction.uid, { phone: `+336${suffix.slice(-6)}12`, email: `signer-${suffix}@example.com`, ...overrides }));
  }
  if (options.send ?? true) {
    expectStatus(await api.patch(transaction.uid, { status: 'sent' }), 200);
  }

  return { uid: transaction.uid, signatories: created };
}

/** Messages the outbox kept for `to`, newest first. */
export async function outboxMessages(testApp: TestApp, to: string): Promise<{ channel: string; to: string; subject: string | null; body: string; created_at: string }[]> {
  const response = await request(testApp.baseUrl, 'GET', `/api/v1/admin/outbox?to=${encodeURIComponent(to)}`, { authorization: adminAuthorization() });

  return expectStatus(response, 200).data;
}

/** Reads the 6-digit code of the newest outbox message sent to `to`. */
export async function latestCode(testApp: TestApp, to: string): Promise<string> {
  const [message] = await outboxMessages(testApp, to);
  const code = message?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) {
    throw new Error(`no code in the outbox for ${to}`);
  }

  return code;
}

/** Requests a code for the signatory, reads it from the outbox and verifies it. */
export async function authenticate(testApp: TestApp, signatory: SentTransaction['signatories'][number]): Promise<void> {
  expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
  const destination = signatory.authentication === 'sms' ? signatory.phone : signatory.email;
  expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp/verify', { code: await latestCode(testApp, destination) }), 200);
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs an SQL statement on the app's database, for states the API cannot reach quickly (an expired code). */
export async function sql(testApp: TestApp, statement: string, parameters: unknown[] = []): Promise<any[]> {
  return databaseOf(testApp).getConnection().execute(statement, parameters);
}

/** Lines of `pdfsig FILE` that report a signature's validity. */
export async function pdfsigValidity(file: string): Promise<string[]> {
  const { stdout } = await run('pdfsig', [file]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));

  return stdout.split('\n').filter((line) => line.includes('Signature Validation:')).map((line) => line.trim());
}
