import { filenameOfRawUpload, sanitizeFilename, withPdfExtension } from './document-filename';

describe('sanitizeFilename', () => {
  it.each([
    ['lease.pdf', 'lease.pdf'],
    ['C:\\Users\\me\\lease.pdf', 'lease.pdf'],
    ['../../etc/passwd', 'passwd.pdf'],
    ['bad\u0000\u001fname.pdf', 'badname.pdf'],
    ['c1\u0085\u009fname.pdf', 'c1name.pdf'],
    ['\u202efdp.exe', 'fdp.exe.pdf'],
    ['a\u200eb\u200fc\u202ad\u202be\u202cf\u202dg\u2066h\u2067i\u2068j\u2069k\u061cl.pdf', 'abcdefghijkl.pdf'],
    ['\u202e/\u202e', 'document.pdf'],
    ['LEASE.PDF', 'LEASE.PDF'],
    ['report', 'report.pdf'],
    ['  \u202e  ', 'document.pdf'],
    ['  Zoë Łukasiewicz 合同.pdf ', 'Zoë Łukasiewicz 合同.pdf'],
    ['', 'document.pdf'],
    ['..', 'document.pdf'],
    [null, 'document.pdf'],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('truncates to 200 characters, keeping .pdf', () => {
    const sanitized = sanitizeFilename(`${'é'.repeat(300)}.pdf`);

    expect(sanitized).toHaveLength(200);
    expect(sanitized.endsWith('é.pdf')).toBe(true);
  });

  it('counts characters outside the BMP as one', () => {
    const sanitized = sanitizeFilename('📄'.repeat(300));

    expect(Array.from(sanitized)).toHaveLength(200);
    expect(sanitized.endsWith('📄.pdf')).toBe(true);
  });
});

describe('withPdfExtension', () => {
  it.each([
    ['lease.pdf', 'lease.pdf'],
    ['lease.Pdf', 'lease.Pdf'],
    ['fdp.exe', 'fdp.exe.pdf'],
    ['evil.pdf.exe', 'evil.pdf.exe.pdf'],
  ])('turns %j into %j', (input, expected) => {
    expect(withPdfExtension(input)).toBe(expected);
  });
});

describe('filenameOfRawUpload', () => {
  it('cleans a right-to-left override from the query parameter', () => {
    expect(filenameOfRawUpload(undefined, decodeURIComponent('%E2%80%AEfdp.exe'))).toBe('fdp.exe.pdf');
  });

  it('cleans a right-to-left override from the header', () => {
    expect(filenameOfRawUpload("attachment; filename*=UTF-8''%E2%80%AEfdp.exe", undefined)).toBe('fdp.exe.pdf');
  });

  it('reads the RFC 5987 filename* parameter', () => {
    expect(filenameOfRawUpload("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf", undefined)).toBe('Договор.pdf');
  });

  it('reads the plain filename parameter', () => {
    expect(filenameOfRawUpload('inline; filename="lease 2024.pdf"', 'ignored.pdf')).toBe('lease 2024.pdf');
  });

  it('falls back to the query parameter', () => {
    expect(filenameOfRawUpload(undefined, 'from-query.pdf')).toBe('from-query.pdf');
    expect(filenameOfRawUpload('not a valid header;;', 'from-query.pdf')).toBe('from-query.pdf');
  });

  it('defaults to document.pdf', () => {
    expect(filenameOfRawUpload(undefined, undefined)).toBe('document.pdf');
    expect(filenameOfRawUpload(undefined, ['a.pdf', 'b.pdf'])).toBe('document.pdf');
  });
});
