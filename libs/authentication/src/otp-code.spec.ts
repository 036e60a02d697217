import { deriveOtpKey, generateOtpCode, hashOtpCode, otpCodeMatches } from './otp-code';

describe('otp codes', () => {
  const key = deriveOtpKey('a-master-key-of-at-least-thirty-two-characters');
  const tokenUid = '0b8e1f2e-7d0a-4f57-9c56-3f1c1b9e2a11';

  it('draws six digits', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(generateOtpCode()).toMatch(/^\d{6}$/);
    }
  });

  it('hashes without the code in clear', () => {
    const hash = hashOtpCode(key, tokenUid, '123456');

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('123456');
  });

  it('matches the right code only', () => {
    const hash = hashOtpCode(key, tokenUid, '042917');

    expect(otpCodeMatches(key, tokenUid, '042917', hash)).toBe(true);
    expect(otpCodeMatches(key, tokenUid, '042918', hash)).toBe(false);
  });

  it('binds the hash to its token', () => {
    const hash = hashOtpCode(key, tokenUid, '042917');

    expect(otpCodeMatches(key, '6a0a40c4-5b8e-4c1e-8f5e-9d7f0b1c2d3e', '042917', hash)).toBe(false);
  });

  it('depends on the master key', () => {
    const otherKey = deriveOtpKey('another-master-key-of-at-least-thirty-two-chars');

    expect(hashOtpCode(otherKey, tokenUid, '042917')).not.toBe(hashOtpCode(key, tokenUid, '042917'));
  });
});
