import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestClient } from '../support/clients';
import { startTestApp, TestApp } from '../support/test-app';
import { expectStatus, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, pdfsigValidity, workflowCall } from '../workflow/workflow-test-kit';
import { AppProcess, startAppProcess } from './app-process';

/** Pause of the signature job between writing the signed file and its commit, so SIGTERM lands mid-signature. */
const SIGNATURE_PAUSE_MS = '4000';

describe('graceful shutdown', () => {
  let observer: TestApp;
  let appProcess: AppProcess | undefined;

  beforeAll(async () => {
    // The in-process app has no worker: it reads the results once the child process has exited.
    observer = await startTestApp({}, { withWorker: false });
  });

  afterAll(async () => {
    await appProcess?.close();
    await observer.close();
  });

  it('finishes a signature in progress on SIGTERM', async () => {
    appProcess = await startAppProcess({
      QUEUE_PREFIX: observer.config.queuePrefix,
      STORAGE_DIR: observer.storageDir,
      SIGNATURE_TEST_PAUSE_MS: SIGNATURE_PAUSE_MS,
    });
    const running = appProcess;
    const api = new TransactionsApi(running, await createTestClient(running, { display_name: 'Shutdown Test Ltd' }));
    const transaction = await createTransaction(api, [{}]);
    const [signatory] = transaction.signatories;
    await authenticate(running, signatory);
    expectStatus(await workflowCall(running, 'POST', signatory.uid, '/sign', { consent: true }), 202);

    await eventually('the signature job pauses before its commit', async () => (running.stdout.join('').includes('pausing between the file write and the commit') ? true : undefined));
    running.child.kill('SIGTERM');
    await eventually('the process starts shutting down', async () => (running.stdout.join('').includes('shutting down') ? true : undefined));

    const refused = await fetch(`${running.baseUrl}/health`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);

    const exit = await running.exited;
    const output = running.stdout.join('');
    expect({ exit, stderr: running.stderr.join('') }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
    expect(output).toContain('shutdown complete');
    expect(output).not.toContain('signature job failed');

    const observerApi = new TransactionsApi(observer, api.client);
    const body = expectStatus(await observerApi.call('GET', `/transactions/${transaction.uid}`), 200);
    expect(body.signatories[0].status).toBe('signed');
    expect(body.status).toBe('completed');

    const signedPdf = join(observer.storageDir, 'after-shutdown.pdf');
    writeFileSync(signedPdf, (await workflowCall(observer, 'GET', signatory.uid, '/document')).body as Buffer);
    expect(await pdfsigValidity(signedPdf)).toEqual(['- Signature Validation: Signature is Valid.']);
  });
});
