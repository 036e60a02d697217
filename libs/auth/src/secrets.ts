import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost of new hashes: N = 2^14, r = 8, p = 1 (the interactive-login parameters of
 * RFC 7914 and the OWASP minimum), which needs 16 MiB of memory per hash.
 */
const SCRYPT_LOG_N = 14;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SCRYPT_KEY_LENGTH = 32;
const SCRYPT_SALT_LENGTH = 16;
/** Upper bound on the cost read back from a stored hash, so a tampered row cannot exhaust memory. */
const SCRYPT_MAX_LOG_N = 20;

const PHC_PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function scryptAsync(secret: string, salt: Buffer, logN: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const N = 2 ** logN;

  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { N, r, p, maxmem: 256 * N * r * p }, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}

/**
 * Hashes a secret with scrypt and a random salt. The result is a PHC string
 * (`$scrypt$ln=14,r=8,p=1$<salt>$<hash>`, unpadded base64) that carries its own parameters,
 * so the cost can rise later without invalidating stored hashes.
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SCRYPT_SALT_LENGTH);
  const derived = await scryptAsync(secret, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, SCRYPT_KEY_LENGTH);

  return `$scrypt$ln=${SCRYPT_LOG_N},r=${SCRYPT_R},p=${SCRYPT_P}$${unpadded(salt)}$${unpadded(derived)}`;
}

/**
 * Checks a secret against a hash written by `hashSecret`, comparing in constant time.
 * Throws when `storedHash` is not in that format, because that is a data error, not a wrong secret.
 */
export async function verifySecret(secret: string, storedHash: string): Promise<boolean> {
  const match = PHC_PATTERN.exec(storedHash);
  if (!match) {
    throw new Error('Stored secret hash is not a $scrypt$ PHC string.');
  }
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 1 || logN > SCRYPT_MAX_LOG_N || r < 1 || p < 1) {
    throw new Error(`Stored secret hash has unsupported scrypt parameters ln=${logN},r=${r},p=${p}.`);
  }
  const salt = Buffer.from(match[4], 'base64');
  const expected = Buffer.from(match[5], 'base64');
  const derived = await scryptAsync(secret, salt, logN, r, p, expected.length);

  return timingSafeEqual(derived, expected);
}

/**
 * Compares two strings in constant time with respect to their content. Both sides are hashed
 * first, so inputs of different lengths take the same time and reveal nothing.
 */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const actualDigest = createHash('sha256').update(actual, 'utf8').digest();
  const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();

  return timingSafeEqual(actualDigest, expectedDigest);
}

/** Version tag of ciphertexts written by `encryptSecret`: AES-256-GCM under an HKDF-SHA256 key. */
const ENCRYPTION_VERSION = 'v1';
const ENCRYPTION_IV_LENGTH = 12;
const ENCRYPTION_TAG_LENGTH = 16;
const KEY_DERIVATION_SALT = 'secusign';
const KEY_DERIVATION_INFO = 'secusign secret encryption v1';

const derivedKeys = new Map<string, Buffer>();

/** Derives the 256-bit encryption key from the configured master key (HKDF-SHA256, RFC 5869). */
function encryptionKey(masterKey: string): Buffer {
  let key = derivedKeys.get(masterKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', masterKey, KEY_DERIVATION_SALT, KEY_DERIVATION_INFO, 32));
    derivedKeys.set(masterKey, key);
  }

  return key;
}

/**
 * Encrypts a secret for storage with AES-256-GCM and a random 96-bit IV. The result reads
 * `v1.<iv>.<ciphertext>.<tag>` (base64url). `context` is bound as associated data: decryption
 * must pass the same value, so a ciphertext copied to another row or purpose fails to decrypt.
 */
export function encryptSecret(plaintext: string, masterKey: string, context = ''): string {
  const iv = randomBytes(ENCRYPTION_IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(masterKey), iv, { authTagLength: ENCRYPTION_TAG_LENGTH });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();

  return [ENCRYPTION_VERSION, iv, ciphertext, tag].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/**
 * Decrypts a value written by `encryptSecret` with the same master key and context.
 * Throws when the format is unknown or the authentication tag does not match
 * (another key, another context, or altered data).
 */
export function decryptSecret(encrypted: string, masterKey: string, context = ''): string {
  const parts = encrypted.split('.');
  if (parts.length !== 4 || parts[0] !== ENCRYPTION_VERSION) {
    throw new Error(`Encrypted secret is not in the ${ENCRYPTION_VERSION} format.`);
  }
  const [iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== ENCRYPTION_IV_LENGTH || tag.length !== ENCRYPTION_TAG_LENGTH) {
    throw new Error('Encrypted secret has an invalid IV or authentication tag length.');
  }
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(masterKey), iv, { authTagLength: ENCRYPTION_TAG_LENGTH });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);

  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

/** Random token of `byteLength` bytes, base64url without padding, for identifiers and secrets. */
export function randomToken(byteLength: number): string {
  return randomBytes(byteLength).toString('base64url');
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
