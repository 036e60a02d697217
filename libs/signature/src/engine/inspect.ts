import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFObject, PDFRef } from 'pdf-lib';
import { LazyPdf, lastIndexOfAscii } from '../pdf/lazy-pdf';
import {
  DocumentInspection,
  DocumentRejectedError,
  DocumentRejectionReason,
  NormalizedDocument,
} from '../signature-engine.types';
import {
  docMdpPermission,
  isSignedSignatureField,
  listTerminalFields,
  pageCount,
} from './document-structure';

export interface InspectOptions {
  /** Path of the qpdf executable; default `qpdf` from PATH. */
  qpdfPath?: string;
  /** Time limit of each qpdf run, in milliseconds; default 30000. */
  qpdfTimeoutMs?: number;
}

interface QpdfResult {
  code: number;
  stdout: string;
  stderr: string;
}

const HEADER_SEARCH_BYTES = 1024;
const MAX_PAGES_SCANNED_FOR_SCRIPTS = 10000;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function reject(reason: DocumentRejectionReason, message: string): never {
  throw new DocumentRejectedError(reason, message);
}

/** Runs qpdf with a time limit; exit codes 0 (ok), 2 (errors) and 3 (warnings) are returned, not thrown. */
function runQpdf(args: string[], options: InspectOptions): Promise<QpdfResult> {
  return new Promise((resolve, reject) => {
    execFile(
      options.qpdfPath ?? 'qpdf',
      args,
      { timeout: options.qpdfTimeoutMs ?? 30000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : -1;
        if (error && (error.killed || code === -1)) {
          reject(new Error(`qpdf ${args[0]} failed or timed out: ${error.message}`));
          return;
        }
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs `qpdf ...args input output` in a private temporary directory and returns the output bytes. */
async function rewriteWithQpdf(bytes: Buffer, args: string[], options: InspectOptions): Promise<Buffer | undefined> {
  const directory = await mkdtemp(join(tmpdir(), 'secusign-qpdf-'));
  try {
    const input = join(directory, 'input.pdf');
    const output = join(directory, 'output.pdf');
    await writeFile(input, bytes);
    const result = await runQpdf([...args, input, output], options);
    if (result.code !== 0 && result.code !== 3) return undefined;
    return await readFile(output);
  } catch {
    return undefined;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function qpdfOnFile(bytes: Buffer, args: string[], options: InspectOptions): Promise<QpdfResult> {
  const directory = await mkdtemp(join(tmpdir(), 'secusign-qpdf-'));
  try {
    const input = join(directory, 'input.pdf');
    await writeFile(input, bytes);
    return await runQpdf([...args, input], options);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function tryOpen(bytes: Buffer): LazyPdf | undefined {
  try {
    const pdf = LazyPdf.open(bytes);
    pdf.catalog();
    return pdf;
  } catch {
    return undefined;
  }
}

/** True when only whitespace follows the last `%%EOF`. */
function endsCleanly(bytes: Buffer): boolean {
  const eof = lastIndexOfAscii(bytes, '%%EOF');
  if (eof < 0) return false;
  for (let i = eof + 5; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d && byte !== 0x20 && byte !== 0x09 && byte !== 0x00) return false;
  }
  return true;
}

/** True when the document structure is sound enough to be signed as it is. */
function isWellFormed(pdf: LazyPdf | undefined, bytes: Buffer): pdf is LazyPdf {
  if (!pdf || !pdf.offsetsExact || !endsCleanly(bytes)) return false;
  try {
    return pageCount(pdf, pdf.catalog()) > 0;
  } catch {
    return false;
  }
}

/** Signature presence for a file whose structure may be unreadable: parsed when possible, byte search otherwise. */
function carriesSignature(pdf: LazyPdf | undefined, bytes: Buffer): boolean {
  if (pdf) {
    try {
      const catalog = pdf.catalog();
      if (docMdpPermission(pdf, catalog) !== null) return true;
      if (listTerminalFields(pdf, catalog).some((field) => isSignedSignatureField(pdf, field))) return true;
    } catch {
      // Fall through to the byte search.
    }
  }
  return bytes.includes('/ByteRange');
}

async function repairWithPdfLib(bytes: Buffer): Promise<Buffer | undefined> {
  try {
    const document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    if (document.getPageCount() === 0) return undefined;
    return Buffer.from(await document.save({ useObjectStreams: false }));
  } catch {
    return undefined;
  }
}

function isJavaScriptAction(pdf: LazyPdf, value: PDFObject | undefined): boolean {
  const action = pdf.resolve(value);
  if (!(action instanceof PDFDict)) return false;
  const type = action.get(PDFName.of('S'));
  return (type instanceof PDFName && type.decodeText() === 'JavaScript') || action.has(PDFName.of('JS'));
}

function hasJavaScriptTrigger(pdf: LazyPdf, dict: PDFDict): boolean {
  if (isJavaScriptAction(pdf, dict.get(PDFName.of('A')))) return true;
  const triggers = pdf.lookupDict(dict, 'AA');
  return triggers ? triggers.values().some((value) => isJavaScriptAction(pdf, value)) : false;
}

/** Looks for document scripts, open actions, additional actions of the catalog, pages and fields. */
function detectJavaScript(pdf: LazyPdf): boolean {
  const catalog = pdf.catalog();
  const names = pdf.lookupDict(catalog, 'Names');
  if (names && names.has(PDFName.of('JavaScript'))) return true;
  if (isJavaScriptAction(pdf, catalog.get(PDFName.of('OpenAction')))) return true;
  if (hasJavaScriptTrigger(pdf, catalog)) return true;

  for (const field of listTerminalFields(pdf, catalog)) {
    if (hasJavaScriptTrigger(pdf, field.dict)) return true;
    for (const kid of pdf.lookupArray(field.dict, 'Kids')?.asArray() ?? []) {
      const widget = pdf.resolve(kid);
      if (widget instanceof PDFDict && hasJavaScriptTrigger(pdf, widget)) return true;
    }
  }

  const stack: PDFObject[] = [catalog.get(PDFName.of('Pages')) as PDFObject];
  const visited = new Set<number>();
  let scanned = 0;
  while (stack.length > 0 && scanned < MAX_PAGES_SCANNED_FOR_SCRIPTS) {
    const item = stack.pop();
    if (item instanceof PDFRef) {
      if (visited.has(item.objectNumber)) continue;
      visited.add(item.objectNumber);
    }
    const node = pdf.resolve(item);
    if (!(node instanceof PDFDict)) continue;
    scanned++;
    if (hasJavaScriptTrigger(pdf, node)) return true;
    const kids = pdf.resolve(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) stack.push(...kids.asArray());
  }
  return false;
}

function inspect(pdf: LazyPdf, bytes: Buffer, encrypted: boolean, normalization: DocumentInspection['normalization']) {
  const catalog = pdf.catalog();
  const fields = listTerminalFields(pdf, catalog);
  const header = bytes.subarray(0, HEADER_SEARCH_BYTES).toString('latin1');
  const headerVersion = /%PDF-(\d\.\d)/.exec(header)?.[1] ?? '';
  const catalogVersion = catalog.get(PDFName.of('Version'));
  const version =
    catalogVersion instanceof PDFName && Number(catalogVersion.decodeText()) > Number(headerVersion)
      ? catalogVersion.decodeText()
      : headerVersion;
  const inspection: DocumentInspection = {
    pages: pageCount(pdf, catalog),
    pdfVersion: version,
    existingSignatures: fields.filter((field) => isSignedSignatureField(pdf, field)).length,
    certificationPermission: docMdpPermission(pdf, catalog),
    formFields: fields.length,
    hasJavaScript: detectJavaScript(pdf),
    encrypted,
    normalization,
  };
  return inspection;
}

/**
 * Inspects an upload and returns the bytes to store. It raises DocumentRejectedError for an
 * empty file and for a file without a `%PDF-` header in its first 1024 bytes. It also rejects an
 * encrypted file that needs a password or forbids changes, a certification that forbids changes,
 * and a damaged file that neither qpdf nor pdf-lib can rebuild. Files without a signature are rewritten by qpdf when
 * their structure is damaged (`repaired`) or when they are encrypted with an empty user password
 * (`decrypted`); a signed file is never rewritten.
 */
export async function inspectAndNormalize(upload: Buffer, options: InspectOptions = {}): Promise<NormalizedDocument> {
  if (upload.length === 0) reject(DocumentRejectionReason.Empty, 'The file is empty (0 bytes)');
  if (!upload.subarray(0, HEADER_SEARCH_BYTES).includes('%PDF-')) {
    reject(DocumentRejectionReason.NotPdf, 'The file is not a PDF: no %PDF- header in its first 1024 bytes');
  }
  const originalSha256 = sha256(upload);
  let bytes = upload;
  let pdf = tryOpen(bytes);
  let normalization: DocumentInspection['normalization'] = 'none';
  let encrypted = false;

  if (!pdf || pdf.trailerEntry('Encrypt') !== undefined) {
    const check = await qpdfOnFile(bytes, ['--requires-password'], options);
    if (check.code === 0) {
      reject(DocumentRejectionReason.PasswordProtected, 'The file is protected by a password; upload it without the password protection');
    }
    // Exit code 3: encrypted, but the empty user password opens it.
    if (check.code === 3) {
      encrypted = true;
      const permissions = (await qpdfOnFile(bytes, ['--show-encryption'], options)).stdout;
      const forbidden = ['modify document assembly', 'modify forms', 'modify annotations'].filter((permission) =>
        new RegExp(`${permission}: not allowed`).test(permissions),
      );
      if (forbidden.length > 0) {
        reject(
          DocumentRejectionReason.PasswordProtected,
          `The file is encrypted with permissions that forbid changes (${forbidden.join(', ')}); upload it without the protection`,
        );
      }
      if (carriesSignature(pdf, bytes)) {
        reject(
          DocumentRejectionReason.PasswordProtected,
          'The file is encrypted and already signed, so it cannot be decrypted without invalidating its signature; upload it unencrypted',
        );
      }
      const decrypted = await rewriteWithQpdf(bytes, ['--decrypt'], options);
      if (!decrypted) reject(DocumentRejectionReason.Damaged, 'The file is encrypted and could not be decrypted');
      bytes = decrypted;
      pdf = tryOpen(bytes);
      normalization = 'decrypted';
    }
  }

  if (!isWellFormed(pdf, bytes)) {
    if (carriesSignature(pdf, bytes)) {
      // A signed file is signed as it is: rewriting it would invalidate its signature.
      if (!pdf) reject(DocumentRejectionReason.Damaged, 'The file is signed but its structure is damaged and unreadable');
    } else {
      const repaired = (await rewriteWithQpdf(bytes, [], options)) ?? (await repairWithPdfLib(bytes));
      const reopened = repaired ? tryOpen(repaired) : undefined;
      if (!repaired || !isWellFormed(reopened, repaired)) {
        reject(DocumentRejectionReason.Damaged, 'The file is damaged beyond repair: its cross-reference data and trailer cannot be rebuilt');
      }
      bytes = repaired;
      pdf = reopened;
      if (normalization === 'none') normalization = 'repaired';
    }
  }

  let inspection: DocumentInspection;
  try {
    inspection = inspect(pdf!, bytes, encrypted, normalization);
  } catch (error) {
    reject(DocumentRejectionReason.Damaged, `The file is damaged: ${(error as Error).message}`);
  }
  if (inspection.pages === 0) reject(DocumentRejectionReason.Damaged, 'The file is damaged: it has no pages');
  if (inspection.certificationPermission === 1) {
    reject(
      DocumentRejectionReason.CertifiedNoChanges,
      'The document is certified with a signature that allows no changes, so it cannot be signed',
    );
  }
  return { bytes, sha256: sha256(bytes), originalSha256, inspection };
}
