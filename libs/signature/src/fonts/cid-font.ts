import { createHash } from 'node:crypto';
import { PDFContext, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { LoadedFont } from './font-files';
import { subsetTrueType } from './truetype-subset';

/** One glyph of an embedded CID font: the CID used in content streams and the text it stands for. */
export interface CidGlyph {
  cid: number;
  /** Glyph id in the source font. */
  glyphId: number;
  /** Unicode text of the glyph, for the ToUnicode CMap; several characters for a ligature. */
  unicode: string;
}

/**
 * Embeds a subset of a TrueType font as a Type0 font with Identity-H encoding (two-byte CIDs)
 * and a CIDFontType2 descendant. Every object is a new indirect object of `context`.
 * Returns the reference of the Type0 font dictionary.
 */
export function embedCidFont(context: PDFContext, source: LoadedFont, glyphs: readonly CidGlyph[]): PDFRef {
  const font = source.font;
  const subset = subsetTrueType(source.bytes, [0, ...glyphs.map((glyph) => glyph.glyphId)]);
  const baseFont = `${subsetTag(source, glyphs)}+${(font.postscriptName ?? source.face).replace(/[^A-Za-z0-9-]/g, '')}`;
  const scale = 1000 / font.unitsPerEm;

  const fontFile = context.flateStream(subset.bytes, { Length1: subset.bytes.length });
  const descriptor = context.obj({
    Type: 'FontDescriptor',
    FontName: baseFont,
    Flags: 4,
    FontBBox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map((value) => Math.round(value * scale)),
    ItalicAngle: font.italicAngle,
    Ascent: Math.round(font.ascent * scale),
    Descent: Math.round(font.descent * scale),
    CapHeight: Math.round((font.capHeight || font.ascent) * scale),
    StemV: 80,
    FontFile2: context.register(fontFile),
  });

  const identity = glyphs.every((glyph) => subset.newGlyphIds.get(glyph.glyphId) === glyph.cid);
  const cidFont = context.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: baseFont,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: context.register(descriptor),
    DW: 1000,
    W: widthsArray(source, glyphs),
    CIDToGIDMap: identity
      ? PDFName.of('Identity')
      : context.register(context.flateStream(cidToGidMap(glyphs, subset.newGlyphIds))),
  });

  const toUnicode = context.flateStream(toUnicodeCMap(glyphs));
  const type0 = context.obj({
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: baseFont,
    Encoding: 'Identity-H',
    DescendantFonts: [context.register(cidFont)],
    ToUnicode: context.register(toUnicode),
  });
  return context.register(type0);
}

/** Advance width of a glyph in text space units (1/1000 em), rounded as written in /W. */
export function glyphWidth(source: LoadedFont, glyphId: number): number {
  return Math.round((source.font.getGlyph(glyphId).advanceWidth * 1000) / source.font.unitsPerEm);
}

function widthsArray(source: LoadedFont, glyphs: readonly CidGlyph[]): Array<number | number[]> {
  const sorted = [...glyphs].sort((a, b) => a.cid - b.cid);
  const array: Array<number | number[]> = [];
  let run: number[] | null = null;
  let previousCid = -2;
  for (const glyph of sorted) {
    if (glyph.cid !== previousCid + 1 || !run) {
      run = [];
      array.push(glyph.cid, run);
    }
    run.push(glyphWidth(source, glyph.glyphId));
    previousCid = glyph.cid;
  }
  return array;
}

function cidToGidMap(glyphs: readonly CidGlyph[], newGlyphIds: Map<number, number>): Buffer {
  const maxCid = Math.max(...glyphs.map((glyph) => glyph.cid));
  const map = Buffer.alloc((maxCid + 1) * 2);
  for (const glyph of glyphs) {
    map.writeUInt16BE(newGlyphIds.get(glyph.glyphId)!, glyph.cid * 2);
  }
  return map;
}

function utf16Hex(text: string): string {
  return Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();
}

function cidHex(cid: number): string {
  return cid.toString(16).toUpperCase().padStart(4, '0');
}

function toUnicodeCMap(glyphs: readonly CidGlyph[]): string {
  const mapped = glyphs.filter((glyph) => glyph.unicode.length > 0);
  const sections: string[] = [];
  // A bfchar section contains at most 100 entries.
  for (let i = 0; i < mapped.length; i += 100) {
    const chunk = mapped.slice(i, i + 100);
    sections.push(
      `${chunk.length} beginbfchar\n` +
        chunk.map((glyph) => `<${cidHex(glyph.cid)}> <${utf16Hex(glyph.unicode)}>`).join('\n') +
        '\nendbfchar',
    );
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...sections,
    'endcmap',
    'CMapName currentdict /CIDInit /ProcSet findresource /defineresource exch pop',
    'end',
    'end',
  ].join('\n');
}

/** Six capital letters naming the subset, derived from its glyphs so equal subsets get equal names. */
function subsetTag(source: LoadedFont, glyphs: readonly CidGlyph[]): string {
  const digest = createHash('sha256')
    .update(source.face)
    .update(glyphs.map((glyph) => `${glyph.cid}:${glyph.glyphId}`).join(','))
    .digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
}
