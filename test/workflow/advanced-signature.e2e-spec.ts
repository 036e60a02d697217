import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestClient } from '../support/clients';
import { createTestIdentityProvider, postApproval, signApproval } from '../support/identity-providers';
import { startTestApp, TestApp } from '../support/test-app';
import { auditEventsOf, expectStatus, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, problemCode, workflowCall } from './workflow-test-kit';

const run = promisify(execFile);

describe('advanced signature', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let outputDir: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    api = new TransactionsApi(testApp, await createTestClient(testApp));
    outputDir = mkdtempSync(join(tmpdir(), 'secusign-advanced-'));
  });

  afterAll(async () => {
    await testApp.close();
    rmSync(outputDir, { recursive: true, force: true });
  });

  it('signs with a certificate issued to the identified signatory', async () => {
    const provider = await createTestIdentityProvider(testApp);
    const transaction = await createTransaction(api, [
      { firstname: 'Ada', lastname: 'Lovelace', authentication: 'sms', language: 'en', signature_level: 'advanced', identity_provider_uid: provider.uid },
    ]);
    const [signatory] = transaction.signatories;

    const beforeApproval = await workflowCall(testApp, 'POST', signatory.uid, '/otp');
    expect(problemCode(beforeApproval.body)).toBe('signatory_not_identified');

    const approval = await postApproval(testApp, provider.uid, await signApproval(provider, signatory.uid));
    expect(approval.status).toBeLessThan(300);
    expect((await workflowCall(testApp, 'GET', signatory.uid)).body.steps).toEqual({ identification: 'done', authentication: 'current', signature: 'pending' });

    await authenticate(testApp, signatory);
    expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/sign', { consent: true }), 202);
    await eventually('the signature is applied', async () => ((await workflowCall(testApp, 'GET', signatory.uid)).body.signatory.status === 'signed' ? true : undefined));

    const file = join(outputDir, 'advanced.pdf');
    writeFileSync(file, (await workflowCall(testApp, 'GET', signatory.uid, '/signed-document')).body as Buffer);
    const { stdout } = await run('pdfsig', [file]);
    expect(stdout).toContain('Signature Validation: Signature is Valid.');
    expect(stdout).toContain('Signer Certificate Common Name: Ada Lovelace');
    const applied = (await auditEventsOf(testApp, transaction.uid)).find((event) => event.type === 'signature.applied');
    expect(applied?.data).toMatchObject({ signature_level: 'advanced', certificate_subject: expect.stringContaining('Ada Lovelace') });
  });
});
