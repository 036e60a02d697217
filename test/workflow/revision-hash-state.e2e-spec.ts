import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashStateDigestHex, hashStateLength } from '@secusign/signature';
import { createTestClient } from '../support/clients';
import { startTestApp, TestApp } from '../support/test-app';
import { expectStatus, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, pdfsigValidity, sql, workflowCall } from './workflow-test-kit';

describe('revision hash state', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let outputDir: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Hash State Co' }));
    outputDir = mkdtempSync(join(tmpdir(), 'secusign-hash-state-'));
  });

  afterAll(async () => {
    await testApp.close();
    rmSync(outputDir, { recursive: true, force: true });
  });

  it('signs a revision stored without a state', async () => {
    const transaction = await createTransaction(api, [{ language: 'en' }, { language: 'fr' }]);
    // Rows written before the column existed have no state: the worker hashes the whole revision.
    await sql(testApp, 'update document_revisions set hash_state = null where transaction_uid = ? and sequence = 0', [transaction.uid]);

    for (const signatory of transaction.signatories) {
      await authenticate(testApp, signatory);
      expect((await workflowCall(testApp, 'POST', signatory.uid, '/sign', { consent: true })).status).toBe(202);
      await eventually(
        'the signatory is signed',
        async () => {
          const body = expectStatus(await api.call('GET', `/transactions/${transaction.uid}`), 200);
          const current = body.signatories.find((candidate: { uid: string }) => candidate.uid === signatory.uid);

          return current?.status === 'signed' ? current : undefined;
        },
        60_000,
      );
    }

    const revisions = await sql(testApp, 'select sequence, sha256, size, hash_state from document_revisions where transaction_uid = ? order by sequence', [transaction.uid]);
    expect(revisions.map((revision) => revision.sequence)).toEqual([0, 1, 2]);
    expect(revisions[0].hash_state).toBeNull();
    for (const revision of revisions.slice(1)) {
      expect(Buffer.isBuffer(revision.hash_state)).toBe(true);
      expect(hashStateLength(revision.hash_state)).toBe(Number(revision.size));
      expect(hashStateDigestHex(revision.hash_state)).toBe(revision.sha256);
    }

    const finalPdf = join(outputDir, 'final.pdf');
    writeFileSync(finalPdf, (await workflowCall(testApp, 'GET', transaction.signatories[0].uid, '/document')).body as Buffer);
    expect(await pdfsigValidity(finalPdf)).toEqual(Array(2).fill('- Signature Validation: Signature is Valid.'));
  });
});
