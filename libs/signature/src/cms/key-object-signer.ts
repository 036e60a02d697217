import { constants, KeyObject, privateEncrypt } from 'crypto';
import { DigestSigner } from '../signature-engine.types';

/** DER prefix of a DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * `DigestSigner` backed by an in-memory node crypto RSA key.
 *
 * NOTE: only RSA keys are supported. Node's crypto API signs a precomputed digest only through
 * RSA `privateEncrypt`, because `crypto.sign` with an EC key hashes its input again.
 */
export class KeyObjectDigestSigner implements DigestSigner {
  readonly keyType = 'rsa' as const;

  constructor(
    private readonly privateKey: KeyObject,
    private readonly chain: Buffer[],
  ) {
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new Error(`KeyObjectDigestSigner supports RSA keys only, got ${privateKey.asymmetricKeyType}`);
    }
  }

  async certificateChain(): Promise<Buffer[]> {
    return this.chain;
  }

  async signDigest(digest: Buffer): Promise<Buffer> {
    if (digest.length !== 32) throw new Error(`Expected a 32-byte SHA-256 digest, got ${digest.length} bytes`);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
    return privateEncrypt({ key: this.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }
}
