import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestClient } from './support/clients';
import { startTestApp, TestApp } from './support/test-app';
import { auditEventsOf, CORPUS_DIR, signatoryInput, TransactionsApi } from './support/transactions';

describe('tenancy', () => {
  let testApp: TestApp;
  let owner: TransactionsApi;
  let stranger: TransactionsApi;
  let transactionUid: string;
  let signatoryUid: string;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
    owner = new TransactionsApi(testApp, await createTestClient(testApp));
    stranger = new TransactionsApi(testApp, await createTestClient(testApp));
    const transaction = await owner.create({ name: 'Owned' });
    await owner.uploadDocument(transaction.uid);
    transactionUid = transaction.uid;
    signatoryUid = (await owner.addSignatory(transactionUid)).uid;
  });

  afterAll(async () => {
    await testApp.close();
  });

  function routes(): Array<[string, string, { json?: unknown; headers?: Record<string, string>; body?: BodyInit }]> {
    const transaction = `/transactions/${transactionUid}`;
    const signatory = `${transaction}/signatories/${signatoryUid}`;
    const pdf = readFileSync(resolve(CORPUS_DIR, 'plain-pdf14-openoffice.pdf'));

    return [
      ['GET', transaction, {}],
      ['PATCH', transaction, { json: { name: 'Stolen' } }],
      ['PATCH', transaction, { json: { status: 'sent' } }],
      ['PATCH', transaction, { json: { status: 'cancel' } }],
      ['DELETE', transaction, {}],
      ['PUT', `${transaction}/document`, { headers: { 'content-type': 'application/pdf' }, body: pdf }],
      ['GET', `${transaction}/document`, {}],
      ['GET', `${transaction}/document?version=original`, {}],
      ['POST', `${transaction}/signatories`, { json: signatoryInput() }],
      ['GET', `${transaction}/signatories`, {}],
      ['GET', signatory, {}],
      ['PATCH', signatory, { json: { lastname: 'Stolen' } }],
      ['DELETE', signatory, {}],
      ['GET', `${signatory}/document`, {}],
    ];
  }

  it('answers 404 to another client on every transaction and signatory route', async () => {
    const outcomes = [];
    for (const [method, path, options] of routes()) {
      const response = await stranger.call(method, path, options);
      outcomes.push({ method, path, status: response.status, type: response.body?.type });
    }

    expect(outcomes).toEqual(routes().map(([method, path]) => ({ method, path, status: 404, type: 'urn:secusign:problem:not_found' })));
  });

  it('leaves the owner\'s transaction untouched', async () => {
    const response = await owner.call('GET', `/transactions/${transactionUid}`);

    expect(response.status).toBe(200);
    expect(response.body.name).toBe('Owned');
    expect(response.body.status).toBe('created');
    expect(response.body.signatories.map((item: { uid: string; lastname: string }) => [item.uid, item.lastname])).toEqual([[signatoryUid, 'Doo']]);
    const events = await auditEventsOf(testApp, transactionUid);
    expect(events.map((event) => event.type)).toEqual(['transaction.created', 'document.uploaded', 'signatory.added']);
  });

  it('hides the transaction from another client\'s list', async () => {
    await stranger.create({ name: 'Theirs' });
    const response = await stranger.call('GET', '/transactions');

    expect(response.body.data.map((item: { name: string }) => item.name)).toEqual(['Theirs']);
  });

  it('answers 404 for a signatory reached through another client\'s transaction', async () => {
    const theirs = await stranger.create();
    const response = await stranger.call('GET', `/transactions/${theirs.uid}/signatories/${signatoryUid}`);

    expect(response.status).toBe(404);
  });
});
