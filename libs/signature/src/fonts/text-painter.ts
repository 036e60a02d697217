import type { GlyphRun } from '@pdf-lib/fontkit';
import { PDFContext, PDFDict, PDFDocument, PDFRef } from 'pdf-lib';
import { CidGlyph, embedCidFont, glyphWidth } from './cid-font';
import { FontFaceName, LoadedFont, loadFont } from './font-files';
import { formatNumber } from './pdf-operators';

/** Visual weight of a text run; each maps to a chain of faces tried in order per character. */
export type TextStyle = 'regular' | 'bold' | 'mono';

export const FACE_CHAINS: Record<TextStyle, FontFaceName[]> = {
  regular: ['sans', 'cjk', 'hangul', 'emoji'],
  bold: ['sans-bold', 'cjk-bold', 'hangul-bold', 'emoji-bold'],
  mono: ['mono', 'sans', 'cjk', 'hangul', 'emoji'],
};

/** Characters drawn with the emoji face when it has them: pictographs from U+1F000 on. */
const EMOJI_CHARACTER = /\p{Extended_Pictographic}/u;
/** Invisible characters (ZWJ, variation selectors…) that are dropped when no face has a glyph for them. */
export const IGNORABLE_CHARACTER = /\p{Default_Ignorable_Code_Point}/u;

/**
 * Returns the first face of `style`'s chain that has a glyph for `codePoint`. A pictograph prefers
 * the emoji face when it is at U+1F000 or later or when an emoji sequence continues after it
 * (U+FE0F or a ZWJ), so that the whole sequence is shaped by one face and its ligature applies.
 */
export function faceForCodePoint(codePoint: number, style: TextStyle, next?: string): LoadedFont | undefined {
  const character = String.fromCodePoint(codePoint);
  if (EMOJI_CHARACTER.test(character) && (codePoint >= 0x1f000 || next === '\ufe0f' || next === '\u200d')) {
    const emoji = loadFont(style === 'bold' ? 'emoji-bold' : 'emoji');
    if (emoji.font.hasGlyphForCodePoint(codePoint)) {
      return emoji;
    }
  }
  // Faces load on first need, so Latin-only text never reads the CJK font files.
  for (const faceName of FACE_CHAINS[style]) {
    const candidate = loadFont(faceName);
    if (candidate.font.hasGlyphForCodePoint(codePoint)) {
      return candidate;
    }
  }
  return undefined;
}

/** Drawn in place of a character that no face of the chain has. */
export const MISSING_CHARACTER_REPLACEMENT = '?';
const ELLIPSIS = '…';
/** `drawText` shrinks text to at most this fraction of its size before truncating it. */
const MIN_SHRINK = 0.75;

export interface DrawTextOptions {
  text: string;
  /** Start of the baseline for `left`, its middle for `center`, its end for `right`, in user space units. */
  x: number;
  y: number;
  size: number;
  /** Text wider than this is first shrunk (down to 75 % of `size`), then truncated with an ellipsis. */
  maxWidth?: number;
  /** `truncate` skips the shrinking, for a line that must keep the size of the lines above it. */
  overflow?: 'shrink' | 'truncate';
  align?: 'left' | 'center' | 'right';
  style?: TextStyle;
  /** Fill color as RGB components in 0..1; black by default. */
  color?: [number, number, number];
}

type Direction = 'ltr' | 'rtl';

interface PositionedGlyph {
  glyphId: number;
  codePoints: number[];
  /** Font units. */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** A run of text drawn with one face in one direction, glyphs in visual (left to right) order. */
interface ShapedSegment {
  face: LoadedFont;
  direction: Direction;
  glyphs: PositionedGlyph[];
  /** Advance of the whole segment in 1/1000 of the font size. */
  width: number;
}

/** Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms. */
const RTL_CHARACTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG_CHARACTER = /[\p{L}\p{Nd}]/u;
const ATTACHED_CHARACTER = /[\p{M}\u200C\u200D]/u;

function directionOf(character: string): Direction | null {
  if (RTL_CHARACTER.test(character)) {
    return 'rtl';
  }
  return STRONG_CHARACTER.test(character) ? 'ltr' : null;
}

/**
 * Draws text in any script with embedded, subset TrueType fonts, for content streams that a
 * `PDFContext` will hold.
 *
 * Each character gets the first face of its style's chain that has a glyph for it. fontkit shapes
 * each run of one face and one direction (Arabic joining, ligatures, kerning), and returns a
 * right-to-left run in visual order, so it is not reversed again. CIDs are numbered
 * in order of first use and equal the subset's glyph ids, so `drawText` returns final operators
 * before the subsets exist. Call `embed` once, after the last `drawText`.
 *
 * NOTE: text mixing both directions is ordered by a simplified bidi rule (the first strong
 * character sets the paragraph direction and runs are laid out in that order), not the full
 * Unicode Bidirectional Algorithm.
 */
export class TextPainter {
  private readonly context: PDFContext;
  private readonly faces = new Map<FontFaceName, { resourceName: string; glyphs: Map<number, CidGlyph> }>();
  private fontDict: PDFDict | null = null;

