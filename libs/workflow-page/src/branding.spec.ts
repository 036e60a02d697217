import { accessiblePrimaryColor, contrastRatio, DEFAULT_PRIMARY_COLOR, httpsUrlOrNull, parseHexColor, toPageBranding } from './branding';

const WHITE: [number, number, number] = [255, 255, 255];

describe('accessiblePrimaryColor', () => {
  it.each(['#ffd700', '#ffffff', '#00ff00', '#0b5fff', '#ff0000', '#7fdbff', '#aaa'])('reaches AA contrast with white for %s', (color) => {
    const result = accessiblePrimaryColor(color);

    expect(contrastRatio(parseHexColor(result)!, WHITE)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps a colour that already passes', () => {
    expect(accessiblePrimaryColor('#0B5D3B')).toBe('#0b5d3b');
  });

  it('darkens only as much as needed', () => {
    const result = parseHexColor(accessiblePrimaryColor('#ffd700'))!;

    expect(result).not.toEqual(parseHexColor('#ffd700'));
    const oneStepLighter = result.map((channel) => Math.min(255, Math.ceil(channel / 0.95))) as [number, number, number];

    expect(contrastRatio(oneStepLighter, WHITE)).toBeLessThan(4.5);
  });

  it.each([null, undefined, '', 'red', '#12345', 'url(x)', '#1234567'])('uses the default for %p', (color) => {
    expect(accessiblePrimaryColor(color)).toBe(DEFAULT_PRIMARY_COLOR);
  });
});

describe('contrastRatio', () => {
  it('is 21 between black and white', () => {
    expect(contrastRatio([0, 0, 0], WHITE)).toBeCloseTo(21, 5);
  });

  it('matches the WCAG value for #767676 on white', () => {
    expect(contrastRatio([0x76, 0x76, 0x76], WHITE)).toBeCloseTo(4.54, 2);
  });
});

describe('httpsUrlOrNull', () => {
  it.each([
    ['https://cdn.example/logo.png', 'https://cdn.example/logo.png'],
    ['http://cdn.example/logo.png', null],
    ['javascript:alert(1)', null],
    ['data:image/png;base64,AAAA', null],
    ['//cdn.example/logo.png', null],
    ['https://user:secret@cdn.example/logo.png', null],
    ['not a url', null],
    [null, null],
  ])('maps %p to %p', (input, expected) => {
    expect(httpsUrlOrNull(input)).toBe(expected);
  });
});

describe('toPageBranding', () => {
  it('falls back on the given name when no display name is set', () => {
    expect(toPageBranding({ displayName: '  ', primaryColor: null, logoUrl: null }, 'Acme').displayName).toBe('Acme');
  });
});
