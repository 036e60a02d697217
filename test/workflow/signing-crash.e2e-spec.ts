import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestClient } from '../support/clients';
import { startTestApp, TestApp } from '../support/test-app';
import { auditEventsOf, expectStatus, hashChainProblem, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, pdfsigValidity, sql, workflowCall } from './workflow-test-kit';

const ROOT = resolve(__dirname, '..', '..');

/** A worker started as its own operating-system process, with its output kept for failure messages. */
interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<NodeJS.Signals | number | null>;
}

function startWorker(testApp: TestApp, extraEnvironment: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['-r', './test/workflow/ts-register.js', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: testApp.config.databaseUrl,
      REDIS_URL: testApp.config.redisUrl,
      QUEUE_PREFIX: testApp.config.queuePrefix,
      STORAGE_DIR: testApp.storageDir,
      ADMIN_USERNAME: testApp.config.admin.username,
      ADMIN_PASSWORD: testApp.config.admin.password,
      LOG_LEVEL: 'info',
      ...extraEnvironment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));

  return { child, output, exited };
}

async function stopWorker(worker: WorkerProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
    worker.child.kill(signal);
    await worker.exited;
  }
}

describe('worker crash during a signature', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let crashing: WorkerProcess | undefined;
  let restarted: WorkerProcess | undefined;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Crash Test Ltd' }));
  });

  afterAll(async () => {
    await stopWorker(crashing, 'SIGKILL');
    await stopWorker(restarted, 'SIGTERM');
    await testApp.close();
  });

  it('completes the job exactly once after a restart', async () => {
    const transaction = await createTransaction(api, [{}, { language: 'en' }]);
    const [first, second] = transaction.signatories;
    await authenticate(testApp, first);
    expectStatus(await workflowCall(testApp, 'POST', first.uid, '/sign', { consent: true }), 202);

    // The first worker writes the signed file, then sleeps before its commit: it dies there.
    crashing = startWorker(testApp, { SIGNATURE_TEST_PAUSE_MS: '600000' });
    const orphan = join(testApp.storageDir, 'transactions', transaction.uid, 'signed-1.pdf');
    await eventually(`the first worker writes ${orphan} (worker output: ${crashing.output.join('')})`, async () =>
      existsSync(orphan) && crashing?.output.join('').includes('pausing between the file write and the commit') ? true : undefined,
    );
    crashing.child.kill('SIGKILL');
    expect(await crashing.exited).toBe('SIGKILL');

    const orphanSha256 = createHash('sha256').update(readFileSync(orphan)).digest('hex');
    expect(await sql(testApp, 'select 1 from document_revisions where signatory_uid = ?', [first.uid])).toEqual([]);
    expect((await workflowCall(testApp, 'GET', first.uid)).body.signature.state).toBe('in_progress');

    restarted = startWorker(testApp);
    await eventually(
      'the restarted worker applies the signature',
      async () => ((await workflowCall(testApp, 'GET', first.uid)).body.signatory.status === 'signed' ? true : undefined),
      90_000,
    );

    const revisions = await sql(testApp, 'select sequence, kind, signatory_uid, storage_key, sha256 from document_revisions where transaction_uid = ? order by sequence', [transaction.uid]);
    expect(revisions.map((revision) => [revision.sequence, revision.kind, revision.signatory_uid])).toEqual([
      [0, 'prepared', null],
      [1, 'signed', first.uid],
    ]);
    const signedFile = join(testApp.storageDir, revisions[1].storage_key);
    expect(createHash('sha256').update(readFileSync(signedFile)).digest('hex')).toBe(revisions[1].sha256);
    expect(revisions[1].sha256).not.toBe(orphanSha256);
    expect(await pdfsigValidity(signedFile)).toEqual(['- Signature Validation: Signature is Valid.']);
    expect(restarted.output.join('')).toContain('signature job stalled because its worker stopped; retrying it');

    // The restarted worker goes on with the next signatory and completes the transaction.
    await authenticate(testApp, second);
    expectStatus(await workflowCall(testApp, 'POST', second.uid, '/sign', { consent: true }), 202);
    await eventually('the transaction completes', async () => {
      const body = expectStatus(await api.call('GET', `/transactions/${transaction.uid}`), 200);

      return body.status === 'completed' ? body : undefined;
    });
    const finalPdf = join(testApp.storageDir, 'final.pdf');
    writeFileSync(finalPdf, (await workflowCall(testApp, 'GET', first.uid, '/document')).body as Buffer);
    expect(await pdfsigValidity(finalPdf)).toEqual(Array(2).fill('- Signature Validation: Signature is Valid.'));

    const events = await auditEventsOf(testApp, transaction.uid);
    expect(events.filter((event) => event.type === 'signature.applied').map((event) => event.data.signatory_uid)).toEqual([first.uid, second.uid]);
    expect(events.filter((event) => event.type === 'transaction.completed')).toHaveLength(1);
    expect(hashChainProblem(events)).toBeNull();
  });
});
