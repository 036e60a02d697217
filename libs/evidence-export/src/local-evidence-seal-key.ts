import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK, type KeyLike } from 'jose';
import { decryptSecret, encryptSecret } from '@secusign/auth';
import { AppConfig } from '@secusign/config';
import { EvidenceSealKey } from '@secusign/evidence';

const ALGORITHM = 'ES256';
/** Associated data of the encrypted key, so the ciphertext decrypts for this purpose only. */
const ENCRYPTION_CONTEXT = 'evidence-seal-key';

interface StoredSealKey {
  alg: string;
  kid: string;
  public_jwk: JWK;
  /** PKCS#8 PEM encrypted with the master key (`encryptSecret`). */
  private_key_encrypted: string;
}

/**
 * P-256 evidence seal key generated on first use and kept under `STORAGE_DIR/keys`, its
 * private half encrypted with the master key. Every process sharing the storage folder uses
 * the same key.
 * NOTE: two processes that start on an empty folder at the same moment may each generate a
 * key; the last write wins and files sealed by the other key still verify with their embedded
 * key, but not against the stored one.
 */
@Injectable()
export class LocalEvidenceSealKey extends EvidenceSealKey {
  readonly alg = ALGORITHM;
  private readonly logger = new Logger(LocalEvidenceSealKey.name);
  private loaded: Promise<{ kid: string; publicJwk: JWK; privateKey: KeyLike }> | null = null;
  private currentKid = '';

  constructor(private readonly config: AppConfig) {
    super();
  }

  get kid(): string {
    return this.currentKid;
  }

  async publicJwk(): Promise<JWK> {
    return (await this.load()).publicJwk;
  }

  async privateKey(): Promise<KeyLike> {
    return (await this.load()).privateKey;
  }

  /** Loads (or creates) the key; call before reading `kid`. */
  async load(): Promise<{ kid: string; publicJwk: JWK; privateKey: KeyLike }> {
    this.loaded ??= this.readOrCreate().then((key) => {
      this.currentKid = key.kid;

      return key;
    });

    return this.loaded;
  }

  private get path(): string {
    return join(this.config.storageDir, 'keys', 'evidence-seal.json');
  }

  private async readOrCreate(): Promise<{ kid: string; publicJwk: JWK; privateKey: KeyLike }> {
    if (existsSync(this.path)) {
      const stored = JSON.parse(readFileSync(this.path, 'utf8')) as StoredSealKey;
      const pem = decryptSecret(stored.private_key_encrypted, this.config.masterKey, ENCRYPTION_CONTEXT);

      return { kid: stored.kid, publicJwk: stored.public_jwk, privateKey: await importPKCS8(pem, stored.alg) };
    }

    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const stored: StoredSealKey = {
      alg: ALGORITHM,
      kid,
      public_jwk: publicJwk,
      private_key_encrypted: encryptSecret(await exportPKCS8(privateKey), this.config.masterKey, ENCRYPTION_CONTEXT),
    };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(temporary, this.path);
    this.logger.log({ kid }, 'evidence seal key generated');

    return { kid, publicJwk, privateKey };
  }
}
