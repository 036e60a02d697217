import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'crypto';

/** Format of a private key stored at rest: PKCS#8 PEM sealed with AES-256-GCM. */
interface EncryptedKeyFile {
  format: 'secusign-encrypted-key-v1';
  kdf: 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** scrypt cost parameters (N=2^15, r=8, p=1: about 32 MB and 50-100 ms per derivation). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(masterKey: string, salt: Buffer): Buffer {
  return scryptSync(masterKey, salt, 32, SCRYPT);
}

export function encryptPrivateKey(pem: string, masterKey: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(masterKey, salt), iv);
  const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  const file: EncryptedKeyFile = {
    format: 'secusign-encrypted-key-v1',
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return JSON.stringify(file, null, 2);
}

/** Decrypts a key file; throws when the master key is wrong or the file was altered. */
export function decryptPrivateKey(contents: string, masterKey: string): string {
  const file = JSON.parse(contents) as EncryptedKeyFile;
  if (file.format !== 'secusign-encrypted-key-v1') throw new Error(`Unknown key file format ${file.format}`);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveKey(masterKey, Buffer.from(file.salt, 'base64')),
    Buffer.from(file.iv, 'base64'),
  );
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('Cannot decrypt the private key: wrong master key or altered key file');
  }
}
