import { CompactSign, compactVerify, importJWK, type JWK, type KeyLike } from 'jose';
import { canonicalJson } from '../canonical-json';
import type { EvidenceContent, EvidenceSeal } from './evidence-content';

/**
 * Key that seals evidence files. An abstract class so it serves as the Nest injection token;
 * the platform seal of the signature engine's PKI can replace the local key by providing
 * another implementation.
 */
export abstract class EvidenceSealKey {
  /** JWS algorithm, such as ES256. */
  abstract readonly alg: string;
  abstract readonly kid: string;
  abstract publicJwk(): Promise<JWK>;
  abstract privateKey(): Promise<KeyLike>;
}

/** The bytes a seal signs: the canonical JSON of the content without `seal`. */
export function sealedBytes(content: EvidenceContent): Uint8Array {
  const { seal: _seal, ...rest } = content as EvidenceContent & { seal?: unknown };

  return new TextEncoder().encode(canonicalJson(rest));
}

/** Seals `content` with a detached compact JWS. */
export async function sealEvidence(content: EvidenceContent, key: EvidenceSealKey): Promise<EvidenceSeal> {
  // Both awaits come first: a key may learn its `kid` only once loaded.
  const privateKey = await key.privateKey();
  const jwk = await key.publicJwk();
  const jws = await new CompactSign(sealedBytes(content)).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'secusign-evidence+jws' }).sign(privateKey);
  const [protectedHeader, , signature] = jws.split('.');

  return { alg: key.alg, kid: key.kid, jwk: { ...jwk }, signature: `${protectedHeader}..${signature}` };
}

/**
 * Verifies `seal` over `content` with `jwk`; returns null when valid, or why it is not.
 * Never throws for a bad seal.
 */
export async function checkSeal(content: EvidenceContent, seal: EvidenceSeal, jwk: JWK): Promise<string | null> {
  const parts = seal.signature.split('.');
  if (parts.length !== 3 || parts[1] !== '') {
    return 'seal.signature is not a detached compact JWS (<header>..<signature>)';
  }
  let key: KeyLike | Uint8Array;
  try {
    key = await importJWK(jwk, seal.alg);
  } catch (error) {
    return `seal key cannot be imported: ${(error as Error).message}`;
  }
  const payload = Buffer.from(sealedBytes(content)).toString('base64url');
  try {
    await compactVerify(`${parts[0]}.${payload}.${parts[2]}`, key, { algorithms: [seal.alg] });
  } catch {
    return 'seal signature does not match the content: the file was changed after sealing or signed by another key';
  }

  return null;
}
