import { calculateJwkThumbprint, compactVerify, importJWK, type JWK, type KeyLike } from 'jose';
import { canonicalJson } from '../canonical-json';
import type { EvidenceContent, EvidenceSeal } from './evidence-content';

/**
 * Key that seals evidence files. It is an abstract class so that it serves as the Nest
 * injection token. The evidence export module binds it to the platform seal of the PKI.
 */
export abstract class EvidenceSealKey {
  /** JWS algorithm of `signJws`, such as RS256 or ES256. */
  abstract readonly alg: string;
  /** Public key, with its certificate chain in `x5c` when there is one. */
  abstract publicJwk(): Promise<JWK>;
  /** Signs a JWS signing input (RFC 7515, section 5.1) and returns the raw JWS signature. */
  abstract signJws(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** Returns the bytes a seal signs: the canonical JSON of the content without `seal`. */
export function sealedBytes(content: EvidenceContent): Uint8Array {
  const { seal: _seal, ...rest } = content as EvidenceContent & { seal?: unknown };

  return new TextEncoder().encode(canonicalJson(rest));
}

/** Seals `content` with a detached compact JWS whose `kid` is the key's RFC 7638 thumbprint. */
export async function sealEvidence(content: EvidenceContent, key: EvidenceSealKey): Promise<EvidenceSeal> {
  const jwk = await key.publicJwk();
  const kid = await calculateJwkThumbprint(jwk);
  const header = base64url(JSON.stringify({ alg: key.alg, kid, typ: 'secusign-evidence+jws' }));
  const signingInput = `${header}.${base64url(sealedBytes(content))}`;
  const signature = await key.signJws(new TextEncoder().encode(signingInput));

  return { alg: key.alg, kid, jwk: { ...jwk }, signature: `${header}..${base64url(signature)}` };
}

function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * Verifies `seal` over `content` with `jwk`. Returns null when it is valid, otherwise the reason,
 * so a malformed seal or key is reported rather than thrown.
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