  constructor(
    target: PDFContext | PDFDocument,
    private readonly resourcePrefix = 'F',
  ) {
    this.context = target instanceof PDFDocument ? target.context : target;
  }

  /** Returns the width of `text` at `size`, in user space units. */
  measure(text: string, size: number, style: TextStyle = 'regular'): number {
    return (this.shape(text, style).reduce((sum, segment) => sum + segment.width, 0) * size) / 1000;
  }

  /** Returns content-stream operators (a complete `q … BT … ET … Q` block) that draw one line of text. */
  drawText(options: DrawTextOptions): string {
    const style = options.style ?? 'regular';
    let size = options.size;
    let text = options.text;
    let segments = this.shape(text, style);
    let width = totalWidth(segments);

    if (options.maxWidth !== undefined && (width * size) / 1000 > options.maxWidth) {
      if (options.overflow !== 'truncate') {
        size = Math.max(options.size * MIN_SHRINK, (options.maxWidth * 1000) / width);
      }
      if ((width * size) / 1000 > options.maxWidth) {
        text = this.truncate(text, size, options.maxWidth, style);
        segments = this.shape(text, style);
        width = totalWidth(segments);
      }
    }

    const lineWidth = (width * size) / 1000;
    let x = options.x;
    if (options.align === 'center') {
      x -= lineWidth / 2;
    } else if (options.align === 'right') {
      x -= lineWidth;
    }

    // The color is set inside q … Q so that it does not leak into later operators.
    const operators: string[] = ['q', `${(options.color ?? [0, 0, 0]).map(formatNumber).join(' ')} rg`, 'BT'];
    for (const segment of segments) {
      const face = this.registerFace(segment.face.face);
      operators.push(`/${face.resourceName} ${formatNumber(size)} Tf`);
      operators.push(`1 0 0 1 ${formatNumber(x)} ${formatNumber(options.y)} Tm`);
      operators.push(...this.glyphOperators(segment, size));
      x += (segment.width * size) / 1000;
    }
    operators.push('ET', 'Q');
    return operators.join('\n') + '\n';
  }

