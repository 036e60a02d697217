import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/** Largest accepted `public_key`; a P-256 SPKI PEM is about 180 characters. */
export const PUBLIC_KEY_MAX_LENGTH = 4096;

const SPKI_PEM_PATTERN = /^\s*-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

/** Node's name for the NIST P-256 curve (secp256r1), the only curve ES256 allows. */
const P256_CURVE = 'prime256v1';

export interface ProviderKeyPair {
  publicKey: KeyObject;
  /** PEM PKCS#8, unencrypted: returned once to the administrator and never stored. */
  privateKeyPem: string;
}

export function generateProviderKeyPair(): ProviderKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: P256_CURVE });

  return { publicKey, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * Parses a provider's own public key: exactly one PEM `PUBLIC KEY` block (SubjectPublicKeyInfo)
 * holding a P-256 key. Returns the message to show on `public_key` when it is not one.
 */
export function parseProviderPublicKey(pem: string): { key: KeyObject } | { error: string } {
  // The label check matters: createPublicKey also accepts a private key PEM and derives its public half.
  if (!SPKI_PEM_PATTERN.test(pem)) {
    return { error: 'public_key must be one PEM block "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo)' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return { error: 'public_key is not a valid PEM public key' };
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256_CURVE) {
    const found = key.asymmetricKeyType === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}` : `a ${key.asymmetricKeyType ?? 'unknown'} key`;

    return { error: `public_key must be a P-256 (prime256v1) EC key for ES256, not ${found}` };
  }

  return { key };
}

/** Re-encodes a public key as PEM SubjectPublicKeyInfo, so every stored key has one form. */
export function publicKeyToPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key. */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  // RFC 7638 section 3.2: the required members in lexicographic order, no whitespace.
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });

  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
