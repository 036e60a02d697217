import metrics from './dynamic-font-metrics.json';
import { formatNumber } from './pdf-operators';

/**
 * Sign-time text drawing with the dynamic font: no font file is read and nothing is parsed.
 * Its CIDs are Unicode code points, so encoding is the hex of each code point.
 */

/** Drawn in place of a character outside the dynamic font's charset. */
export const DYNAMIC_FALLBACK_CHARACTER = '?';
const ELLIPSIS = '…';
const MIN_SHRINK = 0.75;

const WIDTHS = new Map<number, number>(Object.entries(metrics.widths).map(([key, width]) => [Number(key), width]));

/** Replaces characters that the dynamic font lacks with `?`. */
export function toDynamicCharset(text: string): string {
  return Array.from(text.normalize('NFC'), (character) =>
    WIDTHS.has(character.codePointAt(0)!) ? character : DYNAMIC_FALLBACK_CHARACTER,
  ).join('');
}

/** Returns the width of `text` in the dynamic font at `size`, in user space units. */
export function measureDynamicText(text: string, size: number): number {
  let width = 0;
  for (const character of toDynamicCharset(text)) {
    width += WIDTHS.get(character.codePointAt(0)!)!;
  }
  return (width * size) / 1000;
}

/** Encodes text as a hex string of two-byte CIDs (the code points) for Identity-H. */
export function encodeDynamicText(text: string): string {
  let hex = '';
  for (const character of toDynamicCharset(text)) {
    hex += character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  }
  return `<${hex}>`;
}

export interface DrawDynamicTextOptions {
  /** Resource name of the dynamic font in the stream's /Font dictionary. */
  fontName: string;
  text: string;
  x: number;
  y: number;
  size: number;
  /** Text wider than this is first shrunk (down to 75 % of `size`), then truncated with an ellipsis. */
  maxWidth?: number;
  /** Fill color as RGB components in 0..1; black by default. */
  color?: [number, number, number];
}

/** Returns operators (a `q … BT … ET … Q` block) that draw one line with the dynamic font. */
export function drawDynamicText(options: DrawDynamicTextOptions): string {
  let text = toDynamicCharset(options.text);
  let size = options.size;
  if (options.maxWidth !== undefined && measureDynamicText(text, size) > options.maxWidth) {
    size = Math.max(options.size * MIN_SHRINK, (size * options.maxWidth) / measureDynamicText(text, size));
    const characters = Array.from(text);
    while (characters.length > 0 && measureDynamicText(text, size) > options.maxWidth) {
      characters.pop();
      text = characters.join('').trimEnd() + ELLIPSIS;
    }
  }
  const color = (options.color ?? [0, 0, 0]).map(formatNumber).join(' ');
  return (
    `q\n${color} rg\nBT\n/${options.fontName} ${formatNumber(size)} Tf\n` +
    `1 0 0 1 ${formatNumber(options.x)} ${formatNumber(options.y)} Tm\n${encodeDynamicText(text)} Tj\nET\nQ\n`
  );
}
