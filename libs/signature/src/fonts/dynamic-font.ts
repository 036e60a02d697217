import { PDFContext, PDFRef } from 'pdf-lib';
import { embedCidFont } from './cid-font';
import { loadFont } from './font-files';
import metrics from './dynamic-font-metrics.json';

/** Face of the dynamic font, whose metrics are stored in dynamic-font-metrics.json. */
export const DYNAMIC_FONT_FACE = 'sans' as const;

/**
 * Characters of the dynamic font: printable ASCII, Latin-1 and Latin Extended-A letters, and the
 * punctuation used by masked destinations and labels. After changing it, regenerate
 * dynamic-font-metrics.json with `UPDATE_DYNAMIC_FONT_METRICS=1 npx jest libs/signature/src/fonts`.
 */
export function dynamicFontCharset(): number[] {
  const codePoints: number[] = [];
  const addRange = (first: number, last: number) => {
    for (let codePoint = first; codePoint <= last; codePoint++) {
      codePoints.push(codePoint);
    }
  };
  addRange(0x20, 0x7e);
  addRange(0xa0, 0x17f);
  for (const character of '‐‑–—‘’‚“”„•·…‹›€′″№™') {
    codePoints.push(character.codePointAt(0)!);
  }
  return [...new Set(codePoints)].sort((a, b) => a - b);
}

/** Computes the advance width (1/1000 em) of each charset character, as stored in the metrics file. */
export function computeDynamicFontMetrics(): { face: string; widths: Record<string, number> } {
  const { font } = loadFont(DYNAMIC_FONT_FACE);
  const widths: Record<string, number> = {};
  for (const codePoint of dynamicFontCharset()) {
    if (!font.hasGlyphForCodePoint(codePoint)) {
      throw new Error(`DejaVu Sans has no glyph for U+${codePoint.toString(16).toUpperCase()}: remove it from the dynamic font charset`);
    }
    widths[String(codePoint)] = Math.round((font.glyphForCodePoint(codePoint).advanceWidth * 1000) / font.unitsPerEm);
  }
  return { face: font.postscriptName ?? 'DejaVuSans', widths };
}

/**
 * Embeds the dynamic font: DejaVu Sans subset to the charset of dynamic-font-metrics.json as a
 * Type0 font whose CIDs are Unicode code points, so text is encoded at signing time without any
 * font file. A /CIDToGIDMap stream maps each CID to its subset glyph.
 */
export function embedDynamicFont(context: PDFContext): PDFRef {
  const source = loadFont(DYNAMIC_FONT_FACE);
  const glyphs = Object.keys(metrics.widths).map((key) => {
    const codePoint = Number(key);
    return { cid: codePoint, glyphId: source.font.glyphForCodePoint(codePoint).id, unicode: String.fromCodePoint(codePoint) };
  });
  return embedCidFont(context, source, glyphs);
}
