import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { inspectCms, opensslVerify, signatureRanges } from '../../test/pdf-tools';
import { LazyPdf } from '../pdf/lazy-pdf';
import { classicPdf, SIMPLE_OBJECTS, xrefStreamPdf } from '../pdf/pdf-fixtures';
import { PkiService } from '../pki/pki.service';
import {
  DocumentRejectedError,
  DocumentRejectionReason,
  PrepareInput,
  PrepareSignatory,
  SignInput,
} from '../signature-engine.types';
import { inspectAndNormalize } from './inspect';
import { prepareDocument } from './prepare';
import { CONTENTS_BYTES, signDocument } from './sign';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function signatory(fieldName: string): PrepareSignatory {
  return { fieldName, firstname: 'Zoë', lastname: 'Łukasiewicz', signatureLevel: 'simple', authentication: 'sms', language: 'EN' };
}

function prepareInput(bytes: Buffer, names = ['Signature1']): PrepareInput {
  return {
    bytes,
    documentName: 'contract.pdf',
    documentSha256: SHA256,
    transactionUid: 'tx_unit',
    signatories: names.map(signatory),
  };
}

/** Fixture whose catalog carries a DocMDP certification with permission `permission`. */
function certifiedPdf(permission: number): Buffer {
  const objects = [...SIMPLE_OBJECTS];
  objects[0] = '<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 5 0 R >> >>';
  objects.push(
    `<< /Type /Sig /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${permission} /V /1.2 >> >>] >>`,
  );
  return classicPdf(objects);
}

/** Fixture with one signed signature field (its /V is a signature dictionary). */
function signedFieldPdf(): Buffer {
  const objects = [...SIMPLE_OBJECTS];
  objects[0] = '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>';
  objects[2] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Annots [5 0 R] >>';
  objects.push('<< /FT /Sig /T (Existing) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 6 0 R >>');
  objects.push('<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached >>');
  return classicPdf(objects);
}

