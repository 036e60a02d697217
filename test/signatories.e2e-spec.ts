import { Signatory } from '@secusign/signatories';
import { createTestClient } from './support/clients';
import { createTestIdentityProvider } from './support/identity-providers';
import { startTestApp, TestApp } from './support/test-app';
import { auditEventsOf, databaseOf, hashChainProblem, signatoryInput, TransactionsApi } from './support/transactions';
import { problemCode } from './support/assertions';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('signatories API', () => {
  let testApp: TestApp;
  let api: TransactionsApi;
  let identityProviderUid: string;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp));
    identityProviderUid = (await createTestIdentityProvider(testApp)).uid;
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('POST /transactions/{uid}/signatories', () => {
    it('creates a simple signatory, identified at once', async () => {
      const transaction = await api.create();
      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput() });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        transaction_uid: transaction.uid,
        firstname: 'John',
        lastname: 'Doo',
        email: 'john.doo@example.com',
        phone: '33651836133',
        language: 'FR',
        authentication: 'sms',
        signature_level: 'simple',
        identity_provider_uid: null,
        status: 'identified',
        identified_at: expect.stringMatching(TIMESTAMP),
        authenticated_at: null,
        signed_at: null,
        created_at: expect.stringMatching(TIMESTAMP),
        signatory_url: `${testApp.config.publicUrl}/${response.body.uid}/workflow/`,
      });

      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.map((event) => event.type)).toEqual(['transaction.created', 'signatory.added']);
      expect(events[1].data).toMatchObject({ signatory_uid: response.body.uid, position: 1, signature_level: 'simple' });
      expect(hashChainProblem(events)).toBeNull();
    });

    it('creates an advanced signatory waiting for its identity provider', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid, { signature_level: 'advanced', identity_provider_uid: identityProviderUid });

      expect(signatory.status).toBe('created');
      expect(signatory.identified_at).toBeNull();
      expect(signatory.identity_provider_uid).toBe(identityProviderUid);
    });

    it('keeps names in six scripts byte-exact', async () => {
      const transaction = await api.create();
      const names = [
        ['Zoë', 'Łukasiewicz'],
        ['Ἀλέξανδρος', 'Παπαδόπουλος'],
        ['Мария', 'Иванова'],
        ['דוד', 'לוי'],
        ['محمد', 'الأحمد'],
        ['小明', '王'],
      ];
      const extra = await api.create();

      for (const [index, [firstname, lastname]] of names.entries()) {
        const target = index < 4 ? transaction.uid : extra.uid;
        const created = await api.addSignatory(target, { firstname, lastname });
        const read = await api.call('GET', `/transactions/${target}/signatories/${created.uid}`);
        const stored = await databaseOf(testApp).findOneOrFail(Signatory, { uid: created.uid });

        expect(Buffer.from(created.firstname, 'utf8')).toEqual(Buffer.from(firstname, 'utf8'));
        expect(Buffer.from(created.lastname, 'utf8')).toEqual(Buffer.from(lastname, 'utf8'));
        expect(Buffer.from(read.body.lastname, 'utf8')).toEqual(Buffer.from(lastname, 'utf8'));
        expect(Buffer.from(stored.firstname, 'utf8')).toEqual(Buffer.from(firstname, 'utf8'));
        expect(Buffer.from(stored.lastname, 'utf8')).toEqual(Buffer.from(lastname, 'utf8'));
      }
    });

    it('accepts Hangul and emoji names', async () => {
      const transaction = await api.create();

      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput({ firstname: '김민준 😀', lastname: '👨\u200d👩\u200d👧' }) });

      expect(response.status).toBe(201);
    });

    it('rejects a name the certificate page cannot draw', async () => {
      const transaction = await api.create();

      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput({ firstname: 'สมชาย', lastname: '𝐀lice' }) });

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('name_not_renderable');
      expect(response.body.detail).toContain('firstname contains U+0E2A "ส", U+0E21 "ม", U+0E0A "ช", U+0E32 "า", U+0E22 "ย"');
      expect(response.body.detail).toContain('lastname contains U+1D400 "𝐀"');
      expect(response.body.detail).toContain('Korean (Hangul)');
      expect(response.body.unrenderable_characters).toEqual({ firstname: 'U+0E2A "ส", U+0E21 "ม", U+0E0A "ช", U+0E32 "า", U+0E22 "ย"', lastname: 'U+1D400 "𝐀"' });
      expect((await api.call('GET', `/transactions/${transaction.uid}/signatories`)).body.data).toHaveLength(0);
    });

    it('keeps surrounding spaces and decomposed accents as sent', async () => {
      const transaction = await api.create();
      const decomposed = 'Zoe\u0308';
      const signatory = await api.addSignatory(transaction.uid, { firstname: decomposed, lastname: ' Doo ' });

      expect(signatory.firstname).toBe(decomposed);
      expect(signatory.lastname).toBe(' Doo ');
    });

    it.each([
      [{ firstname: '' }, 'firstname', 'firstname must not be empty or only whitespace'],
      [{ firstname: '   ' }, 'firstname', 'firstname must not be empty or only whitespace'],
      [{ lastname: 'Doo\nEvil' }, 'lastname', 'lastname must not contain control characters'],
      [{ lastname: 'x'.repeat(101) }, 'lastname', 'lastname must be at most 100 characters long'],
      [{ email: 'not-an-email' }, 'email', 'email must be a valid email address'],
      [{ phone: '0651836133' }, 'phone', 'phone must be an E.164 number: 8 to 15 digits, not starting with 0, with or without a leading +'],
      [{ phone: '+33 6 51 83 61 33' }, 'phone', 'phone must be an E.164 number: 8 to 15 digits, not starting with 0, with or without a leading +'],
      [{ phone: '1234567' }, 'phone', 'phone must be an E.164 number: 8 to 15 digits, not starting with 0, with or without a leading +'],
      [{ language: 'NL' }, 'language', 'language must be one of FR, EN, DE, ES, IT'],
      [{ authentication: 'letter' }, 'authentication', 'authentication must be one of sms, email'],
      [{ signature_level: 'basic' }, 'signature_level', 'signature_level must be one of simple, advanced, qualified'],
      [{ signature_level: 'advanced' }, 'identity_provider_uid', 'identity_provider_uid is required for the advanced signature level'],
      [{ signature_level: 'advanced', identity_provider_uid: 'idp-1' }, 'identity_provider_uid', 'identity_provider_uid must be a UUID'],
      [
        { identity_provider_uid: '00000000-0000-4000-8000-000000000001' },
        'identity_provider_uid',
        'identity_provider_uid is only allowed for the advanced signature level; omit it or send null for the simple level',
      ],
    ])('rejects %j with a 400', async (overrides, field, message) => {
      const transaction = await api.create();
      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput(overrides) });

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.errors).toEqual({ [field]: [message] });
    });

    it('requires every contact field', async () => {
      const transaction = await api.create();
      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: {} });

      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors).sort()).toEqual(['authentication', 'email', 'firstname', 'language', 'lastname', 'phone']);
    });

    it('accepts every language in any case', async () => {
      const transaction = await api.create();
      const languages = ['fr', 'En', 'DE', 'eS'];
      for (const language of languages) {
        const signatory = await api.addSignatory(transaction.uid, { language });

        expect(signatory.language).toBe(language.toUpperCase());
      }
    });

    it('rejects the qualified level as not available yet', async () => {
      const transaction = await api.create();
      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput({ signature_level: 'qualified' }) });

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('signature_level_not_available');
      expect(response.body.detail).toContain('not available yet');
    });

    it('rejects a fifth signatory', async () => {
      const transaction = await api.create();
      for (let index = 0; index < 4; index += 1) {
        await api.addSignatory(transaction.uid);
      }
      const response = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput() });

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('too_many_signatories');
      const list = await api.call('GET', `/transactions/${transaction.uid}/signatories`);
      expect(list.body.data).toHaveLength(4);
    });

    it('answers 404 for an unknown transaction', async () => {
      const response = await api.call('POST', '/transactions/00000000-0000-4000-8000-000000000000/signatories', { json: signatoryInput() });

      expect(response.status).toBe(404);
      expect(problemCode(response.body)).toBe('not_found');
    });
  });

  describe('GET /transactions/{uid}/signatories', () => {
    it('pages through signatories in position order', async () => {
      const transaction = await api.create();
      const uids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        uids.push((await api.addSignatory(transaction.uid, { email: `s${index}@example.com` })).uid);
      }

      const first = await api.call('GET', `/transactions/${transaction.uid}/signatories?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.data.map((item: { uid: string }) => item.uid)).toEqual(uids.slice(0, 2));
      expect(first.body.next_cursor).toEqual(expect.any(String));

      const second = await api.call('GET', `/transactions/${transaction.uid}/signatories?limit=2&cursor=${first.body.next_cursor}`);
      expect(second.body.data.map((item: { uid: string }) => item.uid)).toEqual(uids.slice(2));
      expect(second.body.next_cursor).toBeNull();
    });

    it('rejects a malformed cursor', async () => {
      const transaction = await api.create();
      const response = await api.call('GET', `/transactions/${transaction.uid}/signatories?cursor=nope`);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('invalid_cursor');
    });
  });

  describe('GET /transactions/{uid}/signatories/{signatory_uid}', () => {
    it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])('answers 404 for %s', async (signatoryUid) => {
      const transaction = await api.create();
      const response = await api.call('GET', `/transactions/${transaction.uid}/signatories/${signatoryUid}`);

      expect(response.status).toBe(404);
      expect(problemCode(response.body)).toBe('not_found');
    });

    it('answers 404 for a signatory of another transaction of the same client', async () => {
      const first = await api.create();
      const second = await api.create();
      const signatory = await api.addSignatory(first.uid);

      const response = await api.call('GET', `/transactions/${second.uid}/signatories/${signatory.uid}`);

      expect(response.status).toBe(404);
    });
  });

  describe('PATCH /transactions/{uid}/signatories/{signatory_uid}', () => {
    it('changes fields and records what changed', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);

      const response = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/${signatory.uid}`, {
        json: { lastname: 'Doe', phone: '+4915112345678', language: 'de' },
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ firstname: 'John', lastname: 'Doe', phone: '4915112345678', language: 'DE', status: 'identified' });
      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.at(-1)?.type).toBe('signatory.updated');
      expect(events.at(-1)?.data).toEqual({ signatory_uid: signatory.uid, changes: { lastname: 'Doe', phone: '+49 1•• •• •• •6 78', language: 'DE' } });
    });

    it('rejects a changed name the certificate page cannot draw', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);

      const response = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/${signatory.uid}`, { json: { lastname: 'Doo \u{1F1EB}\u{10FFFD}' } });

      expect(response.status).toBe(422);
      expect(problemCode(response.body)).toBe('name_not_renderable');
      expect(response.body.detail).toContain('lastname contains U+10FFFD');
      const read = await api.call('GET', `/transactions/${transaction.uid}/signatories/${signatory.uid}`);
      expect(read.body.lastname).toBe('Doo');
    });

    it('validates the merged signatory when the level changes', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);
      const path = `/transactions/${transaction.uid}/signatories/${signatory.uid}`;

      const missingProvider = await api.call('PATCH', path, { json: { signature_level: 'advanced' } });
      expect(missingProvider.status).toBe(400);
      expect(missingProvider.body.errors).toEqual({ identity_provider_uid: ['identity_provider_uid is required for the advanced signature level'] });

      const advanced = await api.call('PATCH', path, { json: { signature_level: 'advanced', identity_provider_uid: identityProviderUid } });
      expect(advanced.status).toBe(200);
      expect(advanced.body).toMatchObject({ signature_level: 'advanced', status: 'created', identified_at: null });

      const clearProvider = await api.call('PATCH', path, { json: { identity_provider_uid: null } });
      expect(clearProvider.status).toBe(400);

      const simpleWithProvider = await api.call('PATCH', path, { json: { signature_level: 'simple', identity_provider_uid: identityProviderUid } });
      expect(simpleWithProvider.status).toBe(400);
      expect(Object.keys(simpleWithProvider.body.errors)).toEqual(['identity_provider_uid']);

      const simple = await api.call('PATCH', path, { json: { signature_level: 'simple' } });
      expect(simple.status).toBe(200);
      expect(simple.body.status).toBe('identified');
      expect(simple.body.identified_at).toMatch(TIMESTAMP);
      expect(simple.body.identity_provider_uid).toBeNull();

      const qualified = await api.call('PATCH', path, { json: { signature_level: 'qualified' } });
      expect(qualified.status).toBe(422);
      expect(problemCode(qualified.body)).toBe('signature_level_not_available');
    });

    it('rejects an identity provider on a simple signatory', async () => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);
      const path = `/transactions/${transaction.uid}/signatories/${signatory.uid}`;

      const response = await api.call('PATCH', path, { json: { identity_provider_uid: identityProviderUid } });

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.errors).toEqual({
        identity_provider_uid: ['identity_provider_uid is only allowed for the advanced signature level; omit it or send null for the simple level'],
      });
      const read = await api.call('GET', path);
      expect(read.body.identity_provider_uid).toBeNull();
    });

    it.each([{ firstname: null }, { email: null }, { firstname: '\t' }, { phone: 'abc' }])('rejects %j with a 400', async (body) => {
      const transaction = await api.create();
      const signatory = await api.addSignatory(transaction.uid);
      const response = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/${signatory.uid}`, { json: body });

      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toEqual(Object.keys(body));
    });

    it('answers 404 for an unknown signatory even after sending', async () => {
      const transaction = await api.createReady();
      await api.patch(transaction.uid, { status: 'sent' });
      const unknown = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/00000000-0000-4000-8000-000000000000`, { json: { lastname: 'X' } });
      const known = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/${transaction.uid}`, { json: { lastname: 'X' } });

      expect(unknown.status).toBe(404);
      expect(known.status).toBe(404);
    });

    it('rejects changes once the transaction is sent', async () => {
      const transaction = await api.createReady();
      const { body } = await api.call('GET', `/transactions/${transaction.uid}`);
      const signatoryUid = body.signatories[0].uid;
      await api.patch(transaction.uid, { status: 'sent' });

      const update = await api.call('PATCH', `/transactions/${transaction.uid}/signatories/${signatoryUid}`, { json: { lastname: 'Late' } });
      const removal = await api.call('DELETE', `/transactions/${transaction.uid}/signatories/${signatoryUid}`);

      expect(update.status).toBe(409);
      expect(problemCode(update.body)).toBe('transaction_not_editable');
      expect(removal.status).toBe(409);
      expect(problemCode(removal.body)).toBe('transaction_not_editable');
    });
  });

  describe('DELETE /transactions/{uid}/signatories/{signatory_uid}', () => {
    it('removes a signatory and closes the gap in positions', async () => {
      const transaction = await api.create();
      const signatories = [];
      for (let index = 0; index < 3; index += 1) {
        signatories.push(await api.addSignatory(transaction.uid, { email: `d${index}@example.com` }));
      }

      const response = await api.call('DELETE', `/transactions/${transaction.uid}/signatories/${signatories[0].uid}`);

      expect(response.status).toBe(204);
      expect((await api.call('GET', `/transactions/${transaction.uid}/signatories/${signatories[0].uid}`)).status).toBe(404);
      expect((await api.call('DELETE', `/transactions/${transaction.uid}/signatories/${signatories[0].uid}`)).status).toBe(404);
      const remaining = await databaseOf(testApp).find(Signatory, { transaction: transaction.uid, deletedAt: null }, { orderBy: { position: 'asc' } });
      expect(remaining.map((signatory) => [signatory.uid, signatory.position])).toEqual([
        [signatories[1].uid, 1],
        [signatories[2].uid, 2],
      ]);
      const events = await auditEventsOf(testApp, transaction.uid);
      expect(events.at(-1)?.type).toBe('signatory.removed');
      expect(hashChainProblem(events)).toBeNull();

      // The freed place can be taken again.
      await api.addSignatory(transaction.uid);
      await api.addSignatory(transaction.uid);
      const fifth = await api.call('POST', `/transactions/${transaction.uid}/signatories`, { json: signatoryInput() });
      expect(fifth.status).toBe(422);
    });
  });
});
