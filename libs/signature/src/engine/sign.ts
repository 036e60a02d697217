import { createHash } from 'crypto';
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRef } from 'pdf-lib';
import { buildCadesSignature, formatName, parseCertificate, serialHex } from '../cms/cades-signature';
import { buildIncrementalUpdate, serializeObject } from '../pdf/incremental-writer';
import { LazyPdf } from '../pdf/lazy-pdf';
import { SignInput, SignResult } from '../signature-engine.types';
import { buildSignedAppearance } from '../appearance';
import { listTerminalFields } from './document-structure';
import { hashStateDigestHex, hashStateLength, hashStateTail, importHashState } from './revision-hash-state';
import { SignedRevision } from './signed-revision';

/** Reserved CMS size in /Contents: 16 KB, i.e. 32768 hex digits, leaving room for a timestamp token. */
export const CONTENTS_BYTES = 16384;
/** Widget key holding the Form XObject that every appearance of the block draws (set at prepare). */
export const STATIC_APPEARANCE_KEY = 'SecuSignStatic';
/** Widget key holding the /Resources dictionary of signed appearances (fonts, set at prepare). */
export const SIGNED_RESOURCES_KEY = 'SecuSignResources';
/** Name given to the static appearance when the prepared resources do not list it already. */
const FALLBACK_STATIC_XOBJECT_NAME = 'SecuSignStatic';

/** Reserved width of the four /ByteRange numbers, padded with spaces once known. */
const BYTE_RANGE_PLACEHOLDER = `[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`;

export class SignFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignFieldError';
  }
}

/** PDF date in UTC, e.g. `D:20260102030405Z`. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function findField(pdf: LazyPdf, fieldName: string) {
  const field = listTerminalFields(pdf, pdf.catalog()).find((candidate) => candidate.name === fieldName);
  if (!field || !field.ref) throw new SignFieldError(`Signature field "${fieldName}" not found in the document`);
  if (field.type !== 'Sig') throw new SignFieldError(`Field "${fieldName}" is not a signature field`);
  if (field.dict.has(PDFName.of('V'))) throw new SignFieldError(`Signature field "${fieldName}" is already signed`);
  return field as typeof field & { ref: PDFRef };
}

function rectSize(pdf: LazyPdf, widget: PDFDict): { width: number; height: number } {
  const rect = pdf.lookupArray(widget, 'Rect');
  const values = (rect?.asArray() ?? []).map((item) => {
    const value = pdf.resolve(item);
    return value instanceof PDFNumber ? value.asNumber() : 0;
  });
  if (values.length !== 4) return { width: 0, height: 0 };
  return { width: Math.abs(values[2] - values[0]), height: Math.abs(values[3] - values[1]) };
}

/**
 * Builds the /Resources of the signed appearance: the prepared entries (fonts, static XObjects),
 * plus the widget's static appearance when they do not list it. Returns them with its XObject name.
 */
function signedAppearanceResources(pdf: LazyPdf, widget: PDFDict): { resources: PDFDict; staticName: string } {
  const resources = pdf.context.obj({});
  const prepared = pdf.resolve(widget.get(PDFName.of(SIGNED_RESOURCES_KEY)));
  if (prepared instanceof PDFDict) {
    for (const [key, value] of prepared.entries()) resources.set(key, value);
  }
  const staticRef = widget.get(PDFName.of(STATIC_APPEARANCE_KEY));
  const existing = pdf.resolve(resources.get(PDFName.of('XObject')));
  const xobjects = existing instanceof PDFDict ? existing.clone() : pdf.context.obj({});
  if (staticRef instanceof PDFRef) {
    for (const [name, value] of xobjects.entries()) {
      if (value instanceof PDFRef && value.objectNumber === staticRef.objectNumber) {
        return { resources, staticName: name.decodeText() };
      }
    }
    xobjects.set(PDFName.of(FALLBACK_STATIC_XOBJECT_NAME), staticRef);
    resources.set(PDFName.of('XObject'), xobjects);
  }
  return { resources, staticName: FALLBACK_STATIC_XOBJECT_NAME };
}