describe('prepareDocument', () => {
  it('appends the certificate page under the root node', () => {
    const input = classicPdf();
    const result = prepareDocument(prepareInput(input, ['Signature1', 'Signature2']));
    expect(result.certificatePage).toBe('appended');
    expect(result.bytes.subarray(0, input.length).equals(input)).toBe(true);

    const pdf = LazyPdf.open(result.bytes);
    const catalog = pdf.catalog();
    const pages = pdf.lookupDict(catalog, 'Pages')!;
    expect(pdf.lookupNumber(pages, 'Count')).toBe(2);
    const kids = pdf.lookupArray(pages, 'Kids')!;
    const page = pdf.resolve(kids.get(1)) as PDFDict;
    expect(page.get(PDFName.of('Parent'))).toEqual(catalog.get(PDFName.of('Pages')));
    expect(pdf.lookupNumber(page, 'Rotate')).toBe(0);

    const acroForm = pdf.lookupDict(catalog, 'AcroForm')!;
    expect(pdf.lookupNumber(acroForm, 'SigFlags')).toBe(3);
    const fields = pdf.lookupArray(acroForm, 'Fields')!.asArray().map((ref) => pdf.resolve(ref) as PDFDict);
    expect(fields.map((field) => field.get(PDFName.of('FT')))).toEqual([PDFName.of('Sig'), PDFName.of('Sig')]);
    expect(fields.map((field) => pdf.lookupNumber(field, 'F'))).toEqual([4, 4]);
    expect(fields[0].get(PDFName.of('P'))).toEqual(kids.get(1));
  });

  it('numbers new objects from the trailer /Size', () => {
    const input = classicPdf();
    const pdf = LazyPdf.open(input);
    const result = prepareDocument(prepareInput(input));
    const text = result.bytes.subarray(input.length).toString('latin1');
    const numbers = [...text.matchAll(/^(\d+) 0 obj/gm)].map((match) => Number(match[1]));
    const created = numbers.filter((n) => n >= pdf.size);
    expect(Math.min(...created)).toBe(pdf.size);
    expect(numbers.filter((n) => n < pdf.size).sort()).toEqual([1, 2]);
  });

  it('keeps an xref stream file on xref streams', () => {
    const input = xrefStreamPdf();
    const result = prepareDocument(prepareInput(input));
    expect(LazyPdf.open(result.bytes).lastXrefKind).toBe('stream');
  });

  it('adds invisible widgets to a signed upload', () => {
    const input = signedFieldPdf();
    const result = prepareDocument(prepareInput(input));
    expect(result.certificatePage).toBe('in_evidence');
    const pdf = LazyPdf.open(result.bytes);
    const pages = pdf.lookupDict(pdf.catalog(), 'Pages')!;
    expect(pdf.lookupNumber(pages, 'Count')).toBe(1);
    const page = pdf.getObject(PDFRef.of(3)) as PDFDict;
    const annots = pdf.lookupArray(page, 'Annots')!;
    expect(annots.size()).toBe(2);
    const widget = pdf.resolve(annots.get(1)) as PDFDict;
    const rect = (widget.get(PDFName.of('Rect')) as PDFArray).asArray().map((value) => (value as PDFNumber).asNumber());
    expect(rect).toEqual([0, 0, 0, 0]);
  });

  it('removes XFA from an unsigned form', () => {
    const objects = [...SIMPLE_OBJECTS];
    objects[0] = '<< /Type /Catalog /Pages 2 0 R /NeedsRendering true /AcroForm << /Fields [] /XFA 5 0 R >> >>';
    objects.push('<< /Length 0 >>\nstream\n\nendstream');
    const result = prepareDocument(prepareInput(classicPdf(objects)));
    const pdf = LazyPdf.open(result.bytes);
    const catalog = pdf.catalog();
    expect(catalog.has(PDFName.of('NeedsRendering'))).toBe(false);
    const acroForm = pdf.lookupDict(catalog, 'AcroForm')!;
    expect(acroForm.has(PDFName.of('XFA'))).toBe(false);
    expect(pdf.lookupArray(acroForm, 'Fields')!.size()).toBe(1);
  });

  it('rejects a certification without changes', () => {
    expect(() => prepareDocument(prepareInput(certifiedPdf(1)))).toThrow(DocumentRejectedError);
    expect(prepareDocument(prepareInput(certifiedPdf(2))).certificatePage).toBe('in_evidence');
  });

  it('rejects duplicate field names', () => {
    expect(() => prepareDocument(prepareInput(classicPdf(), ['A', 'A']))).toThrow(/already used/);
    expect(() => prepareDocument(prepareInput(signedFieldPdf(), ['Existing']))).toThrow(/already used/);
  });

  it('rejects more than four signatories', () => {
    expect(() => prepareDocument(prepareInput(classicPdf(), ['A', 'B', 'C', 'D', 'E']))).toThrow(/1 to 4/);
  });
});

describe('inspectAndNormalize', () => {
  it('rejects certification without changes', async () => {
    const error = await inspectAndNormalize(certifiedPdf(1)).catch((rejection: unknown) => rejection);
    expect((error as DocumentRejectedError).reason).toBe(DocumentRejectionReason.CertifiedNoChanges);
  });

  it('repairs a wrong startxref', async () => {
    const result = await inspectAndNormalize(classicPdf(undefined, { startxrefError: 7 }));
    expect(result.inspection.normalization).toBe('repaired');
    expect(result.sha256).not.toBe(result.originalSha256);
    expect(LazyPdf.open(result.bytes).offsetsExact).toBe(true);
  });

  it('repairs garbage after %%EOF', async () => {
    const result = await inspectAndNormalize(classicPdf(undefined, { trailing: 'garbage bytes' }));
    expect(result.inspection.normalization).toBe('repaired');
  });

  it('reports counts of a clean file', async () => {
    const input = signedFieldPdf();
    const result = await inspectAndNormalize(input);
    expect(result.bytes.equals(input)).toBe(true);
    expect(result.inspection).toMatchObject({ pages: 1, existingSignatures: 1, formFields: 1, normalization: 'none' });
  });
});

