import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Helpers that check signed PDFs with poppler, qpdf and openssl, as a validator would. */

export interface PdfsigReport {
  valid: number;
  /** Signed signature fields. */
  signatures: number;
  /** Signature fields that pdfsig lists as not signed. */
  unsigned: number;
  /** The last signed field's signature covers the whole file. */
  lastTotal: boolean;
  output: string;
}

export function pdfsig(path: string): PdfsigReport {
  const result = spawnSync('pdfsig', [path], { encoding: 'utf8' });
  const output = result.stdout + result.stderr;
  const blocks = output.split(/^Signature #\d+:/m).slice(1);
  const signed = blocks.filter((block) => !block.includes('The signature form field is not signed.'));
  return {
    valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    signatures: signed.length,
    unsigned: blocks.length - signed.length,
    lastTotal: signed.length > 0 && signed[signed.length - 1].includes('Total document signed'),
    output,
  };
}

export function qpdfCheck(path: string): { code: number; output: string } {
  const result = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

export interface SignatureRange {
  byteRange: [number, number, number, number];
  /** DER CMS with the zero padding of /Contents removed. */
  cms: Buffer;
}

/** Lists every /ByteRange signature of the file in file order, with its CMS. */
export function signatureRanges(bytes: Buffer): SignatureRange[] {
  const text = bytes.toString('latin1');
  const ranges: SignatureRange[] = [];
  const pattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const byteRange = [1, 2, 3, 4].map((i) => Number(match![i])) as [number, number, number, number];
    const hex = text.slice(byteRange[1] + 1, byteRange[2] - 1);
    const padded = Buffer.from(hex, 'hex');
    // The DER length gives where the CMS ends inside the zero-padded /Contents.
    const decoded = asn1js.fromBER(new Uint8Array(padded));
    const cms = decoded.offset > 0 ? padded.subarray(0, decoded.offset) : padded;
    ranges.push({ byteRange, cms });
  }
  return ranges;
}

export function signedContent(bytes: Buffer, [a, b, c, d]: [number, number, number, number]): Buffer {
  return Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
}

/** Runs `openssl cms -verify` over the signed byte ranges; returns openssl's exit code and output. */
export function opensslVerify(
  folder: string,
  name: string,
  bytes: Buffer,
  range: SignatureRange,
  caFile: string,
): { code: number; output: string } {
  const cmsPath = join(folder, `${name}.p7s`);
  const contentPath = join(folder, `${name}.bin`);
  writeFileSync(cmsPath, range.cms);
  writeFileSync(contentPath, signedContent(bytes, range.byteRange));
  const result = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsPath, '-content', contentPath, '-CAfile', caFile, '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

export interface CmsFacts {
  /** OIDs of the signed attributes, in encoded order. */
  attributeTypes: string[];
  /** Encoded signed attributes are in ascending DER order. */
  attributesSorted: boolean;
  /** certHash of the first ESSCertIDv2, hex. */
  essCertHash: string;
  /** ESSCertIDv2 carries an explicit hashAlgorithm (it should not for SHA-256). */
  essHasHashAlgorithm: boolean;
  /** SHA-256 of the certificate matching the signer identifier, hex. */
  signerCertificateSha256: string;
  hasEncapsulatedContent: boolean;
}

export function inspectCms(der: Buffer): CmsFacts {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const encoded = attributes.map((attribute) => Buffer.from(attribute.toSchema().toBER(false)));
  const attributesSorted = encoded.every((bytes, i) => i === 0 || Buffer.compare(encoded[i - 1], bytes) <= 0);

  const signingCertificate = attributes.find((attribute) => attribute.type === '1.2.840.113549.1.9.16.2.47');
  const certs = (signingCertificate?.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const essCertId = certs.valueBlock.value[0] as asn1js.Sequence;
  const first = essCertId.valueBlock.value[0];
  const hashNode = (first instanceof asn1js.OctetString ? first : essCertId.valueBlock.value[1]) as asn1js.OctetString;

  const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber;
  const signerCertificate = (signedData.certificates ?? []).find(
    (certificate) =>
      certificate instanceof pkijs.Certificate &&
      certificate.serialNumber.isEqual(sid.serialNumber) &&
      certificate.issuer.isEqual(sid.issuer),
  ) as pkijs.Certificate;
  const certificateDer = Buffer.from(signerCertificate.toSchema(true).toBER(false));

  return {
    attributeTypes: attributes.map((attribute) => attribute.type),
    attributesSorted,
    essCertHash: Buffer.from(hashNode.valueBlock.valueHexView).toString('hex'),
    essHasHashAlgorithm: !(first instanceof asn1js.OctetString),
    signerCertificateSha256: createHash('sha256').update(certificateDer).digest('hex'),
    hasEncapsulatedContent: signedData.encapContentInfo.eContent !== undefined,
  };
}

/** Renders pages `first`..`last` to PPM at `dpi`; returns the image bytes of each page in order. */
export function renderPages(path: string, folder: string, prefix: string, first: number, last: number, dpi: number): Buffer[] {
  mkdirSync(folder, { recursive: true });
  execFileSync('pdftoppm', ['-f', String(first), '-l', String(last), '-r', String(dpi), path, join(folder, prefix)]);
  return readdirSync(folder)
    .filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.ppm'))
    .sort((a, b) => Number(/-(\d+)\.ppm$/.exec(a)![1]) - Number(/-(\d+)\.ppm$/.exec(b)![1]))
    .map((name) => readFileSync(join(folder, name)));
}

export function withoutDirectionMarks(text: string): string {
  return text.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
}

export function pageText(path: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });
}

export interface TextLine {
  text: string;
  /** Box in points from the top-left corner: [xMin, yMin, xMax, yMax]. */
  box: [number, number, number, number];
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Lines of a page with their boxes, from `pdftotext -bbox-layout`. */
export function pageLines(path: string, page: number): TextLine[] {
  const html = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox-layout', path, '-'], {
    encoding: 'utf8',
  });
  const lines: TextLine[] = [];
  const linePattern = /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g;
  for (let match = linePattern.exec(html); match; match = linePattern.exec(html)) {
    const words = [...match[5].matchAll(/<word[^>]*>([\s\S]*?)<\/word>/g)].map((word) =>
      withoutDirectionMarks(decodeEntities(word[1])),
    );
    lines.push({
      text: words.join(' '),
      box: [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])],
    });
  }
  return lines;
}

/** Renders one page in gray at 72 dpi and counts pixels darker than mid-gray inside `box` (top-left origin). */
export function darkPixelsInBox(path: string, folder: string, page: number, box: [number, number, number, number]): number {
  mkdirSync(folder, { recursive: true });
  const prefix = join(folder, `ink-${page}`);
  execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '72', '-gray', '-singlefile', path, prefix]);
  const file = readFileSync(`${prefix}.pgm`);
  const header = file.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('pdftoppm did not write a binary PGM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = file.subarray(header[0].length);
  let count = 0;
  for (let row = Math.max(0, Math.floor(box[1])); row < Math.min(height, Math.ceil(box[3])); row++) {
    for (let column = Math.max(0, Math.floor(box[0])); column < Math.min(width, Math.ceil(box[2])); column++) {
      if (pixels[row * width + column] < 128) count++;
    }
  }
  return count;
}

/** Returns the `Key: value` lines of `pdfinfo`. */
export function pdfinfo(path: string): Record<string, string> {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const entries: Record<string, string> = {};
  for (const line of info.split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) entries[match[1].trim()] = match[2].trim();
  }
  return entries;
}

export function pdfPageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}