/** Serializes the signed appearance Form XObject. */
function signedAppearanceStream(resources: PDFDict, width: number, height: number, content: string): Uint8Array {
  if (/[^\x00-\xff]/.test(content)) throw new SignFieldError('The signed appearance contains characters outside Latin-1');
  const data = Buffer.from(content, 'latin1');
  const dict =
    `<< /Type /XObject /Subtype /Form /BBox [0 0 ${width} ${height}] ` +
    `/Resources ${resources.toString()} /Length ${data.length} >>\nstream\n`;
  return Buffer.concat([Buffer.from(dict, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}

function signatureDictionary(input: SignInput): { bytes: Buffer; byteRangeAt: number; contentsAt: number } {
  const name = PDFHexString.fromText(input.appearance.signerName).toString();
  const reason = input.reason ? `/Reason ${PDFHexString.fromText(input.reason).toString()}\n` : '';
  const head =
    `<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n` +
    `/M (${pdfDate(input.signedAt)})\n/Name ${name}\n${reason}/ByteRange `;
  const middle = `${BYTE_RANGE_PLACEHOLDER}\n/Contents `;
  const tail = `<${'0'.repeat(CONTENTS_BYTES * 2)}>\n>>`;
  const bytes = Buffer.from(head + middle + tail, 'latin1');
  return { bytes, byteRangeAt: head.length, contentsAt: head.length + middle.length };
}

/** SHA-256 of the input, continued three ways: as is, over the signed byte ranges, and over the signed revision. */
interface InputHash {
  sha256Before: string;
  signedDigest(beforeContents: Buffer, afterContents: Buffer): Buffer;
  sha256After(appended: Buffer): string;
}

/**
 * Hashes the input once, natively, or resumes from its stored state (already checked by
 * `checkInputHashState`) without reading the input.
 * Copies of the hash give the digest before signing, the digest of the signed byte ranges (the
 * input, then the appended bytes around the /Contents hole) and the digest after signing.
 */
function startInputHash(source: Buffer, state: Buffer | undefined): InputHash {
  if (!state) {
    const sourceHash = createHash('sha256').update(source);
    return {
      sha256Before: sourceHash.copy().digest('hex'),
      signedDigest: (beforeContents, afterContents) =>
        sourceHash.copy().update(beforeContents).update(afterContents).digest(),
      sha256After: (appended) => sourceHash.update(appended).digest('hex'),
    };
  }

  return {
    sha256Before: hashStateDigestHex(state),
    signedDigest: (beforeContents, afterContents) =>
      Buffer.from(importHashState(state).update(beforeContents).update(afterContents).digest()),
    sha256After: (appended) => Buffer.from(importHashState(state).update(appended).digest()).toString('hex'),
  };
}

/**
 * Checks, without hashing the input, that a hash state can belong to it: same length and same
 * last `length % 64` bytes. A state of other bytes with that length and tail goes undetected.
 */
function checkInputHashState(source: Buffer, state: Buffer): void {
  let stateLength: number;
  let tail: Buffer;
  try {
    stateLength = hashStateLength(state);
    tail = hashStateTail(state);
  } catch (error) {
    throw new SignFieldError(`Invalid input hash state: ${(error as Error).message}`);
  }
  if (stateLength !== source.length) {
    throw new SignFieldError(
      `The input hash state covers ${stateLength} bytes but the document has ${source.length}. Pass the state of exactly this revision, or none.`,
    );
  }
  if (!tail.equals(source.subarray(source.length - tail.length))) {
    throw new SignFieldError('The input hash state does not end with the last bytes of the document. Pass the state of exactly this revision, or none.');
  }
}

/**
 * Signs one prepared field: appends the signature dictionary (/V of the field), the signed
 * appearance and the rewritten field, then fills /ByteRange and /Contents within the new bytes.
 * Reads only the cross-reference sections and the few objects it needs, and returns the appended
 * bytes without copying the input. With `input.inputHashState` it hashes only the appended bytes.
 */
export async function signDocument(input: SignInput): Promise<SignResult> {
  const source = input.bytes;
  if (input.inputHashState) checkInputHashState(source, input.inputHashState);
  const pdf = LazyPdf.open(source);
  if (pdf.trailerEntry('Encrypt') !== undefined) {
    throw new SignFieldError('The document is encrypted; it must be normalized at upload before signing');
  }
  const field = findField(pdf, input.fieldName);

  const kids = pdf.lookupArray(field.dict, 'Kids');
  const widgetRef = kids && kids.size() > 0 && kids.get(0) instanceof PDFRef ? (kids.get(0) as PDFRef) : field.ref;
  const widgetObject = widgetRef === field.ref ? field.dict : pdf.getObject(widgetRef);
  if (!(widgetObject instanceof PDFDict)) throw new SignFieldError(`Widget of "${input.fieldName}" not found`);

  const chain = await input.signer.certificateChain();
  if (chain.length === 0) throw new SignFieldError('The signer returned an empty certificate chain');
  const signerCertificate = parseCertificate(chain[0]);
  const certificateSubject = formatName(signerCertificate.subject);
  const certificateSerial = serialHex(signerCertificate);

  const signatureRef = PDFRef.of(pdf.size);
  const appearanceRef = PDFRef.of(pdf.size + 1);
  const { width, height } = rectSize(pdf, widgetObject);
  const { resources, staticName } = signedAppearanceResources(pdf, widgetObject);
  const content =
    width > 0 && height > 0
      ? buildSignedAppearance({
          width,
          height,
          staticXObjectName: staticName,
          signedAt: input.signedAt,
          appearance: input.appearance,
          certificateSubject,
          certificateSerial,
        })
      : '';

  const signature = signatureDictionary(input);
  const objects: Array<{ ref: PDFRef; object: PDFObject | Uint8Array }> = [
    { ref: signatureRef, object: signature.bytes },
    { ref: appearanceRef, object: signedAppearanceStream(resources, width, height, content) },
  ];
  const updatedField = field.dict.clone(pdf.context);
  updatedField.set(PDFName.of('V'), signatureRef);
  const updatedWidget = widgetRef === field.ref ? updatedField : widgetObject.clone(pdf.context);
  updatedWidget.set(PDFName.of('AP'), pdf.context.obj({ N: appearanceRef }));
  objects.push({ ref: field.ref, object: serializeObject(updatedField) });
  if (updatedWidget !== updatedField) objects.push({ ref: widgetRef, object: serializeObject(updatedWidget) });

  const update = buildIncrementalUpdate(pdf, objects);
  const appended = update.appended;
  const base = source.length;
  const total = base + appended.length;
  const signatureBody = update.bodyOffsets.get(signatureRef.objectNumber)! - base;
  const contentsStart = signatureBody + signature.contentsAt;
  const contentsEnd = contentsStart + CONTENTS_BYTES * 2 + 2;

  const byteRange = [0, base + contentsStart, base + contentsEnd, total - (base + contentsEnd)];
  const byteRangeText = `[${byteRange.join(' ')}]`;
  if (byteRangeText.length > BYTE_RANGE_PLACEHOLDER.length) throw new SignFieldError('Document too large for /ByteRange');
  appended.write(
    byteRangeText.slice(0, -1).padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']',
    signatureBody + signature.byteRangeAt,
    'latin1',
  );

  const hashes = startInputHash(source, input.inputHashState);
  const signedDigest = hashes.signedDigest(appended.subarray(0, contentsStart), appended.subarray(contentsEnd));

  const cms = await buildCadesSignature(signedDigest, input.signer);
  if (cms.der.length > CONTENTS_BYTES) {
    throw new SignFieldError(`CMS signature of ${cms.der.length} bytes exceeds the ${CONTENTS_BYTES}-byte reservation`);
  }
  appended.write(cms.der.toString('hex'), contentsStart + 1, 'latin1');
  const sha256After = hashes.sha256After(appended);

  return new SignedRevision(source, appended, hashes.sha256Before, sha256After, certificateSerial, certificateSubject);
}
