import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeDynamicFontMetrics, dynamicFontCharset } from './dynamic-font';
import { encodeDynamicText, measureDynamicText, toDynamicCharset } from './dynamic-text';

const METRICS_FILE = join(__dirname, 'dynamic-font-metrics.json');

describe('dynamic font', () => {
  // Run with UPDATE_DYNAMIC_FONT_METRICS=1 after changing the charset or the font package.
  it('metrics file matches the font', () => {
    const computed = computeDynamicFontMetrics();
    if (process.env.UPDATE_DYNAMIC_FONT_METRICS) {
      writeFileSync(METRICS_FILE, JSON.stringify(computed, null, 1) + '\n');
    }
    const stored = JSON.parse(readFileSync(METRICS_FILE, 'utf8'));
    expect(stored).toEqual(computed);
  });

  it('charset covers masks and diacritics', () => {
    const charset = new Set(dynamicFontCharset());
    for (const character of '+33 6•• •• •1 33 j•••@example.com – — · éèêëàâäôöüçñßøåŁłŚśŻżČčŘř€…') {
      expect(charset.has(character.codePointAt(0)!)).toBe(true);
    }
  });

  it('encodes code points as CIDs', () => {
    expect(encodeDynamicText('A•é')).toBe('<0041202200E9>');
  });

  it('replaces characters outside the charset', () => {
    expect(toDynamicCharset('王 Ω x😀')).toBe('? ? x?');
    expect(encodeDynamicText('😀')).toBe('<003F>');
  });

  it('measures with stored widths', () => {
    expect(measureDynamicText('', 10)).toBe(0);
    expect(measureDynamicText('ii', 10)).toBeCloseTo(2 * measureDynamicText('i', 10));
    expect(measureDynamicText('W', 10)).toBeGreaterThan(measureDynamicText('i', 10));
  });
});
