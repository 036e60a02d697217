import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { generateProviderKeyPair, jwkThumbprint, parseProviderPublicKey, publicKeyToPem } from './provider-keys';

function messageOf(pem: string): string | undefined {
  const parsed = parseProviderPublicKey(pem);

  return 'error' in parsed ? parsed.error : undefined;
}

describe(parseProviderPublicKey.name, () => {
  it('accepts a P-256 SubjectPublicKeyInfo PEM', () => {
    const pem = publicKeyToPem(generateProviderKeyPair().publicKey);

    expect(messageOf(pem)).toBeUndefined();
  });

  it('rejects a private key PEM', () => {
    const { privateKeyPem } = generateProviderKeyPair();

    expect(messageOf(privateKeyPem)).toMatch(/BEGIN PUBLIC KEY/);
  });

  it('rejects a key on another curve', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

    expect(messageOf(pem)).toBe('public_key must be a P-256 (prime256v1) EC key for ES256, not an EC key on secp384r1');
  });

  it('rejects an RSA key', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

    expect(messageOf(pem)).toBe('public_key must be a P-256 (prime256v1) EC key for ES256, not a rsa key');
  });

  it('rejects damaged base64 and two keys in one value', () => {
    const pem = publicKeyToPem(generateProviderKeyPair().publicKey);

    expect(messageOf(pem.replace(/\n[^\n-]+\n/, '\nAAAA\n'))).toBe('public_key is not a valid PEM public key');
    expect(messageOf(pem + pem)).toMatch(/one PEM block/);
  });
});

describe(jwkThumbprint.name, () => {
  it('matches the thumbprint jose computes', async () => {
    const { publicKey } = generateProviderKeyPair();

    expect(jwkThumbprint(publicKey)).toBe(await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256'));
  });
});
