import { createPublicKey, KeyObject, webcrypto } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KeyObjectDigestSigner } from '../cms/key-object-signer';
import { DigestSigner } from '../signature-engine.types';
import {
  derToPem,
  generateRsaKey,
  generateRsaKeyAsync,
  issueCertificate,
  loadPrivateKeyPem,
  pemToDer,
} from './certificates';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';

/** PEM files of the production PKI; private keys are PKCS#8 or PKCS#1 PEM, optionally encrypted. */
export interface PkiProductionFiles {
  rootCertificate: string;
  issuingCertificate: string;
  issuingPrivateKey: string;
  sealCertificate: string;
  sealPrivateKey: string;
  /** Passphrase of encrypted PEM private keys. */
  privateKeyPassphrase?: string;
}

export interface PkiOptions {
  /** Production loads `files` and refuses to start without them; development generates and persists. */
  production: boolean;
  /** Development only: directory where the generated certificates and encrypted keys are stored. */
  directory?: string;
  /** Development only: secret from which the at-rest encryption key of private keys is derived. */
  masterKey?: string;
  files?: PkiProductionFiles;
  /** Organization named in generated certificates. */
  organizationName?: string;
  /** Public URL of the issuing CA's CRL, written into the seal and signatory certificates issued from now on. */
  crlUrl?: string;
}

export interface SignatoryCertificateRequest {
  firstname: string;
  lastname: string;
  email: string;
  signingTime: Date;
}

export interface SignatoryCertificate {
  signer: DigestSigner;
  /** DER certificate of the signatory. */
  certificate: Buffer;
}

interface Authority {
  certificate: Buffer;
  privateKey: KeyObject;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const MINUTE_MS = 60 * 1000;
/** Validity of a signatory certificate around its signing time. */
const SIGNATORY_VALIDITY_BEFORE_MS = 5 * MINUTE_MS;
const SIGNATORY_VALIDITY_AFTER_MS = 10 * MINUTE_MS;
const CRL_VALIDITY_MS = 7 * 24 * 3600 * 1000;

const DEV_FILES = {
  rootCertificate: 'root-ca.crt.pem',
  rootKey: 'root-ca.key.enc.json',
  issuingCertificate: 'issuing-ca.crt.pem',
  issuingKey: 'issuing-ca.key.enc.json',
  sealCertificate: 'seal.crt.pem',
  sealKey: 'seal.key.enc.json',
};

/**
 * Platform PKI for the simple level: root CA, issuing CA and seal certificate, plus short-lived
 * certificates for advanced signatories. Call `init()` once before use (the Nest module does it).
 */
export class PkiService {
  private root?: { certificate: Buffer };
  private issuing?: Authority;
  private seal?: Authority;

  constructor(private readonly options: PkiOptions) {}

  init(): void {
    if (this.seal) return;
    if (this.options.production) this.loadProduction();
    else this.loadOrGenerateDevelopment();
  }

  get rootCertificate(): Buffer {
    return this.ready().root.certificate;
  }

  /** Returns a signer for the seal key, with its chain (seal, issuing CA, root CA). */
  sealSigner(): DigestSigner {
    const { root, issuing, seal } = this.ready();
    return new KeyObjectDigestSigner(seal.privateKey, [seal.certificate, issuing.certificate, root.certificate]);
  }

  /** PEM bundle of the issuing and root CA certificates. */
  caBundlePem(): string {
    const { root, issuing } = this.ready();
    return derToPem(issuing.certificate) + derToPem(root.certificate);
  }

  /**
   * Issues a certificate for one advanced signature: fresh RSA-2048 key, CN "firstname lastname",
   * email SAN, digitalSignature and nonRepudiation, valid from 5 minutes before to 10 minutes after `signingTime`.
   */
  async issueSignatoryCertificate(request: SignatoryCertificateRequest): Promise<SignatoryCertificate> {
    const { root, issuing } = this.ready();
    const privateKey = await generateRsaKeyAsync();
    const certificate = issueCertificate({
      subject: {
        commonName: `${request.firstname} ${request.lastname}`.trim(),
        organizationName: undefined,
      },
      publicKey: createPublicKey(privateKey),
      issuer: issuing,
      notBefore: new Date(request.signingTime.getTime() - SIGNATORY_VALIDITY_BEFORE_MS),
      notAfter: new Date(request.signingTime.getTime() + SIGNATORY_VALIDITY_AFTER_MS),
      ca: false,
      email: request.email,
      crlUrl: this.options.crlUrl,
    });
    return {
      signer: new KeyObjectDigestSigner(privateKey, [certificate, issuing.certificate, root.certificate]),
      certificate,
    };
  }

