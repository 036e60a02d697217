import { IdentityProviderError, IdentityProviderErrorCode } from '../identity-provider.errors';
import { APPROVAL_MAX_AGE_SECONDS, APPROVAL_MAX_CLOCK_SKEW_SECONDS, parseApprovalClaims, VERIFICATION_MAX_BYTES } from './approval-claims';

const PROVIDER_UID = '0f5c1c7e-3a1e-4f0e-9b8a-2d6f5a7c9e11';
const SIGNATORY_UID = '8a6ff96d-196f-40a4-80af-abe4f61f743b';
const NOW = new Date('2024-01-27T08:45:54.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;

function payloadOf(claims: Record<string, unknown>): Uint8Array {
  return Buffer.from(JSON.stringify(claims), 'utf8');
}

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { identity_provider_uid: PROVIDER_UID, signatory_uid: SIGNATORY_UID, iat: NOW_SECONDS - 10, jti: 'approval-1', ...overrides };
}

function errorOf(claims: Record<string, unknown> | string): IdentityProviderError {
  const payload = typeof claims === 'string' ? Buffer.from(claims, 'utf8') : payloadOf(claims);
  try {
    parseApprovalClaims(payload, PROVIDER_UID, NOW);
  } catch (error) {
    if (error instanceof IdentityProviderError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the claims to be rejected');
}

describe(parseApprovalClaims.name, () => {
  it('returns the checked claims', () => {
    const verification = { method: 'identity_document', document_type: 'passport', checked_at: '2024-01-27T08:40:00Z' };
    const claims = parseApprovalClaims(payloadOf(validClaims({ verification })), PROVIDER_UID, NOW);

    expect(claims.identityProviderUid).toBe(PROVIDER_UID);
    expect(claims.signatoryUid).toBe(SIGNATORY_UID);
    expect(claims.jti).toBe('approval-1');
    expect(claims.issuedAt.toISOString()).toBe('2024-01-27T08:45:44.000Z');
    expect(claims.verification).toEqual(verification);
  });

  it('accepts a missing verification as null', () => {
    expect(parseApprovalClaims(payloadOf(validClaims()), PROVIDER_UID, NOW).verification).toBeNull();
  });

  it('rejects a payload that is not a JSON object', () => {
    for (const payload of ['not json', '[1, 2]', 'null', '"text"']) {
      const error = errorOf(payload);
      expect(error.code).toBe(IdentityProviderErrorCode.ApprovalClaimsInvalid);
      expect(error.status).toBe(400);
    }
  });

  it('reports every invalid claim at once', () => {
    const error = errorOf({ identity_provider_uid: 7, signatory_uid: 'nope', iat: 'yesterday', jti: '', verification: [1] });

    expect(error.code).toBe(IdentityProviderErrorCode.ApprovalClaimsInvalid);
    expect(Object.keys(error.errors ?? {}).sort()).toEqual(['iat', 'identity_provider_uid', 'jti', 'signatory_uid', 'verification']);
  });

  it('rejects a claim naming another provider', () => {
    const error = errorOf(validClaims({ identity_provider_uid: '11111111-1111-4111-8111-111111111111' }));

    expect(error.code).toBe(IdentityProviderErrorCode.ApprovalClaimsInvalid);
    expect(error.errors?.identity_provider_uid?.[0]).toContain(PROVIDER_UID);
  });

  it('rejects a verification object over the size cap', () => {
    const error = errorOf(validClaims({ verification: { notes: 'x'.repeat(VERIFICATION_MAX_BYTES) } }));

    expect(error.errors?.verification).toEqual([`verification must be at most ${VERIFICATION_MAX_BYTES} bytes of JSON`]);
  });

  it('rejects an iat older than the maximum age as stale', () => {
    const error = errorOf(validClaims({ iat: NOW_SECONDS - APPROVAL_MAX_AGE_SECONDS - 1 }));

    expect(error.code).toBe(IdentityProviderErrorCode.ApprovalStale);
    expect(error.status).toBe(409);
  });

  it('accepts an iat exactly at the maximum age', () => {
    expect(() => parseApprovalClaims(payloadOf(validClaims({ iat: NOW_SECONDS - APPROVAL_MAX_AGE_SECONDS })), PROVIDER_UID, NOW)).not.toThrow();
  });

  it('rejects an iat beyond the clock skew as from the future', () => {
    const error = errorOf(validClaims({ iat: NOW_SECONDS + APPROVAL_MAX_CLOCK_SKEW_SECONDS + 1 }));

    expect(error.code).toBe(IdentityProviderErrorCode.ApprovalFromFuture);
    expect(error.status).toBe(400);
  });

  it('accepts an iat within the clock skew', () => {
    expect(() => parseApprovalClaims(payloadOf(validClaims({ iat: NOW_SECONDS + APPROVAL_MAX_CLOCK_SKEW_SECONDS })), PROVIDER_UID, NOW)).not.toThrow();
  });

  it('rejects a passed exp as stale', () => {
    expect(errorOf(validClaims({ exp: NOW_SECONDS - 1 })).code).toBe(IdentityProviderErrorCode.ApprovalStale);
  });
});
