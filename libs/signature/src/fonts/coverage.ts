import { faceForCodePoint, IGNORABLE_CHARACTER, TextStyle } from './text-painter';

/** Styles in which names are drawn: bold in signature blocks, regular in the evidence report. */
const NAME_STYLES: TextStyle[] = ['regular', 'bold'];

/** Scripts the bundled fonts cover, for messages that reject text they cannot draw. */
export const SUPPORTED_SCRIPTS_DESCRIPTION =
  'Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, Chinese (Han), Japanese kana, Korean (Hangul) and emoji';

/**
 * Returns the characters of `text` that generated PDFs would draw as `?` or not at all, each
 * once, in order of first appearance. Control characters, lone surrogates and characters that no
 * bundled font has are listed. It reads only the fonts' cmap tables (each font file is loaded
 * once per process) and embeds nothing.
 */
export function findUnrenderableCharacters(text: string): string[] {
  const found = new Set<string>();
  const characters = Array.from(text.normalize('NFC'));
  characters.forEach((character, index) => {
    if (found.has(character) || character === ' ') {
      return;
    }
    if (/\p{Cc}/u.test(character)) {
      found.add(character);
      return;
    }
    const codePoint = character.codePointAt(0)!;
    const drawable = NAME_STYLES.every((style) => faceForCodePoint(codePoint, style, characters[index + 1]) !== undefined);
    if (!drawable && !IGNORABLE_CHARACTER.test(character)) {
      found.add(character);
    }
  });

  return [...found];
}

/** Formats characters as `U+1F1EB "🇫"`, the form error messages use. */
export function describeCharacters(characters: string[]): string {
  return characters
    .map((character) => {
      const codePoint = character.codePointAt(0)!;
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      const printable = /[\p{Cc}\p{Cs}]/u.test(character) ? '' : ` "${character}"`;
      return `U+${hex}${printable}`;
    })
    .join(', ');
}
