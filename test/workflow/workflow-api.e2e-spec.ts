import { randomUUID } from 'node:crypto';
import { request } from '../support/http';
import { adminAuthorization, createTestClient } from '../support/clients';
import { createTestIdentityProvider } from '../support/identity-providers';
import { startTestApp, TestApp } from '../support/test-app';
import { auditEventsOf, expectStatus, hashChainProblem, TransactionsApi } from '../support/transactions';
import { authenticate, createTransaction, eventually, latestCode, outboxMessages, problemCode, sql, workflowCall } from './workflow-test-kit';

describe('signing workflow API', () => {
  let testApp: TestApp;
  let api: TransactionsApi;

  beforeAll(async () => {
    testApp = await startTestApp();
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Acme Leasing', primary_color: '#0b5fff', sms_sender: 'AcmeLease' }));
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('unknown links', () => {
    it.each([
      ['GET', ''],
      ['GET', '/document'],
      ['GET', '/signed-document'],
      ['POST', '/otp'],
      ['POST', '/otp/verify'],
      ['POST', '/sign'],
    ])('returns 404 to %s %s', async (method, path) => {
      const body = path === '/otp/verify' ? { code: '123456' } : path === '/sign' ? { consent: true } : undefined;
      const response = await workflowCall(testApp, method, randomUUID(), path, body);

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(problemCode(response.body)).toBe('not_found');
    });

    it('returns 404 for a malformed uid', async () => {
      const response = await workflowCall(testApp, 'GET', 'not-a-uuid');

      expect(response.status).toBe(404);
      expect(problemCode(response.body)).toBe('not_found');
    });

    it('returns 404 for a deleted transaction', async () => {
      const transaction = await createTransaction(api, [{}], { send: false });
      expectStatus(await api.call('DELETE', `/transactions/${transaction.uid}`), 204);

      const response = await workflowCall(testApp, 'GET', transaction.signatories[0].uid);

      expect(response.status).toBe(404);
    });
  });

  describe('GET /workflow/{uid}', () => {
    it('shows names, branding and steps', async () => {
      const transaction = await createTransaction(api, [{ firstname: 'Jeanne', lastname: 'Martin', language: 'fr' }]);
      const signatory = transaction.signatories[0];

      const response = await workflowCall(testApp, 'GET', signatory.uid, '', undefined, { 'user-agent': 'WorkflowTest/1.0' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        signatory: { uid: signatory.uid, firstname: 'Jeanne', lastname: 'Martin', language: 'FR', authentication: 'sms', status: 'identified' },
        transaction: { name: 'Lease 2024-117', status: 'sent', document: { certificate_page: 'appended' } },
        branding: { display_name: 'Acme Leasing', primary_color: '#0B5FFF', logo_url: null },
        steps: { identification: 'done', authentication: 'current', signature: 'pending' },
        otp: { state: 'none', cooldown_seconds: 0, expires_at: null },
        signature: { state: 'pending', signed_at: null },
        document_url: `/api/v1/workflow/${signatory.uid}/document`,
        signed_document_url: null,
      });
      expect(response.body.signatory.masked_destination).toMatch(/^\+33 6•• •• •\d \d{2}$/);
    });

    it('records link.opened once a minute with IP and user agent', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];

      await Promise.all([1, 2, 3].map(() => workflowCall(testApp, 'GET', signatory.uid, '', undefined, { 'user-agent': 'WorkflowTest/1.0' })));
      await workflowCall(testApp, 'GET', signatory.uid, '', undefined, { 'user-agent': 'WorkflowTest/1.0' });

      const opened = (await auditEventsOf(testApp, transaction.uid)).filter((event) => event.type === 'link.opened');
      expect(opened).toHaveLength(1);
      expect(opened[0].actorId).toBe(signatory.uid);
      expect(opened[0].ip).toMatch(/127\.0\.0\.1/);
      expect(opened[0].userAgent).toBe('WorkflowTest/1.0');
    });

    it('blocks every step of a transaction not sent', async () => {
      const transaction = await createTransaction(api, [{}], { send: false });

      const response = await workflowCall(testApp, 'GET', transaction.signatories[0].uid);

      expect(response.body.transaction.status).toBe('created');
      expect(response.body.steps).toEqual({ identification: 'done', authentication: 'blocked', signature: 'blocked' });
    });
  });

  describe('GET /workflow/{uid}/document', () => {
    it('serves the prepared document with the certificate page', async () => {
      const transaction = await createTransaction(api, [{}, {}]);

      const response = await workflowCall(testApp, 'GET', transaction.signatories[0].uid, '/document');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1')).toContain('SecuSign_Signature_1');
      expect(pdf.toString('latin1')).toContain('SecuSign_Signature_2');
      const [revision] = await sql(testApp, 'select sequence, kind, sha256 from document_revisions where transaction_uid = ?', [transaction.uid]);
      expect(revision).toMatchObject({ sequence: 0, kind: 'prepared' });
    });

    it('returns 409 before the transaction is sent', async () => {
      const transaction = await createTransaction(api, [{}], { send: false });

      const response = await workflowCall(testApp, 'GET', transaction.signatories[0].uid, '/document');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_not_sent');
    });
  });

  describe('POST /workflow/{uid}/otp', () => {
    it('sends a code by SMS in the signatory language under the client name', async () => {
      const transaction = await createTransaction(api, [{ language: 'de' }]);
      const signatory = transaction.signatories[0];

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        channel: 'sms',
        masked_destination: expect.stringMatching(/^\+33 6/),
        expires_at: expect.stringMatching(/Z$/),
        cooldown_seconds: 30,
      });
      const [message] = await outboxMessages(testApp, signatory.phone);
      expect(message.channel).toBe('sms');
      expect(message.to).toBe(signatory.phone);
      expect(message.body).toMatch(/^\d{6} ist Ihr Signaturcode von Acme Leasing\./);
      const [token] = await sql(testApp, 'select code_hash from authenticate_tokens where signatory_uid = ?', [signatory.uid]);
      expect(token.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(token.code_hash).not.toContain(await latestCode(testApp, signatory.phone));
    });

    it('sends a code by email when the signatory authenticates by email', async () => {
      const transaction = await createTransaction(api, [{ authentication: 'email', language: 'it' }]);
      const signatory = transaction.signatories[0];

      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

      const [message] = await outboxMessages(testApp, signatory.email.toUpperCase());
      expect(message).toMatchObject({ channel: 'email', to: signatory.email, subject: 'Il suo codice di firma Acme Leasing' });
      expect(message.body).toContain('«Lease 2024-117»');
    });

    it('audits the masked destination and never the code', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
      const code = await latestCode(testApp, signatory.phone);

      const events = await auditEventsOf(testApp, transaction.uid);
      const sent = events.find((event) => event.type === 'otp.sent');
      expect(sent?.data).toMatchObject({ channel: 'sms', destination: expect.stringMatching(/^\+33 6•• •• •/) });
      const otpEvents = JSON.stringify(events.filter((event) => event.type.startsWith('otp.')));
      expect(JSON.stringify(events)).not.toContain(code);
      expect(otpEvents).not.toContain(signatory.phone);
      expect(hashChainProblem(events)).toBeNull();
    });

    it('returns 429 within the resend cooldown', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

      expect(response.status).toBe(429);
      expect(problemCode(response.body)).toBe('otp_rate_limited');
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(response.body.retry_after).toBe(retryAfter);
      expect((await workflowCall(testApp, 'GET', signatory.uid)).body.otp.cooldown_seconds).toBeGreaterThan(0);
      expect(await outboxMessages(testApp, signatory.phone)).toHaveLength(1);
    });

    it('returns 429 for a sixth code within the hour', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      for (let index = 0; index < 5; index += 1) {
        expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
        // Moves the code out of the cooldown, keeping it inside the hour.
        await sql(testApp, `update authenticate_tokens set created_at = created_at - interval '40 seconds' * (? + 1) where signatory_uid = ?`, [5 - index, signatory.uid]);
      }

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

      expect(response.status).toBe(429);
      expect(problemCode(response.body)).toBe('otp_rate_limited');
      expect(response.body.detail).toContain('last hour');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(30);
      expect(await outboxMessages(testApp, signatory.phone)).toHaveLength(5);
    });

    it('returns 409 before the transaction is sent', async () => {
      const transaction = await createTransaction(api, [{}], { send: false });

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/otp');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_not_sent');
      expect(response.body.transaction_status).toBe('created');
    });

    it('returns 409 after the transaction is cancelled', async () => {
      const transaction = await createTransaction(api, [{}]);
      expectStatus(await api.patch(transaction.uid, { status: 'cancel' }), 200);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/otp');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_cancelled');
      expect((await workflowCall(testApp, 'GET', transaction.signatories[0].uid)).body.steps.authentication).toBe('blocked');
    });

    it('returns 409 while the signatory is not identified', async () => {
      const transaction = await createTransaction(api, [{ signature_level: 'advanced', identity_provider_uid: (await createTestIdentityProvider(testApp)).uid }]);
      const signatory = transaction.signatories[0];

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('signatory_not_identified');
      expect((await workflowCall(testApp, 'GET', signatory.uid)).body.steps).toEqual({ identification: 'current', authentication: 'pending', signature: 'pending' });
    });

    it('returns 409 while a verified code still allows signing', async () => {
      const transaction = await createTransaction(api, [{}]);
      await authenticate(testApp, transaction.signatories[0]);
      await sql(testApp, `update authenticate_tokens set created_at = created_at - interval '1 minute'`);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/otp');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('signatory_already_authenticated');
    });

    it('sends a new code once the signing window has closed', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      await authenticate(testApp, signatory);
      await sql(testApp, `update authenticate_tokens set created_at = created_at - interval '11 minutes', signing_expires_at = now() - interval '1 minute' where signatory_uid = ?`, [signatory.uid]);

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

      expect(response.status).toBe(201);
    });
  });

  describe('POST /workflow/{uid}/otp/verify', () => {
    it('authenticates the signatory with the right code', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp/verify', { code: await latestCode(testApp, signatory.phone) });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'authenticated', signing_expires_at: expect.stringMatching(/Z$/) });
      const details = expectStatus(await api.call('GET', `/transactions/${transaction.uid}/signatories/${signatory.uid}`), 200);
      expect(details.status).toBe('authenticated');
      expect(details.authenticated_at).not.toBeNull();
      const view = (await workflowCall(testApp, 'GET', signatory.uid)).body;
      expect(view.steps).toEqual({ identification: 'done', authentication: 'done', signature: 'current' });
      expect(view.otp.state).toBe('verified');
      expect((await auditEventsOf(testApp, transaction.uid)).map((event) => event.type)).toContain('otp.verified');
    });

    it('counts wrong codes and locks on the fifth', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
      const code = await latestCode(testApp, signatory.phone);
      const wrong = code === '000000' ? '111111' : '000000';

      const answers = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        answers.push(await workflowCall(testApp, 'POST', signatory.uid, '/otp/verify', { code: wrong }));
      }
      const afterLock = await workflowCall(testApp, 'POST', signatory.uid, '/otp/verify', { code });

      expect(answers.slice(0, 4).map((answer) => [answer.status, problemCode(answer.body), answer.body.attempts_left])).toEqual([
        [422, 'otp_invalid', 4],
        [422, 'otp_invalid', 3],
        [422, 'otp_invalid', 2],
        [422, 'otp_invalid', 1],
      ]);
      expect([answers[4].status, problemCode(answers[4].body)]).toEqual([409, 'otp_locked']);
      expect(afterLock.status).toBe(409);
      expect(problemCode(afterLock.body)).toBe('otp_locked');
      expect((await workflowCall(testApp, 'GET', signatory.uid)).body.otp).toMatchObject({ state: 'locked', attempts_left: 0 });
      const events = await auditEventsOf(testApp, transaction.uid);
      const failed = events.filter((event) => event.type === 'otp.failed');
      expect(failed.map((event) => event.data.attempts_left)).toEqual([4, 3, 2, 1, 0]);
      expect(events.filter((event) => event.type === 'otp.locked')).toHaveLength(1);
    });

    it('accepts a new code after a lock', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
      await sql(testApp, `update authenticate_tokens set failed_attempts = 5, locked_at = now(), created_at = created_at - interval '1 minute' where signatory_uid = ?`, [signatory.uid]);

      await authenticate(testApp, signatory);

      expect((await workflowCall(testApp, 'GET', signatory.uid)).body.signatory.status).toBe('authenticated');
    });

    it('returns 409 for an expired code', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
      await sql(testApp, `update authenticate_tokens set expires_at = now() - interval '1 second' where signatory_uid = ?`, [signatory.uid]);

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/otp/verify', { code: await latestCode(testApp, signatory.phone) });

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('otp_expired');
    });

    it('returns 409 when no code was requested', async () => {
      const transaction = await createTransaction(api, [{}]);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/otp/verify', { code: '123456' });

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('otp_required');
    });

    it.each([[{}], [{ code: '12345' }], [{ code: 123456 }], [{ code: '12345a' }]])('rejects the body %j with 400', async (body) => {
      const transaction = await createTransaction(api, [{}]);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/otp/verify', body);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.errors.code).toBeDefined();
    });
  });

  describe('POST /workflow/{uid}/sign', () => {
    it('returns 409 without a verified code', async () => {
      const transaction = await createTransaction(api, [{}]);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/sign', { consent: true });

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('otp_required');
    });

    it('returns 409 once the signing window has closed', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      await authenticate(testApp, signatory);
      await sql(testApp, `update authenticate_tokens set signing_expires_at = now() - interval '1 second' where signatory_uid = ?`, [signatory.uid]);

      const response = await workflowCall(testApp, 'POST', signatory.uid, '/sign', { consent: true });

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('authentication_expired');
    });

    it.each([[{}], [{ consent: false }], [{ consent: 'true' }], [{ consent: 1 }]])('rejects the body %j with 400', async (body) => {
      const transaction = await createTransaction(api, [{}]);
      await authenticate(testApp, transaction.signatories[0]);

      const response = await workflowCall(testApp, 'POST', transaction.signatories[0].uid, '/sign', body);

      expect(response.status).toBe(400);
      expect(response.body.errors.consent).toEqual(['consent must be true to sign']);
    });

    it('signs, then returns 409 to the signer', async () => {
      const transaction = await createTransaction(api, [{}, {}]);
      const [first] = transaction.signatories;
      await authenticate(testApp, first);

      const response = await workflowCall(testApp, 'POST', first.uid, '/sign', { consent: true });

      expect(response.status).toBe(202);
      expect(response.body).toEqual({ status: 'signing' });
      const view = await eventually('the signature is applied', async () => {
        const current = (await workflowCall(testApp, 'GET', first.uid)).body;

        return current.signature.state === 'done' ? current : undefined;
      });
      expect(view.signatory.status).toBe('signed');
      expect(view.steps).toEqual({ identification: 'done', authentication: 'done', signature: 'done' });
      expect(view.signed_document_url).toBe(`/api/v1/workflow/${first.uid}/signed-document`);
      for (const [method, path, body] of [
        ['POST', '/otp', undefined],
        ['POST', '/otp/verify', { code: '123456' }],
        ['POST', '/sign', { consent: true }],
      ] as const) {
        const again = await workflowCall(testApp, method, first.uid, path, body);
        expect([path, again.status, problemCode(again.body)]).toEqual([path, 409, 'signatory_already_signed']);
      }
      const signed = await workflowCall(testApp, 'GET', first.uid, '/signed-document');
      expect(signed.status).toBe(200);
      expect((await workflowCall(testApp, 'GET', transaction.signatories[1].uid, '/signed-document')).status).toBe(404);

      const events = await auditEventsOf(testApp, transaction.uid);
      const types = events.map((event) => event.type);
      expect(types).toContain('consent.given');
      const applied = events.find((event) => event.type === 'signature.applied');
      expect(applied?.data).toMatchObject({
        signatory_uid: first.uid,
        field_name: 'SecuSign_Signature_1',
        sha256_before: expect.stringMatching(/^[0-9a-f]{64}$/),
        sha256_after: expect.stringMatching(/^[0-9a-f]{64}$/),
        certificate_serial: expect.any(String),
      });
      expect(hashChainProblem(events)).toBeNull();
      const [token] = await sql(testApp, 'select t.document_revision_id, r.sequence from authenticate_tokens t join document_revisions r on r.id = t.document_revision_id where t.signatory_uid = ?', [first.uid]);
      expect(token.sequence).toBe(1);
    });

    it('returns 409 once the transaction is completed', async () => {
      const transaction = await createTransaction(api, [{}]);
      const [only] = transaction.signatories;
      await authenticate(testApp, only);
      expectStatus(await workflowCall(testApp, 'POST', only.uid, '/sign', { consent: true }), 202);
      await eventually('the transaction completes', async () => {
        const body = expectStatus(await api.call('GET', `/transactions/${transaction.uid}`), 200);

        return body.status === 'completed' ? body : undefined;
      });

      const response = await workflowCall(testApp, 'POST', only.uid, '/otp');

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_completed');
    });
  });

  describe('GET /admin/outbox', () => {
    it('requires the administrator credentials', async () => {
      const response = await request(testApp.baseUrl, 'GET', '/api/v1/admin/outbox');

      expect(response.status).toBe(401);
    });

    it('lists messages newest first and filters by recipient', async () => {
      const transaction = await createTransaction(api, [{}]);
      const signatory = transaction.signatories[0];
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);
      await sql(testApp, `update authenticate_tokens set created_at = created_at - interval '1 minute' where signatory_uid = ?`, [signatory.uid]);
      expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

      const byDigits = await outboxMessages(testApp, signatory.phone);
      const byE164 = await outboxMessages(testApp, `+${signatory.phone}`);

      expect(byDigits).toHaveLength(2);
      expect(byE164).toEqual(byDigits);
      expect(byDigits[0].created_at >= byDigits[1].created_at).toBe(true);
      expect(byDigits[0].body).toContain(await latestCode(testApp, signatory.phone));
      expect(Object.keys(byDigits[0]).sort()).toEqual(['body', 'channel', 'created_at', 'subject', 'to']);
      expect(await outboxMessages(testApp, '33000000000')).toEqual([]);
    });
  });
});
