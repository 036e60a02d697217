import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from '@pdf-lib/fontkit';

/**
 * Font faces used for generated text. DejaVu covers Latin, Greek, Cyrillic, Hebrew and Arabic,
 * Noto Sans SC covers CJK ideographs (simplified and traditional), kana and bopomofo, Noto Sans KR
 * covers Hangul, and Noto Emoji draws emoji in one color, ZWJ sequences included. All ship
 * TrueType outlines (glyf).
 *
 * NOTE: none covers Thai or the Indic scripts, nor the bold mathematical alphanumerics
 * (U+1D400 and after), so those characters are drawn as `?`. Signatory names are checked with
 * `findUnrenderableCharacters` before they reach a page. Noto Emoji is monochrome: it draws an
 * emoji with a skin-tone modifier as the base emoji, so the modifier is neither visible nor extracted.
 */
export type FontFaceName = 'sans' | 'sans-bold' | 'mono' | 'cjk' | 'cjk-bold' | 'hangul' | 'hangul-bold' | 'emoji' | 'emoji-bold';

const FACE_FILES: Record<FontFaceName, { packageName: string; file: string }> = {
  sans: { packageName: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSans.ttf' },
  'sans-bold': { packageName: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSans-Bold.ttf' },
  mono: { packageName: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSansMono.ttf' },
  cjk: { packageName: '@expo-google-fonts/noto-sans-sc', file: '400Regular/NotoSansSC_400Regular.ttf' },
  'cjk-bold': { packageName: '@expo-google-fonts/noto-sans-sc', file: '700Bold/NotoSansSC_700Bold.ttf' },
  hangul: { packageName: '@expo-google-fonts/noto-sans-kr', file: '400Regular/NotoSansKR_400Regular.ttf' },
  'hangul-bold': { packageName: '@expo-google-fonts/noto-sans-kr', file: '700Bold/NotoSansKR_700Bold.ttf' },
  emoji: { packageName: '@expo-google-fonts/noto-emoji', file: '400Regular/NotoEmoji_400Regular.ttf' },
  'emoji-bold': { packageName: '@expo-google-fonts/noto-emoji', file: '700Bold/NotoEmoji_700Bold.ttf' },
};

export interface LoadedFont {
  face: FontFaceName;
  /** Raw font file, kept for subsetting. */
  bytes: Buffer;
  font: fontkit.Font;
}

const loaded = new Map<FontFaceName, LoadedFont>();

/** Returns the path of a face's font file inside its npm package. */
export function fontFilePath(face: FontFaceName): string {
  const { packageName, file } = FACE_FILES[face];
  let packageDirectory: string;
  try {
    packageDirectory = dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    throw new Error(`Font package '${packageName}' is not installed: run npm install (it is a dependency in package.json)`);
  }
  return join(packageDirectory, file);
}

/** Loads and parses a face once per process; later calls return the cached font. */
export function loadFont(face: FontFaceName): LoadedFont {
  let entry = loaded.get(face);
  if (!entry) {
    const bytes = readFileSync(fontFilePath(face));
    entry = { face, bytes, font: fontkit.create(bytes) };
    loaded.set(face, entry);
  }
  return entry;
}
