import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { PDFDocument } from 'pdf-lib';
import { AuditTrail, SealedEvidence, verifyEvidence } from '@secusign/evidence';
import { DownloadLinks } from '@secusign/downloads';
import { createTestClient, TestClient } from '../support/clients';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('download links', () => {
  let testApp: TestApp;
  let client: TestClient;
  let transactionUid: string;
  let pdf: Buffer;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = await createTestClient(testApp);

    const document = await PDFDocument.create();
    document.addPage([595, 842]);
    pdf = Buffer.from(await document.save());
    const created = await request(testApp.baseUrl, 'POST', '/api/v1/transactions', { authorization: client.authorization, json: { name: 'Downloads' } });
    transactionUid = created.body.uid;
    const upload = await request(testApp.baseUrl, 'PUT', `/api/v1/transactions/${transactionUid}/document`, {
      authorization: client.authorization,
      headers: { 'content-type': 'application/pdf' },
      body: new Blob([new Uint8Array(pdf)]),
    });
    expect(upload.status).toBe(200);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function details() {
    return request(testApp.baseUrl, 'GET', `/api/v1/transactions/${transactionUid}`, { authorization: client.authorization });
  }

  /** Completes the transaction as the signing workflow would, without signing the PDF. */
  async function complete(): Promise<void> {
    const auditTrail = testApp.app.get(AuditTrail);
    await testApp.app.get(EntityManager).fork().transactional(async (em) => {
      await auditTrail.append(em, { transactionUid, type: 'transaction.completed', actor: { type: 'system' } });
      await em.execute("update transactions set status = 'completed', sent_at = now(), completed_at = now() where uid = ?", [transactionUid]);
    });
  }

  function pathOf(url: string): string {
    return new URL(url).pathname;
  }

  it('are absent before completion', async () => {
    const response = await details();

    expect(response.body.status).toBe('created');
    expect(response.body).not.toHaveProperty('signed_document_url');
    expect(response.body).not.toHaveProperty('evidence_url');
    expect(response.body).not.toHaveProperty('download_expires_at');
  });

  describe('of a completed transaction', () => {
    let body: { signed_document_url: string; evidence_url: string; download_expires_at: string };

    beforeAll(async () => {
      await complete();
      body = (await details()).body;
    });

    it('are in the details and expire in 15 minutes', () => {
      expect(body.signed_document_url.startsWith(`${testApp.config.publicUrl}/api/v1/downloads/`)).toBe(true);
      expect(body.evidence_url.startsWith(`${testApp.config.publicUrl}/api/v1/downloads/`)).toBe(true);
      const remainingMs = Date.parse(body.download_expires_at) - Date.now();
      expect(remainingMs).toBeGreaterThan(14 * 60_000);
      expect(remainingMs).toBeLessThanOrEqual(15 * 60_000);
    });

    it('serve the document without credentials', async () => {
      const response = await request(testApp.baseUrl, 'GET', pathOf(body.signed_document_url));

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(createHash('sha256').update(response.body as Buffer).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    });

    it('serve sealed evidence without credentials', async () => {
      const response = await request(testApp.baseUrl, 'GET', pathOf(body.evidence_url));

      expect(response.status).toBe(200);
      const evidence = response.body as SealedEvidence;
      expect(evidence.transaction.uid).toBe(transactionUid);
      expect((await verifyEvidence(evidence)).problems).toEqual([]);
    });

    it('are rejected when tampered with', async () => {
      const path = pathOf(body.evidence_url);
      const [payload, signature] = path.slice(path.lastIndexOf('/') + 1).split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: string };
      const swapped = Buffer.from(JSON.stringify({ ...decoded, k: 'document' })).toString('base64url');

      for (const token of [`${swapped}.${signature}`, `${payload}.${signature.slice(0, -2)}AA`, 'not-a-token']) {
        const response = await request(testApp.baseUrl, 'GET', `/api/v1/downloads/${token}`);

        expect(response.status).toBe(404);
        expect(response.body.type).toBe('urn:secusign:problem:download_link_invalid');
      }
    });

    it('are rejected once expired', async () => {
      const token = testApp.app.get(DownloadLinks).sign({ transactionUid, kind: 'evidence', expiresAt: new Date(Date.now() - 1000) });

      const response = await request(testApp.baseUrl, 'GET', `/api/v1/downloads/${token}`);

      expect(response.status).toBe(410);
      expect(response.body.type).toBe('urn:secusign:problem:download_link_expired');
    });
  });
});
