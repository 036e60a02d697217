import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { PDFName } from 'pdf-lib';
import { listTerminalFields } from '../src/engine/document-structure';
import { inspectAndNormalize } from '../src/engine/inspect';
import { LazyPdf } from '../src/pdf/lazy-pdf';
import { prepareDocument } from '../src/engine/prepare';
import { signDocument } from '../src/engine/sign';
import { PkiService } from '../src/pki/pki.service';
import {
  DigestSigner,
  DocumentRejectedError,
  DocumentRejectionReason,
  PrepareSignatory,
} from '../src/signature-engine.types';
import {
  darkPixelsInBox,
  inspectCms,
  opensslVerify,
  pageLines,
  pageText,
  pdfinfo,
  pdfPageCount,
  pdfsig,
  qpdfCheck,
  renderPages,
  signatureRanges,
  withoutDirectionMarks,
} from './pdf-tools';

const REPO_ROOT = resolve(__dirname, '../../..');
const CORPUS = resolve(REPO_ROOT, '../shared/corpus');
const OUTPUT = resolve(REPO_ROOT, 'test-output/signature');

interface CorpusEntry {
  file: string;
  expected: string;
}

function readManifest(): CorpusEntry[] {
  const [header, ...rows] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const columns = header.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return { file: cells[columns.indexOf('file')], expected: cells[columns.indexOf('expected')] };
  });
}

const MANIFEST = readManifest();
const SIGNABLE = MANIFEST.filter((entry) => entry.expected === 'sign-ok' || entry.expected === 'sign-ok-after-repair');
const REFUSED = MANIFEST.filter((entry) => entry.expected === 'refuse-clear-error');

const NAMES: Array<[string, string]> = [
  ['Zoë', 'Łukasiewicz'],
  ['Ἀλέξανδρος', 'Παπαδόπουλος'],
  ['Мария', 'Иванова'],
  ['דוד', 'לוי'],
  ['محمد', 'الأحمد'],
  ['王小明', ''],
];

/** Expected rejection of each corpus file that must be refused. */
const REJECTIONS: Record<string, DocumentRejectionReason> = {
  'zero-byte.pdf': DocumentRejectionReason.Empty,
  'not-a-pdf-text.pdf': DocumentRejectionReason.NotPdf,
  'enc-userpw-libreoffice.pdf': DocumentRejectionReason.PasswordProtected,
  'corrupt-fuzzed.pdf': DocumentRejectionReason.Damaged,
};

/** Minimum dark pixels per letter (72 dpi) for a name to count as drawn. A blank font subset gives 0. */
const MIN_INKED_PIXELS_PER_LETTER = 15;
const RENDER_DPI = 12;

let pki: PkiService;
let pkiFolder: string;
let caFile: string;

beforeAll(() => {
  mkdirSync(OUTPUT, { recursive: true });
  pkiFolder = mkdtempSync(join(tmpdir(), 'secusign-pki-'));
  pki = new PkiService({ production: false, directory: pkiFolder, masterKey: 'corpus-test-master-key' });
  pki.init();
  caFile = join(OUTPUT, 'ca-bundle.pem');
  writeFileSync(caFile, pki.caBundlePem());
});

afterAll(() => {
  rmSync(pkiFolder, { recursive: true, force: true });
});

function signatories(names: Array<[string, string]>): PrepareSignatory[] {
  return names.map(([firstname, lastname], i) => ({
    fieldName: `SecuSign Signature ${i + 1}`,
    firstname,
    lastname,
    signatureLevel: i === 1 ? 'advanced' : 'simple',
    authentication: i % 2 === 0 ? 'sms' : 'email',
    language: (['EN', 'FR', 'DE', 'ES', 'IT'] as const)[i % 5],
  }));
}

async function signerFor(signatory: PrepareSignatory, signedAt: Date): Promise<DigestSigner> {
  if (signatory.signatureLevel === 'simple') return pki.sealSigner();
  const issued = await pki.issueSignatoryCertificate({
    firstname: signatory.firstname,
    lastname: signatory.lastname,
    email: 'signatory@example.com',
    signingTime: signedAt,
  });
  return issued.signer;
}

interface Run {
  folder: string;
  revisions: Buffer[];
  finalPath: string;
  inputPath: string;
  certificatePage: 'appended' | 'in_evidence';
  existingSignatures: number;
  uploadPages: number;
}

