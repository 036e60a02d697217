import { filenameOfRawUpload, sanitizeFilename } from './document-filename';

describe('sanitizeFilename', () => {
  it.each([
    ['lease.pdf', 'lease.pdf'],
    ['C:\\Users\\me\\lease.pdf', 'lease.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['bad\u0000\u001fname.pdf', 'badname.pdf'],
    ['  Zoë Łukasiewicz 合同.pdf ', 'Zoë Łukasiewicz 合同.pdf'],
    ['', 'document.pdf'],
    ['..', 'document.pdf'],
    [null, 'document.pdf'],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('truncates to 255 characters', () => {
    expect(sanitizeFilename(`${'é'.repeat(300)}.pdf`)).toHaveLength(255);
  });
});

describe('filenameOfRawUpload', () => {
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
