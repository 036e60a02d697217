import * as fontkit from '@pdf-lib/fontkit';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFContext, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { embedDynamicFont, dynamicFontCharset } from './dynamic-font';
import { loadFont } from './font-files';
import { TextPainter } from './text-painter';
import { subsetTrueType } from './truetype-subset';

function outline(font: fontkit.Font, glyphId: number): string {
  return font.getGlyph(glyphId).path.toSVG();
}

function streamBytes(context: PDFContext, ref: unknown): Buffer {
  const stream = context.lookup(ref as PDFRef) as PDFRawStream;
  return inflateSync(stream.contents);
}

/** Returns the embedded font program and the CIDToGIDMap (or null for /Identity) of a Type0 font. */
function embeddedFont(context: PDFContext, type0Ref: PDFRef): { program: fontkit.Font; cidToGid: Buffer | null; cidFont: PDFDict } {
  const type0 = context.lookup(type0Ref) as PDFDict;
  const cidFont = context.lookup((type0.get(PDFName.of('DescendantFonts')) as PDFArray).get(0)) as PDFDict;
  const descriptor = context.lookup(cidFont.get(PDFName.of('FontDescriptor'))) as PDFDict;
  const program = fontkit.create(streamBytes(context, descriptor.get(PDFName.of('FontFile2'))));
  const map = cidFont.get(PDFName.of('CIDToGIDMap'));
  return { program, cidToGid: map instanceof PDFRef ? streamBytes(context, map) : null, cidFont };
}

describe('TrueType subset', () => {
  // Google-built Noto fonts have glyphs of odd byte length, which broke fontkit's own subsetter.
  it.each([
    ['cjk', '王小明李华张伟'],
    ['sans', 'éÅŁğἈλέξ'],
    ['hangul', '김민준이서연'],
    ['hangul-bold', '김민준이서연'],
    ['emoji', '😀🧑👍'],
  ] as const)('keeps %s glyph outlines', (face, text) => {
    const source = loadFont(face);
    const glyphIds = Array.from(text, (character) => source.font.glyphForCodePoint(character.codePointAt(0)!).id);
    const subset = subsetTrueType(source.bytes, [0, ...glyphIds]);
    const parsed = fontkit.create(subset.bytes);

    glyphIds.forEach((glyphId, i) => {
      expect(subset.newGlyphIds.get(glyphId)).toBe(i + 1);
      expect(outline(parsed, i + 1)).toBe(outline(source.font, glyphId));
      expect(outline(parsed, i + 1).length).toBeGreaterThan(20);
      expect(parsed.getGlyph(i + 1).advanceWidth).toBe(source.font.getGlyph(glyphId).advanceWidth);
    });
    expect(parsed.numGlyphs).toBeGreaterThanOrEqual(glyphIds.length + 1);
  });

  it('rejects a subset without .notdef first', () => {
    expect(() => subsetTrueType(loadFont('sans').bytes, [5])).toThrow('glyph 0');
  });
});

describe('dynamic font', () => {
  it('maps each code point to its glyph', async () => {
    const { context } = await PDFDocument.create();
    const { program, cidToGid, cidFont } = embeddedFont(context, embedDynamicFont(context));
    const source = loadFont('sans').font;

    expect(cidToGid).not.toBeNull();
    for (const codePoint of dynamicFontCharset()) {
      const glyphId = cidToGid!.readUInt16BE(codePoint * 2);
      expect({ codePoint, outline: outline(program, glyphId) }).toEqual({
        codePoint,
        outline: outline(source, source.glyphForCodePoint(codePoint).id),
      });
    }
    expect(cidFont.get(PDFName.of('W'))).toBeInstanceOf(PDFArray);
  });
});

