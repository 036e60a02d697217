import { scryptSync } from 'node:crypto';
import { constantTimeEqual, decryptSecret, encryptSecret, hashSecret, randomToken, verifySecret } from './secrets';

const MASTER_KEY = 'unit-test-master-key-with-at-least-32-characters';

describe('hashSecret and verifySecret', () => {
  it('writes a self-describing scrypt PHC string', async () => {
    const hash = await hashSecret('correct horse');

    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(hash).not.toContain('correct horse');
  });

  it('uses a random salt per hash', async () => {
    const first = await hashSecret('same secret');
    const second = await hashSecret('same secret');

    expect(first).not.toBe(second);
  });

  it('accepts the right secret', async () => {
    const hash = await hashSecret('s3cret:with:colons');

    await expect(verifySecret('s3cret:with:colons', hash)).resolves.toBe(true);
  });

  it('rejects a wrong secret', async () => {
    const hash = await hashSecret('s3cret');

    await expect(verifySecret('s3creT', hash)).resolves.toBe(false);
    await expect(verifySecret('', hash)).resolves.toBe(false);
  });

  it('verifies hashes written with other parameters', async () => {
    // ln=10 is below the default cost: the parameters stored in the hash win over the defaults.
    const salt = Buffer.from('saltsaltsaltsalt');
    const derived = scryptSync('older secret', salt, 32, { N: 1024, r: 8, p: 1 });
    const older = `$scrypt$ln=10,r=8,p=1$${salt.toString('base64').replace(/=+$/, '')}$${derived.toString('base64').replace(/=+$/, '')}`;

    await expect(verifySecret('older secret', older)).resolves.toBe(true);
    await expect(verifySecret('other secret', older)).resolves.toBe(false);
  });

  it('throws on a malformed stored hash', async () => {
    await expect(verifySecret('s3cret', 'plaintext')).rejects.toThrow('not a $scrypt$ PHC string');
  });

  it('throws on an excessive stored cost', async () => {
    await expect(verifySecret('s3cret', '$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaA')).rejects.toThrow('unsupported scrypt parameters');
  });
});

describe('encryptSecret and decryptSecret', () => {
  it('round-trips a secret', () => {
    const encrypted = encryptSecret('whsec_abc', MASTER_KEY);

    expect(decryptSecret(encrypted, MASTER_KEY)).toBe('whsec_abc');
  });

  it('writes a versioned format without the plaintext', () => {
    const encrypted = encryptSecret('whsec_abc', MASTER_KEY);

    expect(encrypted).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(encrypted).not.toContain('whsec_abc');
  });

  it('uses a random IV per encryption', () => {
    expect(encryptSecret('same', MASTER_KEY)).not.toBe(encryptSecret('same', MASTER_KEY));
  });

  it('round-trips multi-line and non-ASCII text', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGH…é\n-----END PRIVATE KEY-----\n';

    expect(decryptSecret(encryptSecret(pem, MASTER_KEY, 'idp:1'), MASTER_KEY, 'idp:1')).toBe(pem);
  });

  it('fails under another master key', () => {
    const encrypted = encryptSecret('whsec_abc', MASTER_KEY);

    expect(() => decryptSecret(encrypted, `${MASTER_KEY}-other`)).toThrow();
  });

  it('fails under another context', () => {
    const encrypted = encryptSecret('whsec_abc', MASTER_KEY, 'client:1:webhook_secret');

    expect(() => decryptSecret(encrypted, MASTER_KEY, 'client:2:webhook_secret')).toThrow();
  });

  it('fails on altered ciphertext', () => {
    const [version, iv, ciphertext, tag] = encryptSecret('whsec_abc', MASTER_KEY).split('.');
    const bytes = Buffer.from(ciphertext, 'base64url');
    bytes[0] ^= 1;
    const altered = [version, iv, bytes.toString('base64url'), tag].join('.');

    expect(() => decryptSecret(altered, MASTER_KEY)).toThrow();
  });

  it('rejects an unknown format', () => {
    expect(() => decryptSecret('v2.a.b.c', MASTER_KEY)).toThrow('not in the v1 format');
    expect(() => decryptSecret('whsec_abc', MASTER_KEY)).toThrow('not in the v1 format');
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of any length', () => {
    expect(constantTimeEqual('admin', 'admin')).toBe(true);
    expect(constantTimeEqual('admin', 'admin2')).toBe(false);
    expect(constantTimeEqual('', 'admin')).toBe(false);
  });
});

describe('randomToken', () => {
  it('returns unpadded base64url of the requested size', () => {
    const token = randomToken(32);

    expect(token).toMatch(/^[\w-]{43}$/);
    expect(randomToken(32)).not.toBe(token);
  });
});