async function prepareAndSign(file: string, names: Array<[string, string]>, label: string): Promise<Run> {
  const folder = join(OUTPUT, file.replace(/\.pdf$/, ''), label);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const upload = readFileSync(join(CORPUS, file));
  const normalized = await inspectAndNormalize(upload);
  const inputPath = join(folder, 'input.pdf');
  writeFileSync(inputPath, normalized.bytes);

  const people = signatories(names);
  const prepared = prepareDocument({
    bytes: normalized.bytes,
    documentName: file,
    documentSha256: normalized.originalSha256,
    transactionUid: `tx_${label}`,
    signatories: people,
  });
  const revisions = [normalized.bytes, prepared.bytes];
  for (const signatory of people) {
    const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const result = await signDocument({
      bytes: revisions[revisions.length - 1],
      fieldName: signatory.fieldName,
      signer: await signerFor(signatory, signedAt),
      signedAt,
      appearance: {
        signerName: `${signatory.firstname} ${signatory.lastname}`.trim(),
        signatureLevel: signatory.signatureLevel,
        authentication: signatory.authentication,
        maskedDestination: signatory.authentication === 'sms' ? '+33 6•• •• •1 33' : 's•••@example.com',
        language: signatory.language,
      },
    });
    revisions.push(result.bytes);
  }
  const finalPath = join(folder, 'signed.pdf');
  writeFileSync(finalPath, revisions[revisions.length - 1]);
  return {
    folder,
    revisions,
    finalPath,
    inputPath,
    certificatePage: prepared.certificatePage,
    existingSignatures: normalized.inspection.existingSignatures,
    uploadPages: normalized.inspection.pages,
  };
}

function checkRevisionsArePrefixes(run: Run): void {
  for (let i = 1; i < run.revisions.length; i++) {
    const previous = run.revisions[i - 1];
    expect({ revision: i, prefix: run.revisions[i].subarray(0, previous.length).equals(previous) }).toEqual({
      revision: i,
      prefix: true,
    });
  }
}

function checkValidators(run: Run, signerCount: number): void {
  // Revisions 0 and 1 are the upload and the prepare revision. Each later one adds a signature.
  for (let signed = 1; signed <= signerCount; signed++) {
    const path = join(run.folder, `revision-${signed + 1}.pdf`);
    writeFileSync(path, run.revisions[signed + 1]);
    const report = pdfsig(path);
    const expected = run.existingSignatures + signed;
    expect({
      signed,
      signatures: report.signatures,
      unsigned: report.unsigned,
      valid: report.valid,
      lastTotal: report.lastTotal,
    }).toEqual({ signed, signatures: expected, unsigned: signerCount - signed, valid: expected, lastTotal: true });
  }

  const before = qpdfCheck(run.inputPath);
  const after = qpdfCheck(run.finalPath);
  if (before.code === 0) expect(after.code).toBe(0);
  else expect([0, 3]).toContain(after.code);
  expect(after.output).not.toMatch(/^ERROR/m);
}

function checkCms(run: Run, signerCount: number): void {
  const finalBytes = run.revisions[run.revisions.length - 1];
  const ours = signatureRanges(finalBytes).slice(-signerCount);
  expect(ours).toHaveLength(signerCount);
  ours.forEach((range, i) => {
    const verified = opensslVerify(run.folder, `signature-${i + 1}`, finalBytes, range, caFile);
    expect({ signature: i + 1, code: verified.code, output: verified.code === 0 ? '' : verified.output }).toEqual({
      signature: i + 1,
      code: 0,
      output: '',
    });
    const facts = inspectCms(range.cms);
    expect(facts.essCertHash).toBe(facts.signerCertificateSha256);
    expect(facts.essHasHashAlgorithm).toBe(false);
    expect(facts.attributesSorted).toBe(true);
    expect([...facts.attributeTypes].sort()).toEqual(
      ['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort(),
    );
    expect(facts.hasEncapsulatedContent).toBe(false);
  });
}

function checkUploadedPagesUnchanged(run: Run): void {
  const original = renderPages(run.inputPath, join(run.folder, 'render'), 'before', 1, run.uploadPages, RENDER_DPI);
  const signed = renderPages(run.finalPath, join(run.folder, 'render'), 'after', 1, run.uploadPages, RENDER_DPI);
  expect(signed).toHaveLength(original.length);
  original.forEach((image, i) => {
    expect({ page: i + 1, identical: image.equals(signed[i]) }).toEqual({ page: i + 1, identical: true });
  });
}

/** Lists `name = value` of every terminal form field, with values serialized as PDF syntax. */
function fieldValues(bytes: Buffer): string[] {
  const pdf = LazyPdf.open(bytes);
  return listTerminalFields(pdf, pdf.catalog()).map((field) => {
    const value = pdf.resolve(field.dict.get(PDFName.of('V')));
    return `${field.name} = ${value?.toString() ?? ''}`;
  });
}

function checkExistingFieldsKept(run: Run, signerCount: number): void {
  const before = fieldValues(run.revisions[0]);
  const after = fieldValues(run.revisions[run.revisions.length - 1]);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after).toHaveLength(before.length + signerCount);
}

