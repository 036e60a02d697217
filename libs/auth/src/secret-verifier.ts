import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hashSecret, randomToken, verifySecret } from './secrets';

/** How long a successful verification is reused, in milliseconds. */
const CACHE_TTL_MS = 60_000;
/** Entries kept at most; the oldest go first. */
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Verifies presented secrets against stored scrypt hashes, remembering recent successes so a
 * busy client does not pay one scrypt per request. The cache key covers the stored hash too,
 * so a new secret invalidates the entries of the old one. Failures are never cached.
 */
@Injectable()
export class SecretVerifier {
  private readonly verified = new Map<string, number>();
  private dummyHash?: Promise<string>;

  async verify(identifier: string, secret: string, storedHash: string): Promise<boolean> {
    const key = createHash('sha256').update(identifier).update('\0').update(secret).update('\0').update(storedHash).digest('base64');
    const expiresAt = this.verified.get(key);
    if (expiresAt !== undefined && expiresAt > Date.now()) {
      return true;
    }
    this.verified.delete(key);

    const valid = await verifySecret(secret, storedHash);
    if (valid) {
      this.remember(key);
    }

    return valid;
  }

  /**
   * Spends the work of one verification on a hash that matches nothing, for unknown identifiers,
   * so response times do not reveal which identifiers exist.
   */
  async verifyAgainstNothing(secret: string): Promise<void> {
    this.dummyHash ??= hashSecret(randomToken(32));
    await verifySecret(secret, await this.dummyHash);
  }

  private remember(key: string): void {
    if (this.verified.size >= CACHE_MAX_ENTRIES) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) {
        this.verified.delete(oldest);
      }
    }
    this.verified.set(key, Date.now() + CACHE_TTL_MS);
  }
}
