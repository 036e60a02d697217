import type { DigestSigner } from '@secusign/signature';

/**
 * Wraps the signer of a key generated for one signature: the first `signDigest` is the only
 * one, and afterwards the wrapper holds no reference to the key, so the key is unreachable
 * once the caller drops the signer.
 *
 * NOTE: Node's `KeyObject` cannot be zeroed. The key material stays in memory until garbage
 * collection frees it; it is never written to disk or to the database.
 */
export class SingleUseDigestSigner implements DigestSigner {
  readonly keyType: 'rsa' | 'ec';
  private inner: DigestSigner | null;
  private readonly chain: Buffer[];

  constructor(inner: DigestSigner, chain: Buffer[]) {
    this.inner = inner;
    this.keyType = inner.keyType;
    this.chain = chain;
  }

  async certificateChain(): Promise<Buffer[]> {
    return this.chain;
  }

  async signDigest(digest: Buffer): Promise<Buffer> {
    const inner = this.inner;
    if (!inner) {
      throw new Error('This signatory key was issued for one signature and has already signed.');
    }
    this.inner = null;

    return inner.signDigest(digest);
  }
}