describe('signDocument', () => {
  let folder: string;
  let pki: PkiService;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'secusign-engine-spec-'));
    pki = new PkiService({ production: false, directory: folder, masterKey: 'engine-spec-master-key' });
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function signInput(bytes: Buffer, fieldName = 'Signature1'): SignInput {
    return {
      bytes,
      fieldName,
      signer: pki.sealSigner(),
      signedAt: new Date('2026-05-06T07:08:09Z'),
      appearance: {
        signerName: 'Zoë Łukasiewicz',
        signatureLevel: 'simple',
        authentication: 'sms',
        maskedDestination: '+33 6•• •• •1 33',
        language: 'EN',
      },
    };
  }

  it('fills byte range, contents and /M', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    const result = await signDocument(signInput(prepared));
    const text = result.bytes.toString('latin1');

    expect(result.bytes.subarray(0, prepared.length).equals(prepared)).toBe(true);
    expect(text).toContain('/M (D:20260506070809Z)');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).not.toContain('/Cert');
    const [range] = signatureRanges(result.bytes);
    expect(range.byteRange[0]).toBe(0);
    expect(range.byteRange[2] - range.byteRange[1]).toBe(CONTENTS_BYTES * 2 + 2);
    expect(range.byteRange[2] + range.byteRange[3]).toBe(result.bytes.length);
    const facts = inspectCms(range.cms);
    expect(facts.essCertHash).toBe(facts.signerCertificateSha256);
    expect(facts.attributeTypes).not.toContain('1.2.840.113549.1.9.5');
  });

  it('sets the field value and signed appearance', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    const result = await signDocument(signInput(prepared));
    const pdf = LazyPdf.open(result.bytes);
    const acroForm = pdf.lookupDict(pdf.catalog(), 'AcroForm')!;
    const field = pdf.resolve(pdf.lookupArray(acroForm, 'Fields')!.get(0)) as PDFDict;
    const value = pdf.lookupDict(field, 'V')!;
    expect(value.get(PDFName.of('Type'))).toBe(PDFName.of('Sig'));
    const appearance = pdf.lookupDict(field, 'AP')!;
    const normal = appearance.get(PDFName.of('N')) as PDFRef;
    expect(normal.objectNumber).toBeGreaterThanOrEqual(LazyPdf.open(prepared).size);
  });

  it('rewrites only the signed field', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf(), ['Signature1', 'Signature2'])).bytes;
    const before = LazyPdf.open(prepared);
    const acroForm = before.lookupDict(before.catalog(), 'AcroForm')!;
    const fieldRef = before.lookupArray(acroForm, 'Fields')!.get(0) as PDFRef;
    const result = await signDocument(signInput(prepared));
    const appended = result.bytes.subarray(prepared.length).toString('latin1');
    const written = [...appended.matchAll(/^(\d+) 0 obj/gm)].map((match) => Number(match[1])).sort((a, b) => a - b);
    expect(written).toEqual([fieldRef.objectNumber, before.size, before.size + 1]);
  });

  it('rejects an unknown or signed field', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    await expect(signDocument(signInput(prepared, 'Missing'))).rejects.toThrow(/not found/);
    const signed = await signDocument(signInput(prepared));
    await expect(signDocument(signInput(signed.bytes))).rejects.toThrow(/already signed/);
  });

  it('returns the input and appended bytes', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    const copy = Buffer.from(prepared);
    const result = await signDocument(signInput(prepared));
    const [first, second] = result.chunks();

    expect(result.chunks()).toHaveLength(2);
    expect(first).toBe(prepared);
    expect(prepared.equals(copy)).toBe(true);
    expect(second).toBe(result.appended);
    expect(result.size).toBe(prepared.length + result.appended.length);
    expect(result.appended.toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(result.bytes.equals(Buffer.concat([prepared, result.appended]))).toBe(true);
    expect(result.bytes).toBe(result.bytes);
  });

  it('signs the byte range of input and appended bytes', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    const result = await signDocument(signInput(prepared));
    const signed = Buffer.concat(result.chunks());
    const [range] = signatureRanges(signed);
    const caFile = join(folder, 'ca-bundle.pem');
    writeFileSync(caFile, pki.caBundlePem());

    expect(range.byteRange[1]).toBeGreaterThan(prepared.length);
    expect(range.byteRange[2] + range.byteRange[3]).toBe(result.size);
    const verification = opensslVerify(folder, 'chunks', signed, range, caFile);
    expect(verification.output).toContain('Verification successful');
    expect(verification.code).toBe(0);
  });

  it('reports hashes before and after', async () => {
    const prepared = prepareDocument(prepareInput(classicPdf())).bytes;
    const result = await signDocument(signInput(prepared));
    const { createHash } = await import('crypto');
    expect(result.sha256Before).toBe(createHash('sha256').update(prepared).digest('hex'));
    expect(result.sha256After).toBe(createHash('sha256').update(result.bytes).digest('hex'));
    expect(result.certificateSubject).toContain('CN=SecuSign development Seal');
  });
});
