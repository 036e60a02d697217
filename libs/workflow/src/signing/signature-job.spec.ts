import { parseSignatureApplyPayload, signatureJobOptions } from './signature-job';

const payload = {
  transactionUid: '5c7955f7-fe96-48c7-bff3-d621f7482b8b',
  signatoryUid: '8a6ff96d-196f-40a4-80af-abe4f61f743b',
  tokenUid: '0b8e1f2e-7d0a-4f57-9c56-3f1c1b9e2a11',
};

describe('parseSignatureApplyPayload', () => {
  it('returns the three uids', () => {
    expect(parseSignatureApplyPayload({ ...payload, extra: 1 })).toEqual(payload);
  });

  it.each([null, {}, { ...payload, tokenUid: 'nope' }, { ...payload, signatoryUid: 42 }])('rejects %j', (data) => {
    expect(() => parseSignatureApplyPayload(data)).toThrow(/Invalid signature\.apply payload/);
  });

  it('names every invalid field', () => {
    expect(() => parseSignatureApplyPayload({ transactionUid: payload.transactionUid })).toThrow('signatoryUid, tokenUid must be UUIDs');
  });
});

describe('signatureJobOptions', () => {
  it('collapses jobs of one signatory and retries with backoff', () => {
    expect(signatureJobOptions(payload.signatoryUid)).toMatchObject({
      jobId: payload.signatoryUid,
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  });
});
