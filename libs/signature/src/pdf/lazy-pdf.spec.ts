import { PDFDict, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { buildIncrementalUpdate, xrefTableRows } from './incremental-writer';
import { LazyPdf, undoPngPredictor } from './lazy-pdf';
import { classicPdf, hybridPdf, xrefStreamPdf } from './pdf-fixtures';

function pageCount(pdf: LazyPdf): number | undefined {
  const pages = pdf.lookupDict(pdf.catalog(), 'Pages');
  return pages ? pdf.lookupNumber(pages, 'Count') : undefined;
}

describe('LazyPdf', () => {
  it('reads a classic xref table', () => {
    const pdf = LazyPdf.open(classicPdf());
    expect(pdf.lastXrefKind).toBe('table');
    expect(pdf.offsetsExact).toBe(true);
    expect(pdf.size).toBe(5);
    expect(pageCount(pdf)).toBe(1);
  });

  it.each([-3, -1, 1, 19])('tolerates startxref off by %i bytes', (error) => {
    const bytes = classicPdf(undefined, { startxrefError: error });
    const pdf = LazyPdf.open(bytes);
    expect(pdf.offsetsExact).toBe(false);
    expect(pdf.lastXrefOffset).toBe(bytes.indexOf('xref\n0 5'));
    expect(pageCount(pdf)).toBe(1);
  });

  it('reads xref streams with predictors and object streams', () => {
    const pdf = LazyPdf.open(xrefStreamPdf());
    expect(pdf.lastXrefKind).toBe('stream');
    expect(pdf.entry(3)).toEqual({ kind: 'compressed', streamNumber: 5, index: 1 });
    expect(pageCount(pdf)).toBe(1);
    const member = pdf.getObject(PDFRef.of(4)) as PDFDict;
    expect((member.get(PDFName.of('Value')) as PDFString).decodeText()).toBe('a)b');
  });

  it('reads hybrid files through /XRefStm', () => {
    const pdf = LazyPdf.open(hybridPdf());
    expect(pdf.lastXrefKind).toBe('table');
    expect(pdf.entry(3)).toEqual({ kind: 'compressed', streamNumber: 5, index: 0 });
    const page = pdf.getObject(PDFRef.of(3)) as PDFDict;
    expect(page.get(PDFName.of('Type'))).toBe(PDFName.of('Page'));
  });

  it('finds /Root in an older trailer', () => {
    const input = classicPdf();
    const previous = LazyPdf.open(input).lastXrefOffset;
    const update = `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 5 /Prev ${previous} >>\nstartxref\n${input.length}\n%%EOF\n`;
    const pdf = LazyPdf.open(Buffer.concat([input, Buffer.from(update, 'latin1')]));
    expect(pdf.rootRef.objectNumber).toBe(1);
    expect(pageCount(pdf)).toBe(1);
  });

  it('rejects a file without startxref', () => {
    expect(() => LazyPdf.open(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'))).toThrow(/startxref/);
  });

  it('undoes PNG Up and Sub predictor rows', () => {
    const encoded = Buffer.from([2, 1, 2, 2, 1, 1, 1, 5, 1]);
    expect([...undoPngPredictor(encoded, 2)]).toEqual([1, 2, 2, 3, 5, 6]);
  });
});

describe('buildIncrementalUpdate', () => {
  function changeCatalog(pdf: LazyPdf) {
    const catalog = pdf.catalog();
    catalog.set(PDFName.of('Marker'), PDFNumber.of(7));
    const added = pdf.context.obj({ Added: true });
    return [
      { ref: pdf.rootRef, object: catalog },
      { ref: PDFRef.of(pdf.size), object: added },
    ];
  }

  it('appends a table section after a table and keeps the input as prefix', () => {
    const input = classicPdf();
    const pdf = LazyPdf.open(input);
    const update = buildIncrementalUpdate(pdf, changeCatalog(pdf));
    const output = Buffer.concat([input, update.appended]);
    const text = update.appended.toString('latin1');

    expect(output.subarray(0, input.length).equals(input)).toBe(true);
    expect(text).toContain('xref\n1 1\n');
    expect(text).toContain('5 1\n');
    expect(text).toContain(`/Prev ${pdf.lastXrefOffset}`);
    expect(text).toContain('/Size 6');
    expect(text).toMatch(/\/ID \[<00112233445566778899aabbccddeeff> <[0-9a-f]{32}>\]/);

    const reread = LazyPdf.open(output);
    expect(reread.offsetsExact).toBe(true);
    expect(reread.lookupNumber(reread.catalog(), 'Marker')).toBe(7);
    expect(reread.getObject(PDFRef.of(5))).toBeInstanceOf(PDFDict);
    expect(pageCount(reread)).toBe(1);
  });

  it('writes table entries of exactly 20 bytes', () => {
    const rows = xrefTableRows(new Map([[3, { offset: 1234, generation: 0 }]]));
    const [, entry] = rows.split('\n');
    expect(`${entry}\n`).toHaveLength(20);
    expect(entry).toBe('0000001234 00000 n ');
  });

  it('appends an xref stream after an xref stream', () => {
    const input = xrefStreamPdf();
    const pdf = LazyPdf.open(input);
    const update = buildIncrementalUpdate(pdf, changeCatalog(pdf));
    const output = Buffer.concat([input, update.appended]);
    expect(update.appended.toString('latin1')).toContain('/Type /XRef');
    expect(update.appended.toString('latin1')).not.toContain('\nxref\n');

    const reread = LazyPdf.open(output);
    expect(reread.lastXrefKind).toBe('stream');
    expect(reread.size).toBe(update.size);
    expect(reread.lookupNumber(reread.catalog(), 'Marker')).toBe(7);
    expect(pageCount(reread)).toBe(1);
  });

  it('does not copy /XRefStm into the new trailer', () => {
    const input = hybridPdf();
    const pdf = LazyPdf.open(input);
    const update = buildIncrementalUpdate(pdf, changeCatalog(pdf));
    expect(update.appended.toString('latin1')).not.toContain('XRefStm');
    const reread = LazyPdf.open(Buffer.concat([input, update.appended]));
    expect(reread.getObject(PDFRef.of(3))).toBeInstanceOf(PDFDict);
  });

  it('points /Prev at the real xref when startxref is off', () => {
    const input = classicPdf(undefined, { startxrefError: 2 });
    const pdf = LazyPdf.open(input);
    const update = buildIncrementalUpdate(pdf, changeCatalog(pdf));
    expect(update.appended.toString('latin1')).toContain(`/Prev ${input.indexOf('xref\n0 5')}`);
  });

  it('starts on a new line when the input lacks a final EOL', () => {
    const input = classicPdf().subarray(0, -1);
    const pdf = LazyPdf.open(input);
    const update = buildIncrementalUpdate(pdf, changeCatalog(pdf));
    expect(update.appended[0]).toBe(0x0a);
    expect(LazyPdf.open(Buffer.concat([input, update.appended])).lookupNumber(pdf.catalog(), 'Marker')).toBe(7);
  });
});
