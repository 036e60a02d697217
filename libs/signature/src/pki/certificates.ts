import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, KeyObject, randomBytes } from 'crypto';
import { promisify } from 'util';
import * as forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyAndCertificate {
  privateKey: KeyObject;
  /** DER X.509 certificate. */
  certificate: Buffer;
}

export interface SubjectFields {
  commonName: string;
  organizationName?: string;
  countryName?: string;
}

export function generateRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export async function generateRsaKeyAsync(): Promise<KeyObject> {
  return (await generateKeyPairAsync('rsa', { modulusLength: 2048 })).privateKey;
}

/** Positive 128-bit serial number in hex, as RFC 5280 requires (at most 20 octets, non-negative). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x10;
  return bytes.toString('hex');
}

function subjectAttributes(subject: SubjectFields): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [];
  if (subject.countryName) attributes.push({ name: 'countryName', value: subject.countryName });
  if (subject.organizationName) {
    attributes.push({
      name: 'organizationName',
      value: subject.organizationName,
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    });
  }
  // With a UTF8String tag, forge encodes the JavaScript string to UTF-8 itself.
  attributes.push({
    name: 'commonName',
    value: subject.commonName,
    valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
  });
  return attributes;
}

function toForgePrivateKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString());
}

function toForgePublicKey(key: KeyObject): forge.pki.rsa.PublicKey {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return forge.pki.publicKeyFromPem(publicPem) as forge.pki.rsa.PublicKey;
}

export function certificateToDer(certificate: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
}

export function derToPem(der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export function pemToDer(pem: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('No PEM certificate found');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

export function loadPrivateKeyPem(pem: string, passphrase?: string): KeyObject {
  return createPrivateKey({ key: pem, format: 'pem', passphrase });
}

interface IssueOptions {
  subject: SubjectFields;
  publicKey: KeyObject;
  issuer?: { certificate: Buffer; privateKey: KeyObject };
  /** Self-signed certificates sign with this key. */
  selfSigningKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLength?: number;
  email?: string;
  /** URL of the issuer's CRL, written as a CRL distribution point. */
  crlUrl?: string;
}

export function issueCertificate(options: IssueOptions): Buffer {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = toForgePublicKey(options.publicKey);
  certificate.serialNumber = randomSerial();
  certificate.validity.notBefore = options.notBefore;
  certificate.validity.notAfter = options.notAfter;
  certificate.setSubject(subjectAttributes(options.subject));

  let issuerCertificate: forge.pki.Certificate | undefined;
  if (options.issuer) {
    issuerCertificate = forge.pki.certificateFromAsn1(
      forge.asn1.fromDer(options.issuer.certificate.toString('binary')),
    );
    certificate.setIssuer(issuerCertificate.subject.attributes);
  } else {
    certificate.setIssuer(subjectAttributes(options.subject));
  }

  const extensions: object[] = [
    {
      name: 'basicConstraints',
      critical: true,
      cA: options.ca,
      ...(options.pathLength !== undefined ? { pathLenConstraint: options.pathLength } : {}),
    },
    options.ca
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCertificate) {
    const issuerKeyId = issuerCertificate.generateSubjectKeyIdentifier().getBytes();
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId });
  }
  if (options.email) extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: options.email }] });
  if (options.crlUrl) extensions.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: options.crlUrl }] });
  certificate.setExtensions(extensions);

  const signingKey = options.issuer?.privateKey ?? options.selfSigningKey;
  if (!signingKey) throw new Error('A certificate needs an issuer key or a self-signing key');
  certificate.sign(toForgePrivateKey(signingKey), forge.md.sha256.create());
  return certificateToDer(certificate);
}