  /** DER CRL of the issuing CA, valid for 7 days from `now`; lists `revokedSerials` (hex). */
  async issuingCrl(now = new Date(), revokedSerials: string[] = []): Promise<Buffer> {
    const { issuing } = this.ready();
    const issuerCertificate = pkijs.Certificate.fromBER(new Uint8Array(issuing.certificate));
    const crl = new pkijs.CertificateRevocationList({
      version: 1,
      issuer: issuerCertificate.subject,
      thisUpdate: new pkijs.Time({ type: 0, value: now }),
      nextUpdate: new pkijs.Time({ type: 0, value: new Date(now.getTime() + CRL_VALIDITY_MS) }),
    });
    if (revokedSerials.length > 0) {
      crl.revokedCertificates = revokedSerials.map(
        (serial) =>
          new pkijs.RevokedCertificate({
            userCertificate: new asn1js.Integer({ valueHex: new Uint8Array(Buffer.from(serial, 'hex')) }),
            revocationDate: new pkijs.Time({ type: 0, value: now }),
          }),
      );
    }
    const pkcs8 = issuing.privateKey.export({ type: 'pkcs8', format: 'der' });
    const cryptoKey = await webcrypto.subtle.importKey(
      'pkcs8',
      pkcs8,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    await crl.sign(cryptoKey as unknown as CryptoKey, 'SHA-256');
    return Buffer.from(crl.toSchema(true).toBER(false));
  }

  private ready(): { root: { certificate: Buffer }; issuing: Authority; seal: Authority } {
    this.init();
    return { root: this.root!, issuing: this.issuing!, seal: this.seal! };
  }

  private loadProduction(): void {
    const files = this.options.files;
    const required = files
      ? (['rootCertificate', 'issuingCertificate', 'issuingPrivateKey', 'sealCertificate', 'sealPrivateKey'] as const)
      : [];
    const missing = files ? required.filter((key) => !files[key] || !existsSync(files[key])) : ['all PKI files'];
    if (!files || missing.length > 0) {
      throw new Error(
        `Production PKI files missing or not found: ${missing.join(', ')}. Configure the root, issuing CA and seal certificate and key paths.`,
      );
    }
    const readKey = (path: string) => loadPrivateKeyPem(readFileSync(path, 'utf8'), files.privateKeyPassphrase);
    this.root = { certificate: pemToDer(readFileSync(files.rootCertificate, 'utf8')) };
    this.issuing = {
      certificate: pemToDer(readFileSync(files.issuingCertificate, 'utf8')),
      privateKey: readKey(files.issuingPrivateKey),
    };
    this.seal = {
      certificate: pemToDer(readFileSync(files.sealCertificate, 'utf8')),
      privateKey: readKey(files.sealPrivateKey),
    };
  }

  private loadOrGenerateDevelopment(): void {
    const { directory, masterKey } = this.options;
    if (!directory) throw new Error('PKI directory is not configured');
    if (!masterKey || masterKey.length < 16) {
      throw new Error('PKI master key is missing or shorter than 16 characters');
    }
    const path = (name: string) => join(directory, name);
    if (existsSync(path(DEV_FILES.sealKey))) {
      const readKey = (name: string) => loadPrivateKeyPem(decryptPrivateKey(readFileSync(path(name), 'utf8'), masterKey));
      this.root = { certificate: pemToDer(readFileSync(path(DEV_FILES.rootCertificate), 'utf8')) };
      this.issuing = {
        certificate: pemToDer(readFileSync(path(DEV_FILES.issuingCertificate), 'utf8')),
        privateKey: readKey(DEV_FILES.issuingKey),
      };
      this.seal = {
        certificate: pemToDer(readFileSync(path(DEV_FILES.sealCertificate), 'utf8')),
        privateKey: readKey(DEV_FILES.sealKey),
      };
      return;
    }

    const organizationName = this.options.organizationName ?? 'SecuSign development';
    const now = Date.now();
    const rootKey = generateRsaKey();
    const rootCertificate = issueCertificate({
      subject: { commonName: `${organizationName} Root CA`, organizationName },
      publicKey: createPublicKey(rootKey),
      selfSigningKey: rootKey,
      notBefore: new Date(now - 3600 * 1000),
      notAfter: new Date(now + 20 * YEAR_MS),
      ca: true,
    });
    const issuingKey = generateRsaKey();
    const issuingCertificate = issueCertificate({
      subject: { commonName: `${organizationName} Issuing CA`, organizationName },
      publicKey: createPublicKey(issuingKey),
      issuer: { certificate: rootCertificate, privateKey: rootKey },
      notBefore: new Date(now - 3600 * 1000),
      notAfter: new Date(now + 10 * YEAR_MS),
      ca: true,
      pathLength: 0,
    });
    const sealKey = generateRsaKey();
    const sealCertificate = issueCertificate({
      subject: { commonName: `${organizationName} Seal`, organizationName },
      publicKey: createPublicKey(sealKey),
      issuer: { certificate: issuingCertificate, privateKey: issuingKey },
      notBefore: new Date(now - 3600 * 1000),
      notAfter: new Date(now + 3 * YEAR_MS),
      ca: false,
      crlUrl: this.options.crlUrl,
    });

    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const writeKey = (name: string, key: KeyObject) => {
      writeFileSync(path(name), encryptPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }).toString(), masterKey), {
        mode: 0o600,
      });
      chmodSync(path(name), 0o600);
    };
    writeFileSync(path(DEV_FILES.rootCertificate), derToPem(rootCertificate));
    writeFileSync(path(DEV_FILES.issuingCertificate), derToPem(issuingCertificate));
    writeFileSync(path(DEV_FILES.sealCertificate), derToPem(sealCertificate));
    writeKey(DEV_FILES.rootKey, rootKey);
    writeKey(DEV_FILES.issuingKey, issuingKey);
    // The seal key is written last: its presence marks a complete directory.
    writeKey(DEV_FILES.sealKey, sealKey);

    this.root = { certificate: rootCertificate };
    this.issuing = { certificate: issuingCertificate, privateKey: issuingKey };
    this.seal = { certificate: sealCertificate, privateKey: sealKey };
  }
}
