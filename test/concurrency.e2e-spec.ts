import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { DocumentRevision, Transaction } from '@secusign/transactions';
import { createTestClient } from './support/clients';
import { TestResponse } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { Signatory } from '@secusign/signatories';
import { auditEventsOf, databaseOf, domainEventsOf, hashChainProblem, signatoryInput, TransactionsApi } from './support/transactions';
import { problemCode } from './support/assertions';

const ROUNDS = 10;

/**
 * Holds a transaction's row lock from a separate connection, starts each request in turn once
 * the previous one waits on that lock, then releases it. The requests thus reach their writes
 * together and in a known queue order, whatever the scheduling, so each call is a real race.
 */
async function raceOnRowLock<T>(databaseUrl: string, transactionUid: string, requests: Array<() => Promise<T>>): Promise<T[]> {
  const holder = new Client({ connectionString: databaseUrl });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('select uid from transactions where uid = $1 for update', [transactionUid]);
    const [{ pid }] = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    const started: Array<Promise<T>> = [];
    for (const start of requests) {
      started.push(start());
      await waitForBlockedSessions(holder, pid, started.length);
    }
    await holder.query('commit');

    return await Promise.all(started);
  } finally {
    await holder.end();
  }
}

async function waitForBlockedSessions(holder: Client, pid: number, expected: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    // The holder's open transaction would otherwise keep reading one snapshot of the statistics.
    await holder.query('select pg_stat_clear_snapshot()');
    // Later waiters queue behind the first one rather than behind the holder, so follow the chain.
    const { rows } = await holder.query<{ count: string }>(
      `with recursive blocked(pid) as (
         select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))
         union
         select activity.pid from pg_stat_activity activity join blocked on blocked.pid = any(pg_blocking_pids(activity.pid))
       )
       select count(*) from blocked`,
      [pid],
    );
    if (Number(rows[0].count) >= expected) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${expected} sessions waited on the row lock within 10 seconds`);
}

/** Lists the stored files of a transaction that no database row refers to. */
async function orphanFiles(testApp: TestApp, transactionUid: string): Promise<string[]> {
  const em = databaseOf(testApp);
  const transaction = await em.findOneOrFail(Transaction, { uid: transactionUid });
  const revisions = await em.find(DocumentRevision, { transaction: transactionUid });
  const referenced = new Set([transaction.documentStorageKey, ...revisions.map((revision) => revision.storageKey)]);
  const folder = join(testApp.storageDir, 'transactions', transactionUid);
  const stored = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(testApp.storageDir, join(entry.parentPath, entry.name)));

  return stored.filter((key) => !referenced.has(key));
}

describe('concurrent requests on one transaction', () => {
  let testApp: TestApp;
  let api: TransactionsApi;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp));
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('lets exactly one of send and cancel win', async () => {
    const winners = { send: 0, cancel: 0 };

    for (let round = 0; round < ROUNDS; round += 1) {
      const transaction = await api.createReady();
      const sendRequest = () => api.patch(transaction.uid, { status: 'sent' });
      const cancelRequest = () => api.patch(transaction.uid, { status: 'cancel' });
      // Alternate which request reaches the lock first, so both orders are raced.
      const sendFirst = round % 2 === 0;
      const responses = await raceOnRowLock(testApp.config.databaseUrl, transaction.uid, sendFirst ? [sendRequest, cancelRequest] : [cancelRequest, sendRequest]);
      const [send, cancel] = sendFirst ? responses : [responses[1], responses[0]];
      const statuses = [send.status, cancel.status].sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, 409] });

      const [winner, loser]: [string, TestResponse] = send.status === 200 ? ['send', cancel] : ['cancel', send];
      winners[winner as 'send' | 'cancel'] += 1;
      expect({ round, loser: problemCode(loser.body) }).toEqual({
        round,
        loser: winner === 'send' ? 'transaction_concurrently_modified' : 'transaction_already_cancelled',
      });

      const final = await api.call('GET', `/transactions/${transaction.uid}`);
      expect(final.body.status).toBe(winner === 'send' ? 'sent' : 'cancel');

      const audit = await auditEventsOf(testApp, transaction.uid);
      const transitions = audit.map((event) => event.type).filter((type) => type === 'transaction.sent' || type === 'transaction.cancelled');
      expect(transitions).toEqual([winner === 'send' ? 'transaction.sent' : 'transaction.cancelled']);
      expect(hashChainProblem(audit)).toBeNull();

      const domainEvents = await domainEventsOf(testApp, transaction.uid);
      expect(domainEvents.map((event) => event.type)).toEqual(transitions);
      // A send that lost must not leave its prepared document behind.
      expect(await orphanFiles(testApp, transaction.uid)).toEqual([]);
    }

    expect(winners).toEqual({ send: ROUNDS / 2, cancel: ROUNDS / 2 });
  });

  it('lets exactly one of two sends win', async () => {
    const transaction = await api.createReady();
    const send = () => api.patch(transaction.uid, { status: 'sent' });
    const responses = await raceOnRowLock(testApp.config.databaseUrl, transaction.uid, [send, send]);

    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    expect(responses.map((response) => problemCode(response.body)).filter(Boolean)).toEqual(['transaction_already_sent']);
    expect((await domainEventsOf(testApp, transaction.uid)).map((event) => event.type)).toEqual(['transaction.sent']);
  });

  it('accepts only one of concurrent fourth signatories', async () => {
    const transaction = await api.create();
    for (let index = 0; index < 3; index += 1) {
      await api.addSignatory(transaction.uid);
    }
    const attempts = 4;

    const add = () => api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput() });
    const responses = await raceOnRowLock(testApp.config.databaseUrl, transaction.uid, Array.from({ length: attempts }, () => add));

    expect(responses.map((response) => response.status).sort()).toEqual([201, 422, 422, 422]);
    expect(responses.filter((response) => response.status === 422).map((response) => problemCode(response.body))).toEqual([
      'too_many_signatories',
      'too_many_signatories',
      'too_many_signatories',
    ]);
    const list = await api.call('GET', `/transactions/${transaction.uid}/signatories`);
    expect(list.body.data.map((item: { uid: string }) => item.uid)).toHaveLength(4);
    const audit = await auditEventsOf(testApp, transaction.uid);
    expect(audit.filter((event) => event.type === 'signatory.added')).toHaveLength(4);
  });

  it('fills an empty transaction with four of eight concurrent signatories', async () => {
    const transaction = await api.create();

    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) => api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput({ email: `c${index}@example.com` }) })),
    );

    expect(responses.filter((response) => response.status === 201)).toHaveLength(4);
    expect(responses.filter((response) => response.status === 422)).toHaveLength(4);
    const stored = await databaseOf(testApp).find(Signatory, { transaction: transaction.uid, deletedAt: null }, { orderBy: { position: 'asc' } });
    expect(stored.map((signatory) => signatory.position)).toEqual([1, 2, 3, 4]);
  });

  it('does not send a transaction whose last signatory is removed meanwhile', async () => {
    const transaction = await api.createReady(1);
    const { body } = await api.call('GET', `/transactions/${transaction.uid}`);
    const signatoryUid = body.signatories[0].uid;

    const [send, removal] = await raceOnRowLock<TestResponse>(testApp.config.databaseUrl, transaction.uid, [
      () => api.patch(transaction.uid, { status: 'sent' }),
      () => api.call('DELETE', `/transactions/${transaction.uid}/signatories/${signatoryUid}`),
    ]);

    const final = await api.call('GET', `/transactions/${transaction.uid}`);
    if (send.status === 200) {
      expect(removal.status).toBe(409);
      expect(final.body.signatories).toHaveLength(1);
    } else {
      expect(removal.status).toBe(204);
      expect(send.status).toBe(422);
      expect(send.body.missing).toEqual(['signatories']);
      expect(final.body.status).toBe('created');
    }
  });
});
