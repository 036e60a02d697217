import { dynamicFontCharset } from '../fonts/dynamic-font';
import { LABELS, formatLabel } from './labels';

describe('labels', () => {
  const english = LABELS.EN;

  it.each(Object.keys(LABELS))('%s has every key', (language) => {
    const labels = LABELS[language as keyof typeof LABELS] as Record<string, string>;
    expect(Object.keys(labels).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(labels)) {
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      const placeholders = (text.match(/\{\w+\}/g) ?? []).sort();
      expect({ key, placeholders }).toEqual({ key, placeholders: ((english as Record<string, string>)[key].match(/\{\w+\}/g) ?? []).sort() });
    }
  });

  // Signed blocks draw labels with the dynamic font, so every character must be in its charset.
  it('fit the dynamic font charset', () => {
    const charset = new Set(dynamicFontCharset());
    for (const labels of Object.values(LABELS)) {
      for (const text of Object.values(labels)) {
        const missing = Array.from(text).filter((character) => !charset.has(character.codePointAt(0)!));
        expect({ text, missing }).toEqual({ text, missing: [] });
      }
    }
  });

  it('fills placeholders', () => {
    expect(formatLabel('Signatory {index} of {count}', { index: 2, count: 4 })).toBe('Signatory 2 of 4');
    expect(formatLabel('Signed on {date}', {})).toBe('Signed on {date}');
  });
});
