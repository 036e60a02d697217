import { createHash, X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { EvidenceSealKey } from '@secusign/evidence';
import { PkiService } from '@secusign/signature';

/**
 * The platform seal of the signature engine's PKI, the key that also seals the certificate
 * pages. Its JWK carries the certificate chain (`x5c`: seal, issuing CA, root CA), so a
 * verifier can pin the platform's root instead of a bare key.
 */
@Injectable()
export class PlatformEvidenceSealKey extends EvidenceSealKey {
  constructor(private readonly pki: PkiService) {
    super();
  }

  get alg(): string {
    // RS256 is RSASSA-PKCS1-v1_5 with SHA-256, what `signDigest` computes for RSA keys.
    return this.pki.sealSigner().keyType === 'rsa' ? 'RS256' : 'ES256';
  }

  async publicJwk(): Promise<JWK> {
    const chain = await this.pki.sealSigner().certificateChain();
    const jwk = new X509Certificate(chain[0]).publicKey.export({ format: 'jwk' }) as JWK;

    return { ...jwk, x5c: chain.map((certificate) => certificate.toString('base64')) };
  }

  async signJws(signingInput: Uint8Array): Promise<Uint8Array> {
    const signer = this.pki.sealSigner();
    if (signer.keyType !== 'rsa') {
      // NOTE: an EC seal would need its DER ECDSA signature converted to the JWS r || s form.
      throw new Error('Evidence sealing supports only an RSA platform seal key');
    }

    return signer.signDigest(createHash('sha256').update(signingInput).digest());
  }
}
