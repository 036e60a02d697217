import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsService } from '@secusign/metrics';
import { hashStateDigestHex, hashStateLength } from '@secusign/signature';
import { SignatureApplier } from '@secusign/workflow';
import { createTestClient } from '../support/clients';
import { startTestApp, TestApp } from '../support/test-app';
import { auditEventsOf, domainEventsOf, expectStatus, hashChainProblem, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, pdfsigValidity, sql, workflowCall } from './workflow-test-kit';

describe('concurrent signatures', () => {
  /** Three processes' worth of API and worker sharing one queue and one storage folder. */
  const apps: TestApp[] = [];
  let api: TransactionsApi;
  let outputDir: string;
  /** Every job run in any of the apps, retries included. */
  const jobRuns = jest.spyOn(SignatureApplier.prototype, 'apply');

  beforeAll(async () => {
    const first = await startTestApp();
    apps.push(first);
    for (let index = 0; index < 2; index += 1) {
      apps.push(await startTestApp({ QUEUE_PREFIX: first.config.queuePrefix, STORAGE_DIR: first.storageDir }));
    }
    api = new TransactionsApi(first, await createTestClient(first, { display_name: 'Concurrent Co' }));
    outputDir = mkdtempSync(join(tmpdir(), 'secusign-concurrency-'));
  });

  afterAll(async () => {
    for (const app of apps.reverse()) {
      await app.close();
    }
    rmSync(outputDir, { recursive: true, force: true });
  });

  it('applies four simultaneous signatures one after another', async () => {
    const [testApp] = apps;
    const transaction = await createTransaction(api, [{ language: 'fr' }, { language: 'de' }, { language: 'en' }, { language: 'it', authentication: 'email' }]);
    for (const signatory of transaction.signatories) {
      await authenticate(testApp, signatory);
    }

    const answers = await Promise.all(
      transaction.signatories.map((signatory, index) => workflowCall(apps[index % apps.length], 'POST', signatory.uid, '/sign', { consent: true })),
    );

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202]);
    const completed = await eventually(
      'the transaction completes',
      async () => {
        const body = expectStatus(await api.call('GET', `/transactions/${transaction.uid}`), 200);

        return body.status === 'completed' ? body : undefined;
      },
      120_000,
    );
    expect(completed.signatories.map((signatory: { status: string }) => signatory.status)).toEqual(['signed', 'signed', 'signed', 'signed']);
    // The advisory lock makes the workers wait for each other; without it they collide on the revision sequence and retry.
    expect(jobRuns).toHaveBeenCalledTimes(4);

    const revisions = await sql(testApp, 'select sequence, kind, signatory_uid, sha256, size, hash_state from document_revisions where transaction_uid = ? order by sequence', [transaction.uid]);
    expect(revisions.map((revision) => [revision.sequence, revision.kind])).toEqual([
      [0, 'prepared'],
      [1, 'signed'],
      [2, 'signed'],
      [3, 'signed'],
      [4, 'signed'],
    ]);
    expect(revisions.slice(1).map((revision) => revision.signatory_uid).sort()).toEqual(transaction.signatories.map((signatory) => signatory.uid).sort());
    // Every revision keeps the SHA-256 state of its bytes, so each signature resumed from the previous revision's state.
    for (const revision of revisions) {
      expect(Buffer.isBuffer(revision.hash_state)).toBe(true);
      expect(hashStateLength(revision.hash_state)).toBe(Number(revision.size));
      expect(hashStateDigestHex(revision.hash_state)).toBe(revision.sha256);
    }

    const finalPdf = join(outputDir, 'final.pdf');
    writeFileSync(finalPdf, (await workflowCall(testApp, 'GET', transaction.signatories[0].uid, '/document')).body as Buffer);
    expect(await pdfsigValidity(finalPdf)).toEqual(Array(4).fill('- Signature Validation: Signature is Valid.'));

    for (const revision of revisions.slice(1)) {
      const file = join(outputDir, `signed-${revision.sequence}.pdf`);
      writeFileSync(file, (await workflowCall(testApp, 'GET', revision.signatory_uid, '/signed-document')).body as Buffer);
      expect(await pdfsigValidity(file)).toHaveLength(revision.sequence);
    }

    const events = await auditEventsOf(testApp, transaction.uid);
    const applied = events.filter((event) => event.type === 'signature.applied');
    expect(applied).toHaveLength(4);
    // Each signature starts from the revision the previous one produced: none was lost.
    expect(applied[0].data.sha256_before).toBe(revisions[0].sha256);
    for (let index = 1; index < applied.length; index += 1) {
      expect(applied[index].data.sha256_before).toBe(applied[index - 1].data.sha256_after);
    }
    expect(applied.map((event) => event.data.sha256_after)).toEqual(revisions.slice(1).map((revision) => revision.sha256));
    expect(events[events.length - 1].type).toBe('transaction.completed');
    expect(hashChainProblem(events)).toBeNull();

    let signaturesCounted = 0;
    for (const app of apps) {
      const counter = await app.app.get(MetricsService).signaturesApplied.get();
      signaturesCounted += counter.values.filter((sample) => sample.labels.level === 'simple').reduce((sum, sample) => sum + sample.value, 0);
    }
    expect(signaturesCounted).toBe(4);

    const domainEvents = (await domainEventsOf(testApp, transaction.uid)).map((event) => event.type);
    expect(domainEvents.filter((type) => type === 'signatory.signed')).toHaveLength(4);
    expect(domainEvents[domainEvents.length - 1]).toBe('transaction.completed');
  });
});
