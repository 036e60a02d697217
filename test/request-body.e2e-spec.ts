import { createTestClient } from './support/clients';
import { startTestApp, TestApp } from './support/test-app';
import { TransactionsApi } from './support/transactions';
import { problemCode } from './support/assertions';

/** Checks every parsed JSON body gets before validation: shape, nesting and storable text. */
describe('request body checks', () => {
  let testApp: TestApp;
  let api: TransactionsApi;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    api = new TransactionsApi(testApp, await createTestClient(testApp));
  });

  afterAll(async () => {
    await testApp.close();
  });

  function postRaw(body: string) {
    return api.call('POST', '/transactions', { headers: { 'content-type': 'application/json' }, body });
  }

  describe('unstorable characters', () => {
    it.each([
      ['NUL in name', { name: 'a\u0000b' }, 'name'],
      ['lone high surrogate', { name: '\ud800' }, 'name'],
      ['lone low surrogate', { name: 'x\udc00' }, 'name'],
      ['reversed surrogate pair', { name: '\udc00\ud800' }, 'name'],
      ['NUL in webhook_url', { webhook_url: 'https://client.example/\u0000hook' }, 'webhook_url'],
    ])('POST rejects %s', async (_case, body, field) => {
      const response = await api.call('POST', '/transactions', { json: body });

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(Object.keys(response.body.errors)).toEqual([field]);
    });

    it('reports the path of a nested value', async () => {
      const response = await api.call('POST', '/transactions', { json: { name: 'x', extra: { list: ['ok', 'bad\u0000'] } } });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ 'extra.list.1': [expect.stringContaining('NUL')] });
    });

    it('reports a key with NUL escaped', async () => {
      const response = await api.call('POST', '/transactions', { json: { 'na\u0000me': 'x' } });

      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toEqual(['na\\u0000me']);
      expect(response.body.errors['na\\u0000me'][0]).toContain('field name');
    });

    it('accepts characters outside the BMP', async () => {
      const transaction = await api.create({ name: 'Contrat 📄 𝒜' });

      expect(transaction.name).toBe('Contrat 📄 𝒜');
    });

    it('PATCH rejects NUL in name', async () => {
      const transaction = await api.create({ name: 'Before' });

      const response = await api.patch(transaction.uid, { name: 'a\u0000b' });

      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toEqual(['name']);
    });

    it('multipart create rejects NUL in name', async () => {
      const form = new FormData();
      form.append('name', 'a\u0000b');

      const response = await api.call('POST', '/transactions', { body: form });

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(Object.keys(response.body.errors)).toEqual(['name']);
    });
  });

  describe('nesting', () => {
    it('rejects 100 000 nested arrays with a 400', async () => {
      const response = await postRaw(`{"name":"x","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(Object.values(response.body.errors).flat()).toEqual(['is nested deeper than 32 levels of objects and arrays']);
    });

    it('rejects 33 levels of objects', async () => {
      const response = await postRaw(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
    });

    it('passes 32 levels on to validation', async () => {
      const response = await postRaw(`{"a":${'['.repeat(31)}${']'.repeat(31)}}`);

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ a: ['property a should not exist'] });
    });
  });

  describe('body shape', () => {
    it.each(['null', '"a string"', '42', '[{"name":"x"}]'])('rejects %s as not an object', async (body) => {
      const response = await postRaw(body);

      expect(response.status).toBe(400);
      expect(problemCode(response.body)).toBe('validation_failed');
      expect(response.body.detail).toBe('The request body must be a JSON object.');
    });

    it('still creates from an empty JSON body', async () => {
      const response = await postRaw('');

      expect(response.status).toBe(201);
    });
  });
});
