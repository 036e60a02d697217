import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { compactVerify } from 'jose';
import { IdentityApproval, NODE_APPROVAL_EXAMPLE, SHELL_APPROVAL_EXAMPLE } from '@secusign/identity-providers';
import { adminAuthorization, createTestClient } from './support/clients';
import { request } from './support/http';
import { createTestIdentityProvider, postApproval, signApproval, TestIdentityProvider } from './support/identity-providers';
import { startTestApp, TestApp } from './support/test-app';
import { auditEventsOf, databaseOf, domainEventsOf, expectStatus, hashChainProblem, signatoryInput, TransactionsApi } from './support/transactions';
import { problemCode } from './support/assertions';

const run = promisify(execFile);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('identity providers', () => {
  let testApp: TestApp;
  let api: TransactionsApi;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp));
  });

  afterAll(async () => {
    await testApp.close();
  });

  function admin(method: string, path: string, json?: unknown) {
    return request(testApp.baseUrl, method, `/api/v1/admin/identity-providers${path}`, { authorization: adminAuthorization(), json });
  }

  /** Creates a transaction in `created` with one advanced signatory naming `provider`. */
  async function advancedSignatory(provider: TestIdentityProvider, overrides: Record<string, unknown> = {}): Promise<{ transactionUid: string; signatoryUid: string }> {
    const transaction = await api.create({ name: 'Advanced' });
    const signatory = await api.addSignatory(transaction.uid, { signature_level: 'advanced', identity_provider_uid: provider.uid, ...overrides });

    return { transactionUid: transaction.uid, signatoryUid: signatory.uid };
  }

  it('documents the routes in Swagger', async () => {
    const document = expectStatus(await request(testApp.baseUrl, 'GET', '/docs-json'), 200);
    const approval = document.paths['/api/v1/identity-providers/{identityProviderUid}/approvals'].post;

    expect(Object.keys(approval.requestBody.content)).toEqual(['application/jose']);
    expect(approval.description).toContain('new SignJWT(');
    expect(approval.description).toContain('openssl dgst -sha256 -sign idp.key');
    expect(Object.keys(approval.responses).sort()).toEqual(['201', '400', '401', '404', '409', '413', '415', '422']);
    expect(document.paths['/api/v1/admin/identity-providers'].post.security).toEqual([{ admin: [] }]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/admin/identity-providers/{uid}/disable', '/api/v1/pki/ca.pem', '/api/v1/pki/crl']));
  });

  describe('admin API', () => {
    it('generates a key pair and returns the private key once', async () => {
      const response = await admin('POST', '', { name: 'Acme eID' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Acme eID',
        status: 'active',
        public_key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/),
        key_thumbprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        private_key: expect.stringMatching(/^-----BEGIN PRIVATE KEY-----\n/),
        disabled_at: null,
        created_at: expect.stringMatching(TIMESTAMP),
        updated_at: expect.stringMatching(TIMESTAMP),
      });
      const derivedPublicKey = createPublicKey(response.body.private_key).export({ type: 'spki', format: 'pem' });
      expect(derivedPublicKey).toBe(response.body.public_key);

      const fetched = await admin('GET', `/${response.body.uid}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body.private_key).toBeUndefined();
      expect(fetched.body.public_key).toBe(response.body.public_key);
    });

    it('registers a public key the provider generated', async () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const response = await admin('POST', '', { name: 'Own key', public_key: pem });

      expect(response.status).toBe(201);
      expect(response.body.public_key).toBe(pem);
      expect(response.body.private_key).toBeUndefined();
    });

    it('rejects public keys that are not P-256 SPKI PEM', async () => {
      const ecPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const cases: [string, string][] = [
        [ecPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'public_key must be one PEM block "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo)'],
        [
          generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          'public_key must be a P-256 (prime256v1) EC key for ES256, not a rsa key',
        ],
        ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'public_key is not a valid PEM public key'],
      ];

      for (const [publicKey, message] of cases) {
        const response = await admin('POST', '', { name: 'Bad key', public_key: publicKey });
        expect(response.status).toBe(400);
        expect(problemCode(response.body)).toBe('validation_failed');
        expect(response.body.errors).toEqual({ public_key: [message] });
      }
    });

    it('rejects a missing name', async () => {
      const response = await admin('POST', '', {});

      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toEqual(['name']);
    });

    it('lists providers newest first with a cursor', async () => {
      const first = await createTestIdentityProvider(testApp, 'List first');
      const second = await createTestIdentityProvider(testApp, 'List second');

      const page = await admin('GET', '?limit=1');
      expect(page.status).toBe(200);
      expect(page.body.data.map((provider: { uid: string }) => provider.uid)).toEqual([second.uid]);
      expect(page.body.next_cursor).toEqual(expect.any(String));

      const next = await admin('GET', `?limit=1&cursor=${page.body.next_cursor}`);
      expect(next.body.data.map((provider: { uid: string }) => provider.uid)).toEqual([first.uid]);
    });

    it('returns 404 for an unknown uid', async () => {
      for (const uid of ['7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'not-a-uuid']) {
        const response = await admin('GET', `/${uid}`);
        expect(response.status).toBe(404);
        expect(problemCode(response.body)).toBe('identity_provider_not_found');
      }
    });

    it('disables a provider idempotently', async () => {
      const provider = await createTestIdentityProvider(testApp);
      const first = await admin('POST', `/${provider.uid}/disable`);
      const second = await admin('POST', `/${provider.uid}/disable`);

      expect(first.status).toBe(200);
      expect(first.body.status).toBe('disabled');
      expect(first.body.disabled_at).toMatch(TIMESTAMP);
      expect(second.body.disabled_at).toBe(first.body.disabled_at);
    });

    it('requires the admin credentials', async () => {
      const anonymous = await request(testApp.baseUrl, 'GET', '/api/v1/admin/identity-providers');
      const client = await request(testApp.baseUrl, 'POST', '/api/v1/admin/identity-providers', { authorization: api.client.authorization, json: { name: 'x' } });

      expect(anonymous.status).toBe(401);
      expect(client.status).toBe(401);
    });
  });

  describe('advanced signatories', () => {
    it('rejects an unknown or disabled provider', async () => {
      const transaction = await api.create();
      const disabled = await createTestIdentityProvider(testApp);
      expectStatus(await admin('POST', `/${disabled.uid}/disable`), 200);
      const path = `/transactions/${transaction.uid}/signatories`;

      const unknown = await api.call('POST', path, { json: signatoryInput({ signature_level: 'advanced', identity_provider_uid: '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }) });
      const disabledResponse = await api.call('POST', path, { json: signatoryInput({ signature_level: 'advanced', identity_provider_uid: disabled.uid }) });

      expect(unknown.status).toBe(422);
      expect(problemCode(unknown.body)).toBe('identity_provider_not_assignable');
      expect(unknown.body.reason).toBe('not_found');
      expect(disabledResponse.status).toBe(422);
      expect(problemCode(disabledResponse.body)).toBe('identity_provider_not_assignable');
      expect(disabledResponse.body.reason).toBe('disabled');
    });

    it('rejects email authentication on create and change', async () => {
      const provider = await createTestIdentityProvider(testApp);
      const transaction = await api.create();
      const path = `/transactions/${transaction.uid}/signatories`;

      const created = await api.call('POST', path, { json: signatoryInput({ signature_level: 'advanced', identity_provider_uid: provider.uid, authentication: 'email' }) });
      const simple = await api.addSignatory(transaction.uid, { authentication: 'email' });
      const changed = await api.call('PATCH', `${path}/${simple.uid}`, { json: { signature_level: 'advanced', identity_provider_uid: provider.uid } });
      const advanced = await api.addSignatory(transaction.uid, { signature_level: 'advanced', identity_provider_uid: provider.uid, email: 'other@example.com' });
      const toEmail = await api.call('PATCH', `${path}/${advanced.uid}`, { json: { authentication: 'email' } });

      for (const response of [created, changed, toEmail]) {
        expect(response.status).toBe(422);
        expect(problemCode(response.body)).toBe('advanced_requires_sms');
      }
    });

    it('needs a new approval after an identity change', async () => {
      const provider = await createTestIdentityProvider(testApp);
      const { transactionUid, signatoryUid } = await advancedSignatory(provider);
      const path = `/transactions/${transactionUid}/signatories/${signatoryUid}`;
      expectStatus(await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid)), 201);

      const phoneChanged = expectStatus(await api.call('PATCH', path, { json: { phone: '+33611111111' } }), 200);
      const renamed = expectStatus(await api.call('PATCH', path, { json: { lastname: 'Someone-Else' } }), 200);

      expect(phoneChanged.status).toBe('identified');
      expect(renamed.status).toBe('created');
      expect(renamed.identified_at).toBeNull();
      const events = await auditEventsOf(testApp, transactionUid);
      expect(events[events.length - 1].data).toMatchObject({ changes: { lastname: 'Someone-Else' }, status: { from: 'identified', to: 'created' } });
      const again = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid));
      expect(again.status).toBe(201);
    });

    it('checks the provider when a change names it', async () => {
      const provider = await createTestIdentityProvider(testApp);
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid, { signature_level: 'advanced', identity_provider_uid: provider.uid });
      const path = `/transactions/${transaction.uid}/signatories/${signatory.uid}`;
      expectStatus(await admin('POST', `/${provider.uid}/disable`), 200);

      const unrelated = await api.call('PATCH', path, { json: { firstname: 'Jane' } });
      const renamed = await api.call('PATCH', path, { json: { identity_provider_uid: '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d' } });

      expect(unrelated.status).toBe(200);
      expect(renamed.status).toBe(422);
      expect(problemCode(renamed.body)).toBe('identity_provider_not_assignable');
    });
  });

  describe('POST /identity-providers/{uid}/approvals', () => {
    let provider: TestIdentityProvider;

    beforeAll(async () => {
      provider = await createTestIdentityProvider(testApp);
    });

    it('identifies the signatory and records the approval', async () => {
      const { transactionUid, signatoryUid } = await advancedSignatory(provider);
      const verification = { method: 'identity_document', document_type: 'passport', checked_at: '2024-01-27T08:40:00Z', score: 0.98 };
      const jws = await signApproval(provider, signatoryUid, { claims: { verification, jti: `jti-${signatoryUid}` } });

      const response = await postApproval(testApp, provider.uid, jws);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        identity_provider_uid: provider.uid,
        signatory_uid: signatoryUid,
        jti: `jti-${signatoryUid}`,
        signatory_status: 'identified',
        identified_at: expect.stringMatching(TIMESTAMP),
        issued_at: expect.stringMatching(TIMESTAMP),
      });
      const signatory = expectStatus(await api.call('GET', `/transactions/${transactionUid}/signatories/${signatoryUid}`), 200);
      expect(signatory.status).toBe('identified');
      expect(signatory.identified_at).toBe(response.body.identified_at);

      const events = await auditEventsOf(testApp, transactionUid);
      const approved = events.find((event) => event.type === 'identity.approved');
      expect(approved?.actorType).toBe('identity_provider');
      expect(approved?.actorId).toBe(provider.uid);
      expect(approved?.data).toMatchObject({ signatory_uid: signatoryUid, identity_provider_uid: provider.uid, jti: `jti-${signatoryUid}`, verification });
      expect(hashChainProblem(events)).toBeNull();

      const domainEvents = await domainEventsOf(testApp, transactionUid);
      const identified = domainEvents.find((event) => event.type === 'signatory.identified');
      expect(identified?.payload).toMatchObject({ signatory_uid: signatoryUid, transaction: { uid: transactionUid } });

      const stored = await databaseOf(testApp).findOneOrFail(IdentityApproval, { uid: response.body.uid });
      expect(stored.jws).toBe(jws);
      const reverified = await compactVerify(stored.jws, createPublicKey(provider.privateKey), { algorithms: ['ES256'] });
      expect(JSON.parse(Buffer.from(reverified.payload).toString('utf8')).signatory_uid).toBe(signatoryUid);
    });

    it('rejects a JWS whose payload was altered', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const [header, , signature] = (await signApproval(provider, signatoryUid)).split('.');
      const otherPayload = Buffer.from(JSON.stringify({ identity_provider_uid: provider.uid, signatory_uid: signatoryUid, iat: Math.floor(Date.now() / 1000), jti: 'forged' })).toString('base64url');

      const response = await postApproval(testApp, provider.uid, `${header}.${otherPayload}.${signature}`);

      expect(response.status).toBe(401);
      expect(problemCode(response.body)).toBe('approval_signature_invalid');
    });

    it('rejects a JWS signed with another key', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { key: otherKey }));

      expect(response.status).toBe(401);
      expect(problemCode(response.body)).toBe('approval_signature_invalid');
    });

    it('rejects algorithms other than ES256', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
      const unsignedHeader = Buffer.from(JSON.stringify({ alg: 'none', kid: provider.uid })).toString('base64url');
      const claims = Buffer.from(JSON.stringify({ identity_provider_uid: provider.uid, signatory_uid: signatoryUid, iat: Math.floor(Date.now() / 1000), jti: 'none' })).toString('base64url');

      const es384 = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { key: p384, header: { alg: 'ES384' } }));
      const none = await postApproval(testApp, provider.uid, `${unsignedHeader}.${claims}.AAAA`);

      expect(es384.status).toBe(401);
      expect(problemCode(es384.body)).toBe('approval_signature_invalid');
      expect(es384.body.detail).toBe('The JWS alg must be ES256.');
      expect(none.status).toBe(401);
      expect(problemCode(none.body)).toBe('approval_signature_invalid');
    });

    it('rejects a kid other than the provider uid', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const other = await createTestIdentityProvider(testApp);

      const wrongKid = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { header: { kid: other.uid } }));
      const noKid = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { header: { kid: undefined } }));

      expect(wrongKid.status).toBe(401);
      expect(problemCode(wrongKid.body)).toBe('approval_kid_mismatch');
      expect(noKid.status).toBe(401);
      expect(problemCode(noKid.body)).toBe('approval_kid_mismatch');
    });

    it('rejects an approval posted to another provider', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const other = await createTestIdentityProvider(testApp);

      const response = await postApproval(testApp, other.uid, await signApproval(provider, signatoryUid));

      expect(response.status).toBe(401);
      expect(problemCode(response.body)).toBe('approval_kid_mismatch');
    });

    it('rejects a signatory that names another provider', async () => {
      const other = await createTestIdentityProvider(testApp);
      const { signatoryUid } = await advancedSignatory(other);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid));

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('signatory_wrong_provider');
    });

    it('rejects a simple signatory', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatory.uid));

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('signatory_not_advanced');
    });

    it('rejects an approval older than 5 minutes', async () => {
      const { signatoryUid } = await advancedSignatory(provider);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { claims: { iat: Math.floor(Date.now() / 1000) - 301 } }));

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('approval_stale');
    });

    it('rejects an approval issued more than 30 seconds ahead', async () => {
      const { signatoryUid } = await advancedSignatory(provider);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid, { claims: { iat: Math.floor(Date.now() / 1000) + 90 } }));

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('approval_from_future');
    });

    it('rejects invalid claims with one message per claim', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const jws = await signApproval(provider, signatoryUid, { claims: { identity_provider_uid: undefined, jti: 42, verification: 'passport' } });

      const response = await postApproval(testApp, provider.uid, jws);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('approval_claims_invalid');
      expect(Object.keys(response.body.errors).sort()).toEqual(['identity_provider_uid', 'jti', 'verification']);
    });

    it('rejects a replayed jti', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const jws = await signApproval(provider, signatoryUid);

      const first = await postApproval(testApp, provider.uid, jws);
      const replay = await postApproval(testApp, provider.uid, jws);

      expect(first.status).toBe(201);
      expect(replay.status).toBe(409);
      expect(problemCode(replay.body)).toBe('approval_replayed');
    });

    it('accepts exactly one of ten concurrent copies', async () => {
      const { transactionUid, signatoryUid } = await advancedSignatory(provider);
      const jws = await signApproval(provider, signatoryUid);

      const responses = await Promise.all(Array.from({ length: 10 }, () => postApproval(testApp, provider.uid, jws)));

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
      for (const response of responses.filter((candidate) => candidate.status === 409)) {
        expect(problemCode(response.body)).toBe('approval_replayed');
      }
      const approvals = await databaseOf(testApp).count(IdentityApproval, { signatoryUid });
      expect(approvals).toBe(1);
      const events = await auditEventsOf(testApp, transactionUid);
      expect(events.filter((event) => event.type === 'identity.approved')).toHaveLength(1);
      const domainEvents = await domainEventsOf(testApp, transactionUid);
      expect(domainEvents.filter((event) => event.type === 'signatory.identified')).toHaveLength(1);
    });

    it('replays the first response for a retried Idempotency-Key', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      const jws = await signApproval(provider, signatoryUid);
      const send = () =>
        request(testApp.baseUrl, 'POST', `/api/v1/identity-providers/${provider.uid}/approvals`, {
          headers: { 'content-type': 'application/jose', 'idempotency-key': `approval-${signatoryUid}` },
          body: jws,
        });

      const first = await send();
      const retry = await send();

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    });

    it('rejects a second approval of an identified signatory', async () => {
      const { signatoryUid } = await advancedSignatory(provider);
      expectStatus(await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid)), 201);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid));

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('signatory_already_identified');
      expect(response.body.signatory_status).toBe('identified');
    });

    it('rejects approvals of a disabled provider', async () => {
      const disabled = await createTestIdentityProvider(testApp);
      const { signatoryUid } = await advancedSignatory(disabled);
      expectStatus(await admin('POST', `/${disabled.uid}/disable`), 200);

      const response = await postApproval(testApp, disabled.uid, await signApproval(disabled, signatoryUid));

      expect(response.status).toBe(401);
      expect(problemCode(response.body)).toBe('identity_provider_disabled');
    });

    it('returns 404 for an unknown provider or signatory', async () => {
      const unknownProvider = await postApproval(testApp, '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d', await signApproval(provider, '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d'));
      const unknownSignatory = await postApproval(testApp, provider.uid, await signApproval(provider, '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d'));

      expect(unknownProvider.status).toBe(404);
      expect(problemCode(unknownProvider.body)).toBe('identity_provider_not_found');
      expect(unknownSignatory.status).toBe(404);
      expect(problemCode(unknownSignatory.body)).toBe('signatory_not_found');
    });

    it('rejects signatories of a cancelled transaction', async () => {
      const { transactionUid, signatoryUid } = await advancedSignatory(provider);
      expectStatus(await api.patch(transactionUid, { status: 'cancel' }), 200);

      const response = await postApproval(testApp, provider.uid, await signApproval(provider, signatoryUid));

      expect(response.status).toBe(409);
      expect(problemCode(response.body)).toBe('transaction_cancelled');
    });

    it('accepts the documented Node.js and shell examples', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'secusign-approval-examples-'));
      try {
        // The Node example imports jose as a client project would, so it needs node_modules beside it.
        symlinkSync(resolve(__dirname, '..', 'node_modules'), join(directory, 'node_modules'), 'dir');
        writeFileSync(join(directory, 'idp.key'), provider.privateKey.export({ type: 'pkcs8', format: 'pem' }));
        writeFileSync(join(directory, 'approve.mjs'), NODE_APPROVAL_EXAMPLE);
        writeFileSync(join(directory, 'approve.sh'), SHELL_APPROVAL_EXAMPLE);
        const nodeSignatory = await advancedSignatory(provider);
        const shellSignatory = await advancedSignatory(provider);
        const environment = { ...process.env, SECUSIGN_URL: testApp.baseUrl, IDP_UID: provider.uid };

        const node = await run('node', ['approve.mjs'], { cwd: directory, env: { ...environment, SIGNATORY_UID: nodeSignatory.signatoryUid } });
        const shell = await run('bash', ['approve.sh'], { cwd: directory, env: { ...environment, SIGNATORY_UID: shellSignatory.signatoryUid } });

        expect(node.stdout).toMatch(/^201 /);
        expect(JSON.parse(shell.stdout)).toMatchObject({ signatory_uid: shellSignatory.signatoryUid, signatory_status: 'identified' });
        for (const { transactionUid, signatoryUid } of [nodeSignatory, shellSignatory]) {
          const signatory = expectStatus(await api.call('GET', `/transactions/${transactionUid}/signatories/${signatoryUid}`), 200);
          expect(signatory.status).toBe('identified');
        }
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('rejects bodies that are not a compact JWS', async () => {
      const notJws = await postApproval(testApp, provider.uid, 'hello');
      const json = await postApproval(testApp, provider.uid, '{"jws":"a.b.c"}', 'application/json');
      const tooLarge = await postApproval(testApp, provider.uid, 'a'.repeat(70 * 1024));

      expect(notJws.status).toBe(400);
      expect(problemCode(notJws.body)).toBe('approval_malformed');
      expect(json.status).toBe(415);
      expect(problemCode(json.body)).toBe('unsupported_media_type');
      expect(tooLarge.status).toBe(413);
      expect(problemCode(tooLarge.body)).toBe('payload_too_large');
    });

    it('rejects an oversized chunked body with 413', async () => {
      // A stream body has no Content-Length, so the cap is enforced while reading.
      const chunk = new TextEncoder().encode('a'.repeat(16 * 1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 8) {
            controller.close();

            return;
          }
          sent += 1;
          controller.enqueue(chunk);
        },
      });

      const response = await fetch(`${testApp.baseUrl}/api/v1/identity-providers/${provider.uid}/approvals`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body,
        duplex: 'half',
      } as RequestInit);

      expect(response.status).toBe(413);
      expect(problemCode((await response.json()) as { type?: string })).toBe('payload_too_large');
    });
  });
});
