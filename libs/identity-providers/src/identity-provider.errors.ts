import { DomainError } from '@secusign/errors';

/** Stable codes of the identity-provider errors; each is the last segment of a problem `type`. */
export enum IdentityProviderErrorCode {
  /** No provider has the uid in the path (admin routes and approvals). */
  NotFound = 'identity_provider_not_found',
  /** The provider was disabled by an administrator, so its approvals are no longer accepted. */
  Disabled = 'identity_provider_disabled',
  /** A signatory names a provider that does not exist or is disabled. */
  NotAssignable = 'identity_provider_not_assignable',
  /** The body is not a compact JWS. */
  ApprovalMalformed = 'approval_malformed',
  /** The JWS is not ES256 or its signature does not verify with the provider's key. */
  ApprovalSignatureInvalid = 'approval_signature_invalid',
  /** The JWS header `kid` is not the provider uid of the path. */
  ApprovalKidMismatch = 'approval_kid_mismatch',
  /** A claim is missing, of the wrong type, or names another provider. */
  ApprovalClaimsInvalid = 'approval_claims_invalid',
  /** `iat` is more than 5 minutes in the past. */
  ApprovalStale = 'approval_stale',
  /** `iat` is more than 30 seconds in the future. */
  ApprovalFromFuture = 'approval_from_future',
  /** The provider already sent an approval with this `jti`. */
  ApprovalReplayed = 'approval_replayed',
  SignatoryNotFound = 'signatory_not_found',
  /** The signatory signs at the `simple` level, which needs no identity provider. */
  SignatoryNotAdvanced = 'signatory_not_advanced',
  /** The signatory names another identity provider. */
  SignatoryWrongProvider = 'signatory_wrong_provider',
  SignatoryAlreadyIdentified = 'signatory_already_identified',
  TransactionCancelled = 'transaction_cancelled',
  TransactionCompleted = 'transaction_completed',
}

const STATUS_OF_CODE: Record<IdentityProviderErrorCode, number> = {
  [IdentityProviderErrorCode.NotFound]: 404,
  [IdentityProviderErrorCode.Disabled]: 401,
  [IdentityProviderErrorCode.NotAssignable]: 422,
  [IdentityProviderErrorCode.ApprovalMalformed]: 400,
  [IdentityProviderErrorCode.ApprovalSignatureInvalid]: 401,
  [IdentityProviderErrorCode.ApprovalKidMismatch]: 401,
  [IdentityProviderErrorCode.ApprovalClaimsInvalid]: 400,
  [IdentityProviderErrorCode.ApprovalStale]: 409,
  [IdentityProviderErrorCode.ApprovalFromFuture]: 400,
  [IdentityProviderErrorCode.ApprovalReplayed]: 409,
  [IdentityProviderErrorCode.SignatoryNotFound]: 404,
  [IdentityProviderErrorCode.SignatoryNotAdvanced]: 422,
  [IdentityProviderErrorCode.SignatoryWrongProvider]: 422,
  [IdentityProviderErrorCode.SignatoryAlreadyIdentified]: 409,
  [IdentityProviderErrorCode.TransactionCancelled]: 409,
  [IdentityProviderErrorCode.TransactionCompleted]: 409,
};

export class IdentityProviderError extends DomainError {
  readonly status: number;

  constructor(code: IdentityProviderErrorCode, message: string, errors?: Record<string, string[]>, extensions?: Record<string, unknown>) {
    super(code, message, errors, extensions);
    this.status = STATUS_OF_CODE[code];
  }

  static notFound(uid: string): IdentityProviderError {
    return new IdentityProviderError(IdentityProviderErrorCode.NotFound, `Identity provider ${uid} was not found.`);
  }

  static disabled(uid: string): IdentityProviderError {
    return new IdentityProviderError(IdentityProviderErrorCode.Disabled, `Identity provider ${uid} is disabled; its approvals are rejected.`);
  }

  static notAssignable(uid: string, reason: 'not_found' | 'disabled'): IdentityProviderError {
    const detail = reason === 'not_found' ? `No identity provider has uid ${uid}` : `Identity provider ${uid} is disabled`;

    return new IdentityProviderError(IdentityProviderErrorCode.NotAssignable, `${detail}; set identity_provider_uid to an active provider.`, undefined, { reason });
  }
}
