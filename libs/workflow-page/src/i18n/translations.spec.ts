import { formatMessage, messagesFor, negotiateLanguage, PAGE_LANGUAGES, toPageLanguage } from './translations';

const placeholdersOf = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('translations', () => {
  const english = messagesFor('EN');

  it.each(PAGE_LANGUAGES)('%s has exactly the English keys', (language) => {
    expect(Object.keys(messagesFor(language)).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(PAGE_LANGUAGES)('%s uses the English placeholders', (language) => {
    const messages = messagesFor(language) as Record<string, string>;

    for (const [key, text] of Object.entries(english)) {
      expect({ key, placeholders: placeholdersOf(messages[key]) }).toEqual({ key, placeholders: placeholdersOf(text) });
    }
  });

  it.each(PAGE_LANGUAGES)('%s has no empty message', (language) => {
    for (const text of Object.values(messagesFor(language))) {
      expect(text.trim()).not.toBe('');
    }
  });
});

describe('toPageLanguage', () => {
  it.each([
    ['fr', 'FR'],
    ['DE', 'DE'],
    ['It', 'IT'],
    ['pt', 'EN'],
    [null, 'EN'],
  ])('maps %p to %s', (input, expected) => {
    expect(toPageLanguage(input)).toBe(expected);
  });
});

describe('negotiateLanguage', () => {
  it.each([
    ['de-CH,de;q=0.9,en;q=0.8', 'DE'],
    ['pt-BR, es;q=0.5', 'ES'],
    ['en;q=0.2, it;q=0.9', 'IT'],
    ['fr;q=0, en', 'EN'],
    ['*', 'EN'],
    [undefined, 'EN'],
  ])('picks the language of %p', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

describe('formatMessage', () => {
  it('replaces known placeholders and keeps unknown ones', () => {
    expect(formatMessage('{a} and {b}', { a: '<x>' })).toBe('<x> and {b}');
  });
});
