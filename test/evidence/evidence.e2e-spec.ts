import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuditTrail, EvidenceSealKey, parseEvidenceXml, SealedEvidence, verifyEvidence } from '@secusign/evidence';
import { createTestClient, TestClient } from '../support/clients';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const XSD = join(REPOSITORY_ROOT, 'libs/evidence/src/export/evidence.xsd');
const PHONE = '33651836133';

describe('evidence files', () => {
  let testApp: TestApp;
  let client: TestClient;
  let folder: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = await createTestClient(testApp);
    folder = mkdtempSync(join(tmpdir(), 'evidence-e2e-'));
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function api(method: string, path: string, json?: unknown) {
    return request(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization, json });
  }

  /** Creates a transaction with one signatory through the public API. */
  async function createTransaction(name: string): Promise<string> {
    const created = await api('POST', '/transactions', { name });
    expect(created.status).toBe(201);
    const signatory = await api('POST', `/transactions/${created.body.uid}/signatories`, {
      firstname: 'Zoë',
      lastname: 'Dupré',
      email: 'zoe@example.com',
      phone: PHONE,
      language: 'FR',
      authentication: 'sms',
    });
    expect(signatory.status).toBe(201);

    return created.body.uid as string;
  }

  /**
   * Completes a transaction by writing the events the signing workflow writes, so evidence can
   * be tested without a signed PDF.
   */
  async function completeDirectly(transactionUid: string): Promise<void> {
    const auditTrail = testApp.app.get(AuditTrail);
    await testApp.app.get(EntityManager).fork().transactional(async (em) => {
      for (const type of ['transaction.sent', 'otp.sent', 'otp.verified', 'signatory.signed', 'transaction.completed']) {
        await auditTrail.append(em, { transactionUid, type, actor: { type: 'system' }, data: type === 'otp.sent' ? { destination: '+33 6•• •• •1 33' } : {} });
      }
      await em.execute("update transactions set status = 'completed', sent_at = now(), completed_at = now() where uid = ?", [transactionUid]);
    });
  }

  async function download(transactionUid: string, format?: string) {
    return api('GET', `/transactions/${transactionUid}/evidence${format ? `?format=${format}` : ''}`);
  }

  async function trustedKey() {
    return testApp.app.get(EvidenceSealKey).publicJwk();
  }

  describe.each([
    ['completed', 'completed', ['transaction.created', 'signatory.added', 'transaction.sent', 'otp.sent', 'otp.verified', 'signatory.signed', 'transaction.completed']],
    ['cancelled', 'cancel', ['transaction.created', 'signatory.added', 'transaction.cancelled']],
  ])('of a %s transaction', (label, status, expectedTypes) => {
    let transactionUid: string;

    beforeAll(async () => {
      transactionUid = await createTransaction(`Evidence ${label}`);
      if (status === 'completed') {
        await completeDirectly(transactionUid);
      } else {
        const cancelled = await api('PATCH', `/transactions/${transactionUid}`, { status: 'cancel' });
        expect(cancelled.status).toBe(200);
      }
    });

    it('serves sealed JSON by default', async () => {
      const response = await download(transactionUid);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${transactionUid}.json"`);
      const evidence = response.body as SealedEvidence;
      expect(evidence.transaction).toMatchObject({ uid: transactionUid, status });
      expect(evidence.events.map((event) => event.type)).toEqual(expect.arrayContaining(expectedTypes));
      expect(evidence.events.map((event) => event.sequence)).toEqual(evidence.events.map((_, index) => index + 1));
      expect(evidence.chain.final_hash).toBe(evidence.events[evidence.events.length - 1].hash);
      expect(evidence.signatories[0]).toMatchObject({ firstname: 'Zoë', phone: '+33 6•• •• •1 33' });
      expect(evidence.seal.alg).toBe('RS256');
      expect(evidence.seal.jwk.x5c).toHaveLength(3);
      expect((await verifyEvidence(evidence, await trustedKey())).problems).toEqual([]);
    });

    it('verifies against the platform seal certificate', async () => {
      const evidence = (await download(transactionUid)).body as SealedEvidence;
      const certificate = `-----BEGIN CERTIFICATE-----\n${evidence.seal.jwk.x5c![0].match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      const evidencePath = join(folder, `${label}-valid.json`);
      const certificatePath = join(folder, 'seal.crt.pem');
      writeFileSync(evidencePath, JSON.stringify(evidence));
      writeFileSync(certificatePath, certificate);

      const run = spawnSync(join(REPOSITORY_ROOT, 'node_modules/.bin/tsx'), [join(REPOSITORY_ROOT, 'libs/evidence/src/export/verify-evidence.cli.ts'), evidencePath, '--trusted-key', certificatePath], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });

      expect(run.stdout).toContain('VALID');
      expect(run.stdout).toContain('(the trusted key)');
      expect(run.status).toBe(0);
    });

    it('never contains the full phone number', async () => {
      for (const format of ['json', 'xml']) {
        const response = await download(transactionUid, format);
        const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);

        expect(text).not.toContain(PHONE);
        expect(text).not.toContain(PHONE.slice(2));
      }
    });

    it('serves XML valid against the schema', async () => {
      const response = await download(transactionUid, 'xml');
      const path = join(folder, `${label}.xml`);
      writeFileSync(path, String(response.body));

      const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/xml');
      expect(lint.stderr).toContain('validates');
      expect(lint.status).toBe(0);
      expect((await verifyEvidence(parseEvidenceXml(response.body as string), await trustedKey())).problems).toEqual([]);
    });

    it('serves a PDF report sealed with PAdES', async () => {
      const json = (await download(transactionUid)).body as SealedEvidence;
      const response = await download(transactionUid, 'pdf');
      const path = join(folder, `${label}.pdf`);
      writeFileSync(path, response.body as Buffer);

      const signatures = spawnSync('pdfsig', [path], { encoding: 'utf8' });
      const text = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout;

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(signatures.stdout).toContain('Signature Validation: Signature is Valid.');
      expect(signatures.stdout).toContain('Total document signed');
      expect(text).toContain('Rapport de preuve');
      expect(text).toContain(json.chain.final_hash);
      for (const event of json.events) {
        expect(text).toContain(event.type);
      }
      expect(text).toContain('Zoë Dupré');
      expect(text).not.toContain(PHONE);
    });

    it('fails verification after one event is altered', async () => {
      const response = await download(transactionUid);
      const evidence = response.body as SealedEvidence;
      evidence.events[1].ip = '198.51.100.99';
      const path = join(folder, `${label}-altered.json`);
      writeFileSync(path, JSON.stringify(evidence));

      const run = spawnSync(join(REPOSITORY_ROOT, 'node_modules/.bin/tsx'), [join(REPOSITORY_ROOT, 'libs/evidence/src/export/verify-evidence.cli.ts'), path], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });

      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`event 2 (sequence 2, ${evidence.events[1].type}): hash mismatch`);
    });
  });

  describe('of a transaction whose recorded text holds control characters', () => {
    /**
     * Every character XML 1.0 cannot carry that PostgreSQL stores: C0 controls but NUL, tab and
     * LF (CR included), U+FFFE and U+FFFF. NUL and lone surrogates cannot be stored in text or
     * jsonb columns; the unit tests of the XML form cover them.
     */
    const UNSAFE = [
      ...Array.from({ length: 0x1f }, (_, index) => String.fromCharCode(index + 1)).filter((character) => character !== '\t' && character !== '\n'),
      '\ufffe',
      '\uffff',
    ].join('');
    const NAME = 'line1\r\nBcc: x\u0007\u001b[31m';
    let transactionUid: string;

    beforeAll(async () => {
      transactionUid = await createTransaction('Control characters');
      const auditTrail = testApp.app.get(AuditTrail);
      await testApp.app.get(EntityManager).fork().transactional(async (em) => {
        await auditTrail.append(em, {
          transactionUid,
          type: 'signatory.identified',
          actor: { type: 'system' },
          request: { ip: '203.0.113.7', userAgent: `agent ${UNSAFE}` },
          data: { detail: UNSAFE, [`key ${UNSAFE}`]: [UNSAFE, { nested: UNSAFE }] },
        });
        // Written directly because the API rejects such names; older rows may still hold them.
        await em.execute('update transactions set name = ? where uid = ?', [NAME, transactionUid]);
      });
    });

    function verifyFile(path: string) {
      return spawnSync(join(REPOSITORY_ROOT, 'node_modules/.bin/tsx'), [join(REPOSITORY_ROOT, 'libs/evidence/src/export/verify-evidence.cli.ts'), path], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
    }

    it('serves JSON that verifies', async () => {
      const evidence = (await download(transactionUid)).body as SealedEvidence;

      expect(evidence.transaction.name).toBe(NAME);
      expect(evidence.events[2].user_agent).toBe(`agent ${UNSAFE}`);
      expect((await verifyEvidence(evidence, await trustedKey())).problems).toEqual([]);
    });

    it('serves XML that validates and verifies', async () => {
      const response = await download(transactionUid, 'xml');
      const path = join(folder, 'control.xml');
      writeFileSync(path, String(response.body));

      const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });
      const verified = verifyFile(path);

      expect(lint.stderr).toContain('validates');
      expect(lint.status).toBe(0);
      expect(verified.stdout).toContain('VALID');
      expect(verified.status).toBe(0);
    });

    it('fails verification after one escaped value is altered', async () => {
      const xml = String((await download(transactionUid, 'xml')).body);
      const path = join(folder, 'control-altered.xml');
      expect(xml).toContain('<userAgent encoding="escaped">agent \\u0001');
      writeFileSync(path, xml.replace('<userAgent encoding="escaped">agent \\u0001', '<userAgent encoding="escaped">agent \\u0002'));

      const verified = verifyFile(path);

      expect(verified.status).toBe(1);
      expect(verified.stdout).toContain('event 3 (sequence 3, signatory.identified): hash mismatch');
    });

    it('shows control characters as escapes in the PDF report', async () => {
      const response = await download(transactionUid, 'pdf');
      const path = join(folder, 'control.pdf');
      writeFileSync(path, response.body as Buffer);

      const signatures = spawnSync('pdfsig', [path], { encoding: 'utf8' });
      const text = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout;

      expect(signatures.stdout).toContain('Signature Validation: Signature is Valid.');
      expect(text).toContain('line1\\u000D\\u000ABcc: x\\u0007\\u001B[31m');
    });
  });

  it('answers 404 for another client', async () => {
    const transactionUid = await createTransaction('Private evidence');
    const other = await createTestClient(testApp);

    const response = await request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}/evidence`, { authorization: other.authorization });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe('urn:secusign:problem:not_found');
  });

  it('rejects an unknown format', async () => {
    const transactionUid = await createTransaction('Format');

    const response = await download(transactionUid, 'docx');

    expect(response.status).toBe(400);
    expect(response.body.errors.format[0]).toContain('format must be one of');
  });
});
