import { createHash } from 'crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DigestSigner } from '../signature-engine.types';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export interface CadesSignature {
  /** DER ContentInfo holding the SignedData. */
  der: Buffer;
  signerCertificate: pkijs.Certificate;
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** Parsed certificates by DER buffer: a signer returns the same chain buffers on every signature. */
const parsedCertificates = new WeakMap<Buffer, pkijs.Certificate>();

/** Parses a DER certificate; the result is shared between calls and must not be modified. */
export function parseCertificate(der: Buffer): pkijs.Certificate {
  let certificate = parsedCertificates.get(der);
  if (!certificate) {
    certificate = pkijs.Certificate.fromBER(toArrayBuffer(der));
    parsedCertificates.set(der, certificate);
  }
  return certificate;
}

/**
 * Builds the signing-certificate-v2 attribute value (RFC 5035). The ESSCertIDv2 hashAlgorithm
 * is left out because SHA-256 is its DER default; issuerSerial names the certificate's issuer and serial.
 */
function signingCertificateV2(certificateDer: Buffer, certificate: pkijs.Certificate): asn1js.Sequence {
  const certHash = createHash('sha256').update(certificateDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [certificate.issuer.toSchema()],
          }),
        ],
      }),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * Builds a detached CAdES (PAdES baseline B-B) CMS SignedData over content whose SHA-256 is
 * `contentDigest`. Signed attributes: content-type (id-data), message-digest and
 * signing-certificate-v2, sorted in DER order; no signing-time (PAdES takes the time from /M).
 */
export async function buildCadesSignature(contentDigest: Buffer, signer: DigestSigner): Promise<CadesSignature> {
  const chain = await signer.certificateChain();
  if (chain.length === 0) throw new Error('The signer returned an empty certificate chain');
  const certificates = chain.map(parseCertificate);
  const signerCertificate = certificates[0];

  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: toArrayBuffer(contentDigest) })],
    }),
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [signingCertificateV2(chain[0], signerCertificate)],
    }),
  ];
  // DER encodes a SET OF with its elements sorted by their encodings.
  const encoded = attributes.map((attribute) => Buffer.from(attribute.toSchema().toBER(false)));
  const order = encoded.map((bytes, i) => ({ bytes, i })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const sortedAttributes = order.map(({ i }) => attributes[i]);
  const signedAttributesSet = Buffer.from(
    new asn1js.Set({ value: sortedAttributes.map((attribute) => attribute.toSchema()) }).toBER(false),
  );

  const signature = await signer.signDigest(createHash('sha256').update(signedAttributesSet).digest());
  const signatureAlgorithm =
    signer.keyType === 'rsa'
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: signerCertificate.issuer,
      serialNumber: signerCertificate.serialNumber,
    }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sortedAttributes }),
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });

  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates,
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  const der = Buffer.from(contentInfo.toSchema().toBER(false));
  return { der, signerCertificate };
}

/** Formats a distinguished name like RFC 4514, most specific first (`CN=…, O=…`). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  const labels: Record<string, string> = {
    '2.5.4.3': 'CN',
    '2.5.4.6': 'C',
    '2.5.4.7': 'L',
    '2.5.4.8': 'ST',
    '2.5.4.10': 'O',
    '2.5.4.11': 'OU',
    '2.5.4.5': 'serialNumber',
    '1.2.840.113549.1.9.1': 'emailAddress',
  };
  return name.typesAndValues
    .map((entry) => `${labels[entry.type] ?? entry.type}=${String(entry.value.valueBlock.value)}`)
    .reverse()
    .join(', ');
}

export function serialHex(certificate: pkijs.Certificate): string {
  return Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
}
