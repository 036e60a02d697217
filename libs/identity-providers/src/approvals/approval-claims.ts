import { IdentityProviderError, IdentityProviderErrorCode } from '../identity-provider.errors';

/** Oldest accepted `iat`, in seconds before now. */
export const APPROVAL_MAX_AGE_SECONDS = 5 * 60;
/** Latest accepted `iat`, in seconds after now: room for the provider's clock running ahead. */
export const APPROVAL_MAX_CLOCK_SKEW_SECONDS = 30;
export const JTI_MAX_LENGTH = 200;
/** Largest `verification` object, measured as UTF-8 JSON. */
export const VERIFICATION_MAX_BYTES = 8 * 1024;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The checked claims of an approval. */
export interface ApprovalClaims {
  identityProviderUid: string;
  signatoryUid: string;
  issuedAt: Date;
  jti: string;
  /** The provider's description of its check (method, document type, time...), kept as sent. */
  verification: Record<string, unknown> | null;
}

/**
 * Parses and checks the payload of a verified approval. Field problems are reported together
 * as `approval_claims_invalid`; the time checks follow, once the claims are well formed.
 * Claims other than these are ignored, except `exp`, which is honored when present.
 */
export function parseApprovalClaims(payload: Uint8Array, providerUid: string, now: Date): ApprovalClaims {
  const claims = parseJsonObject(payload);
  const errors: Record<string, string[]> = {};
  const addError = (field: string, message: string) => (errors[field] ??= []).push(message);

  const identityProviderUid = claims.identity_provider_uid;
  if (typeof identityProviderUid !== 'string') {
    addError('identity_provider_uid', 'identity_provider_uid must be a string');
  } else if (identityProviderUid.toLowerCase() !== providerUid.toLowerCase()) {
    addError('identity_provider_uid', `identity_provider_uid must be ${providerUid}, the provider uid of the URL`);
  }

  const signatoryUid = claims.signatory_uid;
  if (typeof signatoryUid !== 'string' || !UUID_PATTERN.test(signatoryUid)) {
    addError('signatory_uid', 'signatory_uid must be a UUID');
  }

  const iat = claims.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < 0) {
    addError('iat', 'iat must be a NumericDate: seconds since 1970-01-01T00:00:00Z');
  }

  const jti = claims.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > JTI_MAX_LENGTH) {
    addError('jti', `jti must be a string of 1 to ${JTI_MAX_LENGTH} characters`);
  }

  const exp = claims.exp;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) {
    addError('exp', 'exp must be a NumericDate when present');
  }

  const verification = claims.verification;
  if (verification !== undefined && verification !== null) {
    if (typeof verification !== 'object' || Array.isArray(verification)) {
      addError('verification', 'verification must be a JSON object');
    } else if (Buffer.byteLength(JSON.stringify(verification), 'utf8') > VERIFICATION_MAX_BYTES) {
      addError('verification', `verification must be at most ${VERIFICATION_MAX_BYTES} bytes of JSON`);
    }
  }

  if (Object.keys(errors).length > 0) {
    throw new IdentityProviderError(IdentityProviderErrorCode.ApprovalClaimsInvalid, 'The approval\'s claims are invalid; see errors.', errors);
  }

  const issuedAtSeconds = iat as number;
  checkIssuedAt(issuedAtSeconds, typeof exp === 'number' ? exp : undefined, now);

  return {
    identityProviderUid: identityProviderUid as string,
    signatoryUid: (signatoryUid as string).toLowerCase(),
    issuedAt: new Date(issuedAtSeconds * 1000),
    jti: jti as string,
    verification: (verification as Record<string, unknown> | null | undefined) ?? null,
  };
}

function checkIssuedAt(iat: number, exp: number | undefined, now: Date): void {
  const nowSeconds = now.getTime() / 1000;

  if (iat < nowSeconds - APPROVAL_MAX_AGE_SECONDS) {
    throw new IdentityProviderError(
      IdentityProviderErrorCode.ApprovalStale,
      `The approval was issued ${Math.floor(nowSeconds - iat)} seconds ago; approvals are accepted for ${APPROVAL_MAX_AGE_SECONDS} seconds after iat. Sign a new one.`,
    );
  }
  if (exp !== undefined && exp <= nowSeconds) {
    throw new IdentityProviderError(IdentityProviderErrorCode.ApprovalStale, 'The approval expired (its exp claim has passed). Sign a new one.');
  }
  if (iat > nowSeconds + APPROVAL_MAX_CLOCK_SKEW_SECONDS) {
    throw new IdentityProviderError(
      IdentityProviderErrorCode.ApprovalFromFuture,
      `The approval's iat is ${Math.ceil(iat - nowSeconds)} seconds in the future; at most ${APPROVAL_MAX_CLOCK_SKEW_SECONDS} seconds are tolerated. Check the provider's clock.`,
    );
  }
}

function parseJsonObject(payload: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IdentityProviderError(IdentityProviderErrorCode.ApprovalClaimsInvalid, 'The JWS payload must be a JSON object of claims.', {
      payload: ['payload must be a JSON object'],
    });
  }

  return parsed as Record<string, unknown>;
}