describe('TextPainter', () => {
  it('numbers CIDs as subset glyph ids', async () => {
    const document = await PDFDocument.create();
    const painter = new TextPainter(document);
    painter.drawText({ text: 'Zoë 王小明 محمد', x: 0, y: 0, size: 12 });
    const fonts = painter.embed();

    const faces = fonts.keys().map((key) => key.asString());
    expect(faces).toEqual(['/F1', '/F2']);
    for (const key of fonts.keys()) {
      const { program, cidToGid } = embeddedFont(document.context, fonts.get(key) as PDFRef);
      expect(cidToGid).toBeNull();
      expect(program.numGlyphs).toBeGreaterThan(3);
    }
  });

  it('maps right-to-left ligatures in visual order', async () => {
    const document = await PDFDocument.create();
    const painter = new TextPainter(document);
    painter.drawText({ text: 'الأحمد', x: 0, y: 0, size: 12 });
    const fonts = painter.embed();
    const type0 = document.context.lookup(fonts.get(PDFName.of('F1')) as PDFRef) as PDFDict;
    const cmap = streamBytes(document.context, type0.get(PDFName.of('ToUnicode'))).toString('latin1');
    // Lam-alef with hamza above (U+0644 U+0623) is one glyph, listed as U+0623 U+0644.
    expect(cmap).toContain('<06230644>');
  });

  it('replaces characters no face has', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    const withMissing = painter.measure('a\u{10FFFD}b', 10);
    expect(withMissing).toBeCloseTo(painter.measure('a?b', 10));
    expect(painter.drawText({ text: '\u{10FFFD}', x: 0, y: 0, size: 10 })).toContain('TJ');
  });

  it('rejects new glyphs after embed', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    painter.drawText({ text: 'abc', x: 0, y: 0, size: 10 });
    painter.embed();
    expect(() => painter.drawText({ text: 'cab', x: 0, y: 0, size: 10 })).not.toThrow();
    expect(() => painter.drawText({ text: 'xyz', x: 0, y: 0, size: 10 })).toThrow('after embed()');
  });

  it('shrinks then truncates to maxWidth', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    const text = 'A rather long document name that cannot fit';
    const full = painter.measure(text, 10);
    const shrunk = painter.drawText({ text, x: 0, y: 0, size: 10, maxWidth: full * 0.9 });
    expect(shrunk).toContain('/F1 9 Tf');
    const truncated = painter.drawText({ text, x: 0, y: 0, size: 10, maxWidth: full / 2 });
    expect(truncated).toContain('/F1 7.5 Tf');
    expect(painter.measure('…', 10)).toBeGreaterThan(0);
  });

  it('wraps words and long CJK runs', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    const width = painter.measure('three four', 10);
    expect(painter.wrap('one two three four', 10, width)).toEqual(['one two', 'three four']);
    const cjk = '王小明'.repeat(10);
    const lines = painter.wrap(cjk, 10, painter.measure('王小明', 10));
    expect(lines.join('')).toBe(cjk);
    expect(lines.length).toBe(10);
  });

  it('aligns right and center', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    const width = painter.measure('Total', 10);
    expect(painter.drawText({ text: 'Total', x: 100, y: 0, size: 10, align: 'right' })).toContain(
      `1 0 0 1 ${Math.round((100 - width) * 1000) / 1000} 0 Tm`,
    );
    expect(painter.drawText({ text: 'Total', x: 100, y: 0, size: 10, align: 'center' })).toContain(
      `1 0 0 1 ${Math.round((100 - width / 2) * 1000) / 1000} 0 Tm`,
    );
  });
});

describe('TextPainter overflow', () => {
  it('truncates without shrinking', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    const text = 'A rather long document name that cannot fit';
    const operators = painter.drawText({ text, x: 0, y: 0, size: 10, maxWidth: painter.measure(text, 10) * 0.9, overflow: 'truncate' });
    expect(operators).toContain('/F1 10 Tf');
  });
});

describe('TextPainter control characters', () => {
  it('draws line breaks as spaces', async () => {
    const painter = new TextPainter(await PDFDocument.create());
    expect(painter.measure('a\nb\tc', 10)).toBeCloseTo(painter.measure('a b c', 10));
  });
});

describe('TextPainter faces', () => {
  it.each([
    ['김민준', 'regular', 'hangul'],
    ['김민준', 'bold', 'hangul-bold'],
    ['😀', 'regular', 'emoji'],
    ['🧑', 'bold', 'emoji-bold'],
  ] as const)('draws %s in %s with %s', async (text, style, face) => {
    const painter = new TextPainter(await PDFDocument.create());
    painter.drawText({ text, x: 0, y: 0, size: 10, style });

    const embedded = painter.embed();

    expect(embedded.keys()).toHaveLength(1);
    expect(painter['faces'].has(face)).toBe(true);
  });

  it('shapes a ZWJ sequence as one glyph', async () => {
    const painter = new TextPainter(await PDFDocument.create());

    painter.drawText({ text: '👨\u200d👩\u200d👧', x: 0, y: 0, size: 10 });

    expect(painter['faces'].get('emoji')?.glyphs.size).toBe(1);
  });
});
