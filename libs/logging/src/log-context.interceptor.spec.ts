import { logContextOf } from './log-context.interceptor';

const UID = '5c7955f7-fe96-48c7-bff3-d621f7482b8b';
const SIGNATORY_UID = '8a6ff96d-196f-40a4-80af-abe4f61f743b';

describe('logContextOf', () => {
  it.each([
    [`/api/v1/transactions/${UID}`, { uid: UID }, { transaction_uid: UID }],
    [`/api/v1/transactions/${UID}/signatories/${SIGNATORY_UID}`, { uid: UID, signatoryUid: SIGNATORY_UID }, { transaction_uid: UID, signatory_uid: SIGNATORY_UID }],
    [`/api/v1/admin/clients/${UID}`, { uid: UID }, { client_uid: UID }],
    [`/api/v1/admin/identity-providers/${UID}`, { uid: UID }, { identity_provider_uid: UID }],
    [`/api/v1/identity-providers/${UID}/approvals`, { identityProviderUid: UID }, { identity_provider_uid: UID }],
    [`/api/v1/workflow/${SIGNATORY_UID}/otp`, { signatoryUid: SIGNATORY_UID }, { signatory_uid: SIGNATORY_UID }],
    [`/${SIGNATORY_UID}/workflow/`, { signatoryUid: SIGNATORY_UID }, { signatory_uid: SIGNATORY_UID }],
  ])('names the uids of %s', (originalUrl, params, expected) => {
    expect(logContextOf({ originalUrl, params })).toEqual(expected);
  });

  it('ignores a uid on an unknown prefix', () => {
    expect(logContextOf({ originalUrl: `/api/v1/downloads/${UID}`, params: { uid: UID } })).toEqual({});
  });
});
