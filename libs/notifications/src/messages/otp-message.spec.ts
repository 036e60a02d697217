import { MessageLanguage, otpEmailText, otpSmsText } from './otp-message';

const LANGUAGES: MessageLanguage[] = ['FR', 'EN', 'DE', 'ES', 'IT'];

const input = {
  code: '048213',
  senderName: 'Acme Leasing',
  firstname: 'Jeanne',
  lastname: 'Martin',
  documentName: 'Lease 2024-117',
  validityMinutes: 5,
};

describe('otp messages', () => {
  it.each(LANGUAGES)('fills every placeholder of the %s SMS', (language) => {
    const text = otpSmsText({ ...input, language });

    expect(text).toContain('048213');
    expect(text).toContain('Acme Leasing');
    expect(text).toContain('5');
    expect(text).not.toMatch(/\{\w+\}/);
  });

  it.each(LANGUAGES)('keeps the %s SMS within one 160-character segment', (language) => {
    expect(otpSmsText({ ...input, language }).length).toBeLessThanOrEqual(160);
  });

  it.each(LANGUAGES)('fills every placeholder of the %s email', (language) => {
    const { subject, text } = otpEmailText({ ...input, language });

    expect(subject).toContain('Acme Leasing');
    expect(subject).not.toContain('048213');
    expect(text).toContain('048213');
    expect(text).toContain('Jeanne Martin');
    expect(text).toContain('Lease 2024-117');
    expect(`${subject}${text}`).not.toMatch(/\{\w+\}/);
  });

  it('writes each language differently', () => {
    const texts = new Set(LANGUAGES.map((language) => otpSmsText({ ...input, language })));

    expect(texts.size).toBe(LANGUAGES.length);
  });

  it('names an untitled document in the language', () => {
    expect(otpEmailText({ ...input, language: 'FR', documentName: null }).text).toContain('« votre document »');
    expect(otpEmailText({ ...input, language: 'DE', documentName: null }).text).toContain('„Ihr Dokument“');
  });

  it('leaves placeholder-like values as they are', () => {
    expect(otpSmsText({ ...input, language: 'EN', senderName: '{code}' })).toBe('048213 is your {code} signing code. It expires in 5 min. Never share it.');
  });
});
