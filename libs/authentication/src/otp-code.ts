import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

export const OTP_CODE_LENGTH = 6;

/** Draws a 6-digit code, zero-padded, from the operating system's CSPRNG. */
export function generateOtpCode(): string {
  return randomInt(0, 10 ** OTP_CODE_LENGTH).toString().padStart(OTP_CODE_LENGTH, '0');
}

/** Derives the HMAC key of code hashes from the master key, apart from every other use of it. */
export function deriveOtpKey(masterKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'secusign/otp-code-hmac/v1', 32));
}

/**
 * HMAC-SHA256 of the code bound to its token, hex encoded. Binding the token uid means a
 * hash copied to another token does not verify there. A 6-digit code has only a million
 * values, so the secret key, not the hash, is what keeps a leaked table from revealing codes.
 */
export function hashOtpCode(key: Buffer, tokenUid: string, code: string): string {
  return createHmac('sha256', key).update(`${tokenUid}:${code}`).digest('hex');
}

/** Compares a submitted code with the stored hash in constant time. */
export function otpCodeMatches(key: Buffer, tokenUid: string, code: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashOtpCode(key, tokenUid, code), 'hex');

  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