function letterMultiset(text: string): string {
  return [...text.normalize('NFKC').replace(/\s/g, '')].sort().join('');
}

function checkCertificatePage(run: Run, names: Array<[string, string]>): void {
  const pages = pdfPageCount(run.finalPath);
  expect(pages).toBe(run.uploadPages + 1);
  const text = withoutDirectionMarks(pageText(run.finalPath, pages));
  const lines = pageLines(run.finalPath, pages);
  for (const [firstname, lastname] of names) {
    const name = `${firstname} ${lastname}`.trim();
    expect(text).toContain(name);
    // -bbox-layout writes right-to-left words in visual order, so lines are compared as letter multisets.
    const line = lines.find((candidate) => letterMultiset(candidate.text) === letterMultiset(name));
    expect({ name, located: line !== undefined }).toEqual({ name, located: true });
    const inked = darkPixelsInBox(run.finalPath, run.folder, pages, line!.box);
    const letters = name.replace(/\s/g, '').length;
    expect({ name, inked: inked >= letters * MIN_INKED_PIXELS_PER_LETTER }).toEqual({ name, inked: true });
  }
}

describe('corpus signing', () => {
  it('manifest lists signable files', () => {
    expect(SIGNABLE.length).toBeGreaterThan(0);
  });

  describe.each(SIGNABLE.map((entry, index) => [entry.file, entry.expected, index] as const))(
    '%s (%s)',
    (file, expected, index) => {
      it('signs with four signatories', async () => {
        const names = NAMES.slice(0, 4);
        const run = await prepareAndSign(file, names, 'four');
        checkRevisionsArePrefixes(run);
        checkValidators(run, 4);
        checkCms(run, 4);
        checkUploadedPagesUnchanged(run);
        checkExistingFieldsKept(run, 4);
        if (run.certificatePage === 'appended') checkCertificatePage(run, names);
        else expect(pdfPageCount(run.finalPath)).toBe(run.uploadPages);
      });

      it('signs with one signatory', async () => {
        // The six names are spread over the corpus: each one-signatory run takes the fifth or sixth.
        const names = [NAMES[4 + (index % 2)]];
        const run = await prepareAndSign(file, names, 'one');
        checkRevisionsArePrefixes(run);
        checkValidators(run, 1);
        checkCms(run, 1);
        if (run.certificatePage === 'appended') checkCertificatePage(run, names);
        if (expected === 'sign-ok-after-repair') {
          expect(run.revisions[0].equals(readFileSync(join(CORPUS, file)))).toBe(false);
        }
      });
    },
  );
});

describe('corpus inspection', () => {
  it.each(SIGNABLE.map((entry) => entry.file))('reports %s like pdfinfo', async (file) => {
    const normalized = await inspectAndNormalize(readFileSync(join(CORPUS, file)));
    const folder = join(OUTPUT, file.replace(/\.pdf$/, ''));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'normalized.pdf');
    writeFileSync(path, normalized.bytes);
    const info = pdfinfo(path);

    expect(normalized.inspection.pages).toBe(Number(info.Pages));
    expect(normalized.inspection.hasJavaScript).toBe(info.JavaScript === 'yes');
    // pdfinfo reports an AcroForm dictionary even when it lists no fields.
    if (info.Form === 'none') expect(normalized.inspection.formFields).toBe(0);
  });
});

describe('corpus rejection', () => {
  it('every refused file has an expected reason', () => {
    expect(REFUSED.map((entry) => entry.file).sort()).toEqual(Object.keys(REJECTIONS).sort());
  });

  it.each(REFUSED.map((entry) => entry.file))('rejects %s', async (file) => {
    const upload = readFileSync(join(CORPUS, file));
    const error = await inspectAndNormalize(upload).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(DocumentRejectedError);
    expect((error as DocumentRejectedError).reason).toBe(REJECTIONS[file]);
    expect((error as DocumentRejectedError).message.length).toBeGreaterThan(10);
  });
});

describe('signed upload', () => {
  it('is accepted without rewriting', async () => {
    const upload = readFileSync(join(CORPUS, 'signed-once-signpdf.pdf'));
    const normalized = await inspectAndNormalize(upload);
    expect(normalized.inspection.normalization).toBe('none');
    expect(normalized.inspection.existingSignatures).toBe(1);
    expect(normalized.bytes.equals(upload)).toBe(true);
  });
});
