import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestClient } from './support/clients';
import { request, TestResponse } from './support/http';
import { createTestIdentityProvider, postApproval, signApproval, TestIdentityProvider } from './support/identity-providers';
import { startTestApp, TestApp } from './support/test-app';
import { auditEventsOf, expectStatus, TransactionsApi } from './support/transactions';
import { authenticate, createTransaction, eventually, problemCode, SentTransaction, workflowCall } from './workflow/workflow-test-kit';

const run = promisify(execFile);

/** Runs a command and returns its stdout and stderr together, also when it exits with an error. */
async function output(command: string, args: string[], cwd?: string): Promise<string> {
  const result = await run(command, args, { cwd }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));

  return `${result.stdout}${result.stderr}`;
}

function bodyText(response: TestResponse): string {
  return Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);
}

/** Returns the PEM certificate blocks found in `text`, in order. */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

describe('advanced signatures', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let provider: TestIdentityProvider;
  let workDir: string;
  /** The published CA bundle and CRL, fetched once with no credentials. */
  let caResponse: TestResponse;
  let crlResponse: TestResponse;
  let caFile: string;
  let crlFile: string;
  let crlPemFile: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Advanced Co' }));
    provider = await createTestIdentityProvider(testApp, 'Advanced eID');
    workDir = mkdtempSync(join(tmpdir(), 'secusign-advanced-'));
    caFile = join(workDir, 'ca.pem');
    crlFile = join(workDir, 'issuing.crl');
    crlPemFile = join(workDir, 'issuing-crl.pem');

    caResponse = await request(testApp.baseUrl, 'GET', '/api/v1/pki/ca.pem');
    crlResponse = await request(testApp.baseUrl, 'GET', '/api/v1/pki/crl');
    writeFileSync(caFile, bodyText(caResponse));
    writeFileSync(crlFile, crlResponse.body as Buffer);
    await run('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-outform', 'PEM', '-out', crlPemFile]);
  });

  afterAll(async () => {
    await testApp.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Approves, authenticates and signs for one signatory, then waits until they are signed. */
  async function signAs(transaction: SentTransaction, index: number): Promise<void> {
    const signatory = transaction.signatories[index];
    if ((signatory as { signature_level?: string }).signature_level === 'advanced') {
      expectStatus(await postApproval(testApp, provider.uid, await signApproval(provider, signatory.uid)), 201);
    }
    await authenticate(testApp, signatory);
    expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/sign', { consent: true }), 202);
    await eventually(`signatory ${index + 1} has signed`, async () => {
      const view = expectStatus(await workflowCall(testApp, 'GET', signatory.uid), 200);

      return view.signatory?.status === 'signed' || view.steps?.signature === 'done' ? true : undefined;
    });
  }

  /** Saves the transaction's current PDF and dumps its CMS signatures with pdfsig; returns the PDF path and signature files. */
  async function downloadSigned(transactionUid: string, name: string): Promise<{ pdf: string; signatures: string[] }> {
    const response = await api.call('GET', `/transactions/${transactionUid}/document`);
    const directory = mkdtempSync(join(workDir, `${name}-`));
    const pdf = join(directory, `${name}.pdf`);
    writeFileSync(pdf, expectStatus(response, 200) as Buffer);
    await output('pdfsig', ['-nocert', '-dump', pdf], directory);
    const signatures = readdirSync(directory)
      .filter((file) => /\.sig\d+$/.test(file))
      .sort()
      .map((file) => join(directory, file));

    return { pdf, signatures };
  }

  /** Returns the certificates a CMS signature carries, as PEM, in the order openssl prints them. */
  async function certificatesOf(signatureFile: string): Promise<string[]> {
    // OpenSSL 3.0's cms command has no -print_certs, so the pkcs7 command reads the SignedData.
    return pemBlocks(await output('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-in', signatureFile]));
  }

  it('publishes the CA certificates and a CRL', async () => {
    expect(caResponse.status).toBe(200);
    expect(caResponse.headers.get('content-type')).toMatch(/^application\/pem-certificate-chain/);
    const [issuing, root] = pemBlocks(bodyText(caResponse)).map((block) => new X509Certificate(block));
    expect(issuing.ca).toBe(true);
    expect(root.ca).toBe(true);
    expect(issuing.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);

    expect(crlResponse.status).toBe(200);
    expect(crlResponse.headers.get('content-type')).toBe('application/pkix-crl');
    const crlText = await output('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', caFile, '-noout', '-text']);
    expect(crlText).toContain('verify OK');
    const issuingCommonName = /CN=(.+)/.exec(issuing.subject)?.[1];
    expect(crlText).toMatch(new RegExp(`Issuer: .*CN = ${issuingCommonName}`));
    expect(crlText).toContain('No Revoked Certificates.');
  });

  it('signs with a certificate issued to the signatory', async () => {
    const transaction = await createTransaction(api, [{ firstname: 'Zoë', lastname: 'Łukasiewicz-Ørsted', signature_level: 'advanced', identity_provider_uid: provider.uid }]);
    const [signatory] = transaction.signatories;

    const beforeApproval = await workflowCall(testApp, 'POST', signatory.uid, '/otp');
    expect(beforeApproval.status).toBe(409);
    expect(problemCode(beforeApproval.body)).toBe('signatory_not_identified');

    await signAs(transaction, 0);

    const { pdf, signatures } = await downloadSigned(transaction.uid, 'advanced');
    const report = await output('pdfsig', [pdf]);
    expect(report).toContain('Signer Certificate Common Name: Zoë Łukasiewicz-Ørsted');
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(signatures).toHaveLength(1);

    const chain = await certificatesOf(signatures[0]);
    expect(chain).toHaveLength(3);
    const certificate = new X509Certificate(chain.find((block) => !new X509Certificate(block).ca)!);
    expect(certificate.subject).toContain('CN=Zoë Łukasiewicz-Ørsted');
    expect(certificate.subjectAltName).toBe(`email:${signatory.email}`);
    expect(certificate.ca).toBe(false);
    const validityMinutes = (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / 60_000;
    expect(validityMinutes).toBeLessThanOrEqual(30);

    const certificateFile = join(workDir, 'signatory.pem');
    writeFileSync(certificateFile, certificate.toString());
    const text = await output('openssl', ['x509', '-in', certificateFile, '-noout', '-text', '-nameopt', 'utf8']);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(await output('openssl', ['verify', '-CAfile', caFile, certificateFile])).toBe(`${certificateFile}: OK\n`);
    expect(await output('openssl', ['verify', '-crl_check', '-CRLfile', crlPemFile, '-CAfile', caFile, certificateFile])).toBe(`${certificateFile}: OK\n`);

    const events = await auditEventsOf(testApp, transaction.uid);
    const applied = events.find((event) => event.type === 'signature.applied');
    expect(applied?.data.signature_level).toBe('advanced');
    expect(String(applied?.data.certificate_serial).toLowerCase()).toBe(certificate.serialNumber.toLowerCase());
    expect(events.map((event) => event.type)).toContain('identity.approved');

    const evidence = expectStatus(await api.call('GET', `/transactions/${transaction.uid}/evidence?format=json`), 200);
    const approval = evidence.events.find((event: { type: string }) => event.type === 'identity.approved');
    expect(approval).toMatchObject({ actor_type: 'identity_provider', actor_id: provider.uid, data: { signatory_uid: signatory.uid, identity_provider_uid: provider.uid } });
    expect(approval.data.verification).toMatchObject({ method: 'identity_document', document_type: 'passport' });
  });

  it('keeps a simple and an advanced signature valid together', async () => {
    const transaction = await createTransaction(api, [{ firstname: 'Simone', lastname: 'Simple' }, { firstname: 'Ada', lastname: 'Advanced', signature_level: 'advanced', identity_provider_uid: provider.uid }]);

    await signAs(transaction, 1);
    await signAs(transaction, 0);

    const completed = expectStatus(await api.call('GET', `/transactions/${transaction.uid}`), 200);
    expect(completed.status).toBe('completed');
    const { pdf, signatures } = await downloadSigned(transaction.uid, 'mixed');
    const report = await output('pdfsig', [pdf]);
    expect(report.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(report).toContain('Signer Certificate Common Name: Ada Advanced');

    const leafSubjects = await Promise.all(
      signatures.map(async (file) => (await certificatesOf(file)).map((block) => new X509Certificate(block)).find((certificate) => !certificate.ca)!.subject),
    );
    // pdfsig lists signatures in field order, which is the signatories' position order: the
    // simple signatory's field comes first although the advanced signatory signed first.
    expect(leafSubjects[0]).toMatch(/CN=.*Seal$/);
    expect(leafSubjects[0]).not.toContain('Simone');
    expect(leafSubjects[1]).toContain('CN=Ada Advanced');
  });
});