  /**
   * Splits text into lines no wider than `maxWidth`, breaking at spaces, or between any two
   * characters inside a word that is wider than a line (CJK text, long file names).
   */
  wrap(text: string, size: number, maxWidth: number, style: TextStyle = 'regular'): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/(?<= )/u)) {
      if (this.measure((line + word).trimEnd(), size, style) <= maxWidth) {
        line += word;
        continue;
      }
      if (line) {
        lines.push(line.trimEnd());
        line = '';
      }
      for (const character of word) {
        if (line && this.measure((line + character).trimEnd(), size, style) > maxWidth) {
          lines.push(line.trimEnd());
          line = '';
        }
        line += character;
      }
    }
    if (line.trim()) {
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /**
   * Embeds a subset of every face used so far and returns the /Font resource dictionary
   * (resource name to Type0 font reference). Later `drawText` calls are rejected.
   */
  embed(): PDFDict {
    if (this.fontDict) {
      return this.fontDict;
    }
    const entries: Record<string, PDFRef> = {};
    for (const [faceName, face] of this.faces) {
      entries[face.resourceName] = embedCidFont(this.context, loadFont(faceName), [...face.glyphs.values()]);
    }
    this.fontDict = this.context.obj(entries);
    return this.fontDict;
  }

  private registerFace(faceName: FontFaceName) {
    let face = this.faces.get(faceName);
    if (!face) {
      face = { resourceName: `${this.resourcePrefix}${this.faces.size + 1}`, glyphs: new Map() };
      this.faces.set(faceName, face);
    }
    return face;
  }

  private cidFor(faceName: FontFaceName, glyph: PositionedGlyph, direction: Direction): number {
    const face = this.registerFace(faceName);
    let entry = face.glyphs.get(glyph.glyphId);
    if (!entry) {
      if (this.fontDict) {
        throw new Error('TextPainter.drawText was called after embed(): the font subsets are already written');
      }
      // pdftotext (poppler) reverses the characters of a right-to-left line, those of a ligature
      // included, so a ligature drawn right to left maps to its characters in visual order.
      const codePoints = direction === 'rtl' ? [...glyph.codePoints].reverse() : glyph.codePoints;
      entry = { cid: face.glyphs.size + 1, glyphId: glyph.glyphId, unicode: String.fromCodePoint(...codePoints) };
      face.glyphs.set(glyph.glyphId, entry);
    }
    return entry.cid;
  }

  /** Writes a segment as TJ arrays; GPOS offsets become kerning numbers and text rise. */
  private glyphOperators(segment: ShapedSegment, size: number): string[] {
    const operators: string[] = [];
    const unitsToThousandths = 1000 / segment.face.font.unitsPerEm;
    let items: string[] = [];
    const flush = () => {
      if (items.length > 0) {
        operators.push(`[${items.join(' ')}] TJ`);
        items = [];
      }
    };

    for (const glyph of segment.glyphs) {
      const cid = this.cidFor(segment.face.face, glyph, segment.direction);
      const hex = `<${cid.toString(16).toUpperCase().padStart(4, '0')}>`;
      const drawnWidth = glyphWidth(segment.face, glyph.glyphId);
      const xOffset = glyph.xOffset * unitsToThousandths;
      const advance = glyph.xAdvance * unitsToThousandths;

      if (glyph.yOffset !== 0) {
        flush();
        operators.push(`${formatNumber((glyph.yOffset * size) / segment.face.font.unitsPerEm)} Ts`);
      }
      // In TJ a number n moves the next glyph left by n/1000 em.
      if (xOffset !== 0) {
        items.push(formatNumber(-xOffset));
      }
      items.push(hex);
      const correction = advance - xOffset - drawnWidth;
      if (Math.abs(correction) > 0.001) {
        items.push(formatNumber(-correction));
      }
      if (glyph.yOffset !== 0) {
        flush();
        operators.push('0 Ts');
      }
    }
    flush();
    return operators;
  }

  private truncate(text: string, size: number, maxWidth: number, style: TextStyle): string {
    const characters = Array.from(text);
    for (let length = characters.length - 1; length > 0; length--) {
      const candidate = characters.slice(0, length).join('').trimEnd() + ELLIPSIS;
      if (this.measure(candidate, size, style) <= maxWidth) {
        return candidate;
      }
    }
    return ELLIPSIS;
  }

  /** Splits text into runs of one face and one direction, shapes each and returns them in visual order. */
  private shape(text: string, style: TextStyle): ShapedSegment[] {
    const runs: Array<{ face: LoadedFont; direction: Direction | null; text: string }> = [];
    let baseDirection: Direction | null = null;

    // Control characters (line breaks, tabs) have no glyph and are drawn as spaces.
    const characters = Array.from(text.normalize('NFC').replace(/\p{Cc}/gu, ' '));
    for (const [index, original] of characters.entries()) {
      let character = original;
      const codePoint = character.codePointAt(0)!;
      const current = runs[runs.length - 1];
      const direction = directionOf(character);
      baseDirection ??= direction;

      // A ZWJ or variation selector the current run's face has stays in that run for shaping.
      if (current && IGNORABLE_CHARACTER.test(character) && current.face.font.hasGlyphForCodePoint(codePoint)) {
        current.text += character;
        continue;
      }
      let face = faceForCodePoint(codePoint, style, characters[index + 1]);
      if (!face && IGNORABLE_CHARACTER.test(character)) {
        continue;
      }
      if (!face) {
        character = MISSING_CHARACTER_REPLACEMENT;
        face = loadFont(FACE_CHAINS[style][0]);
      }
      // Spaces, punctuation and combining marks stay in the current run when its face has them.
      const neutral = direction === null || ATTACHED_CHARACTER.test(character);
      if (current && neutral && current.face.font.hasGlyphForCodePoint(character.codePointAt(0)!)) {
        current.text += character;
        continue;
      }
      if (current && current.face === face && (current.direction === direction || current.direction === null)) {
        current.text += character;
        current.direction ??= direction;
        continue;
      }
      // Spaces between runs of opposite directions take the paragraph direction, so they leave
      // a run that goes against it.
      const trailingSpaces = current?.text.match(/\s+$/u)?.[0] ?? '';
      if (current && trailingSpaces && current.direction !== baseDirection && direction === baseDirection) {
        current.text = current.text.slice(0, -trailingSpaces.length);
        runs.push({ face, direction, text: trailingSpaces + character });
        continue;
      }
      runs.push({ face, direction, text: character });
    }

    const segments = runs.map((run) => shapeRun(run.face, run.text, run.direction ?? baseDirection ?? 'ltr'));
    return baseDirection === 'rtl' ? segments.reverse() : segments;
  }
}

function shapeRun(face: LoadedFont, text: string, direction: Direction): ShapedSegment {
  // fontkit's layout(text, features, script, language, direction): its typings omit the last three.
  const layout = face.font.layout.bind(face.font) as (
    text: string,
    features?: undefined,
    script?: string,
    language?: string,
    direction?: Direction,
  ) => GlyphRun;
  const run = layout(text, undefined, undefined, undefined, direction);
  const glyphs = run.glyphs.map((glyph, i) => ({
    glyphId: glyph.id,
    codePoints: glyph.codePoints,
    xAdvance: run.positions[i].xAdvance,
    xOffset: run.positions[i].xOffset,
    yOffset: run.positions[i].yOffset,
  }));
  const width = (glyphs.reduce((sum, glyph) => sum + glyph.xAdvance, 0) * 1000) / face.font.unitsPerEm;
  return { face, direction, glyphs, width };
}

function totalWidth(segments: ShapedSegment[]): number {
  return segments.reduce((sum, segment) => sum + segment.width, 0);
}
