import { describeCharacters, findUnrenderableCharacters } from './coverage';

describe(findUnrenderableCharacters.name, () => {
  it.each([
    'Zoë Łukasiewicz',
    'Ἀλέξανδρος Παπαδόπουλος',
    'Мария Иванова',
    'דוד לוי',
    'محمد الأحمد',
    '王小明',
    '김민준 이서연',
    '山田 はなこ カタカナ',
    'Anne-Marie O’Brien',
    '😀 👨\u200d👩\u200d👧 ❤\ufe0f',
    '𝔸𝕓𝕔',
  ])('accepts %s', (name) => {
    expect(findUnrenderableCharacters(name)).toEqual([]);
  });

  it('lists Thai letters once each', () => {
    expect(findUnrenderableCharacters('สมชาย สม')).toEqual(['ส', 'ม', 'ช', 'า', 'ย']);
  });

  it('lists bold mathematical letters', () => {
    expect(findUnrenderableCharacters('𝐀lice 𝐁')).toEqual(['𝐀', '𝐁']);
  });

  it('lists control characters and lone surrogates', () => {
    expect(findUnrenderableCharacters('a\u0007b\nc\ud800')).toEqual(['\u0007', '\n', '\ud800']);
  });

  it('accepts an empty string', () => {
    expect(findUnrenderableCharacters('')).toEqual([]);
  });
});

describe(describeCharacters.name, () => {
  it('formats code points with the character', () => {
    expect(describeCharacters(['ส', '𝐀'])).toBe('U+0E2A "ส", U+1D400 "𝐀"');
  });

  it('omits invisible characters', () => {
    expect(describeCharacters(['\u0007', '\ud800'])).toBe('U+0007, U+D800');
  });
});
