import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors as joseErrors, type ProtectedHeaderParameters } from 'jose';
import type { IdentityProvider } from '../identity-provider.entity';
import { IdentityProviderError, IdentityProviderErrorCode } from '../identity-provider.errors';

/** The only algorithm accepted, pinned so a token cannot choose a weaker one (or `none`). */
export const APPROVAL_ALGORITHM = 'ES256';

/** Three base64url segments; the payload may be empty only in detached form, which approvals do not use. */
const COMPACT_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies an approval's compact JWS against the provider's stored key and returns its payload.
 * The header `kid` must be the provider's uid. It is checked before the signature, so an
 * approval meant for another provider is reported as such.
 */
export async function verifyApprovalSignature(jws: string, provider: IdentityProvider): Promise<Uint8Array> {
  if (!COMPACT_JWS_PATTERN.test(jws)) {
    throw new IdentityProviderError(
      IdentityProviderErrorCode.ApprovalMalformed,
      'The body is not a compact JWS: expected three base64url segments separated by dots.',
    );
  }
  const header = decodeHeader(jws);
  if (typeof header.kid !== 'string' || header.kid.toLowerCase() !== provider.uid.toLowerCase()) {
    throw new IdentityProviderError(
      IdentityProviderErrorCode.ApprovalKidMismatch,
      `The JWS header kid must be ${provider.uid}, the provider uid of the URL; it is ${typeof header.kid === 'string' ? `"${header.kid}"` : 'missing'}.`,
    );
  }

  try {
    const { payload } = await compactVerify(jws, createPublicKey(provider.publicKey), { algorithms: [APPROVAL_ALGORITHM] });

    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) {
      throw signatureError(error);
    }
    throw error;
  }
}

function decodeHeader(jws: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    throw new IdentityProviderError(IdentityProviderErrorCode.ApprovalMalformed, 'The JWS protected header is not base64url-encoded JSON.');
  }
}

function signatureError(error: InstanceType<typeof joseErrors.JOSEError>): IdentityProviderError {
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new IdentityProviderError(IdentityProviderErrorCode.ApprovalSignatureInvalid, `The JWS alg must be ${APPROVAL_ALGORITHM}.`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new IdentityProviderError(
      IdentityProviderErrorCode.ApprovalSignatureInvalid,
      'The JWS signature does not verify with the provider\'s registered public key. ES256 signatures are the raw 64-byte r||s, not DER.',
    );
  }

  return new IdentityProviderError(IdentityProviderErrorCode.ApprovalSignatureInvalid, `The JWS was rejected: ${error.message}`);
}
