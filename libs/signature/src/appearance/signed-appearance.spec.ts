import { ACCENT_BAR_WIDTH, BLOCK_PADDING, detailBaseline } from './block-layout';
import { PAGE_HEIGHT } from './certificate-page';
import { buildSignedAppearance, formatSigningTime } from './signed-appearance';
import { SignedBlock, certificatePagePdf, darkPixels, extractText, rasterize, signatory } from './test/certificate-pdf';

const SIGNED: SignedBlock = {
  signedAt: new Date('2026-12-04T20:25:13.456Z'),
  appearance: {
    signerName: 'Мария Иванова',
    signatureLevel: 'advanced',
    authentication: 'sms',
    maskedDestination: '+33 6•• •• •1 33',
    language: 'EN',
  },
  certificateSubject: 'CN=SecuSign Seal, O=SecuSign, C=FR',
  certificateSerial: '4F3A9C21D7E8B6A5',
};

describe('signed appearance', () => {
  it('renders time and masked phone', async () => {
    const { bytes, page } = await certificatePagePdf([signatory(1, 'Мария', 'Иванова'), signatory(2, 'Ann', 'Lee')], {
      Signature1: SIGNED,
    });
    const text = extractText(bytes);
    expect(text).toContain('Мария Иванова');
    expect(text).toContain('Signed on 2026-12-04 20:25:13 UTC');
    expect(text).toContain('Code sent by SMS to +33 6•• •• •1 33');
    expect(text).toContain('Certificate: CN=SecuSign Seal, O=SecuSign, C=FR');
    expect(text).toContain('Serial number: 4F3A9C21D7E8B6A5');
    expect(text).toContain('Advanced electronic signature');

    // The time (line 1) and the destination (line 2) are inked; the same lines of the unsigned block are not.
    const image = rasterize(bytes);
    const lineBand = (rect: [number, number, number, number], line: number): [number, number, number, number] => {
      const baseline = rect[1] + detailBaseline(rect[3] - rect[1], line);
      return [rect[0] + BLOCK_PADDING + ACCENT_BAR_WIDTH, baseline - 2, rect[0] + 300, baseline + 7];
    };
    const [signedBlock, blankBlock] = page.blocks;
    expect(darkPixels(image, PAGE_HEIGHT, lineBand(signedBlock.rect, 1))).toBeGreaterThan(100);
    expect(darkPixels(image, PAGE_HEIGHT, lineBand(signedBlock.rect, 2))).toBeGreaterThan(100);
    expect(darkPixels(image, PAGE_HEIGHT, lineBand(blankBlock.rect, 2))).toBe(0);
  });

  it('uses only the dynamic font', () => {
    const operators = buildSignedAppearance({ ...SIGNED, width: 481, height: 94, staticXObjectName: 'SSBlock3' });
    const fonts = [...operators.matchAll(/\/(\w+) [\d.]+ Tf/g)].map((match) => match[1]);

    expect(operators.startsWith('q\n/SSBlock3 Do\nQ\n')).toBe(true);
    expect(fonts.length).toBe(5);
    expect(new Set(fonts)).toEqual(new Set(['SSDyn']));
    expect(operators).toMatch(/^[\x20-\x7e\n]*$/);
    // "+33 6•" as code points.
    expect(operators).toContain('002B0033003300200036' + '2022');
  });

  it('replaces characters outside the charset', () => {
    const operators = buildSignedAppearance({
      ...SIGNED,
      certificateSubject: 'CN=王小明',
      width: 481,
      height: 94,
      staticXObjectName: 'S',
    });
    // "CN=??" followed by the closing bracket of the hex string.
    expect(operators).toContain('0043004E003D003F003F003F>');
  });

  it('fits a long subject in narrow blocks', () => {
    const operators = buildSignedAppearance({
      ...SIGNED,
      certificateSubject: 'CN=' + 'Very Long Organisation Name '.repeat(10),
      width: 200,
      height: 60,
      staticXObjectName: 'S',
    });
    expect(operators).toContain('2026>'); // ends with an ellipsis
    const sizes = [...operators.matchAll(/\/SSDyn ([\d.]+) Tf/g)].map((match) => Number(match[1]));
    expect(Math.min(...sizes)).toBeGreaterThan(3);
  });

  it('formats the signing time in UTC', () => {
    expect(formatSigningTime(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02 03:04:05 UTC');
  });
});
