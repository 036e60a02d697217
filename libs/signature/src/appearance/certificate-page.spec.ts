import { PDFDocument, PDFRawStream, PDFRef } from 'pdf-lib';
import { inflateSync } from 'node:zlib';
import { ACCENT_BAR_WIDTH, BLOCK_HEIGHT, BLOCK_PADDING, BLOCK_WIDTH, NAME_BASELINE_FROM_TOP } from './block-layout';
import { buildCertificatePage, buildInvisibleFieldsResources, PAGE_HEIGHT } from './certificate-page';
import { certificatePagePdf, darkPixels, extractText, rasterize, signatory, withoutDirectionMarks } from './test/certificate-pdf';

const NAMES: Array<[string, string]> = [
  ['Zoë', 'Łukasiewicz'],
  ['Ἀλέξανδρος', 'Παπαδόπουλος'],
  ['Мария', 'Иванова'],
  ['דוד', 'לוי'],
  ['محمد', 'الأحمد'],
  ['王小明', ''],
];

/**
 * Minimum dark pixels (at 72 dpi) per letter in a name's band for it to count as drawn. Measured
 * with the fonts in use: about 22 per letter for Hebrew (the thinnest), 69 for CJK; a blank
 * subset gives 0, a name with some glyphs blank falls short.
 */
const MIN_INKED_PIXELS_PER_LETTER = 15;

/** Band of the widget that holds only the name: from just below its baseline to the top padding. */
function nameBand(rect: [number, number, number, number]): [number, number, number, number] {
  const top = rect[3];
  return [rect[0] + BLOCK_PADDING + ACCENT_BAR_WIDTH - 2, top - NAME_BASELINE_FROM_TOP - 4, rect[2], top - 4];
}

function textLines(bytes: Buffer): string[] {
  return withoutDirectionMarks(extractText(bytes))
    .split('\n')
    .map((line) => line.trim());
}

describe('certificate page', () => {
  // A page holds at most four blocks, so the six names are spread over two documents.
  const documents = [NAMES.slice(0, 4), NAMES.slice(4)].map((names, documentIndex) =>
    names.map(([firstname, lastname], i) =>
      signatory(i + 1, firstname, lastname, (['EN', 'FR', 'DE', 'ES', 'IT'] as const)[(documentIndex * 4 + i) % 5]),
    ),
  );

  it.each(documents.map((signatories, i) => [i + 1, signatories] as const))(
    'names extract and render, document %i',
    async (_index, signatories) => {
      const { bytes, page } = await certificatePagePdf(signatories);
      const lines = textLines(bytes);
      const image = rasterize(bytes);

      signatories.forEach((entry, i) => {
        const name = `${entry.firstname} ${entry.lastname}`.trim();
        expect(lines).toContain(name);
        const inked = darkPixels(image, PAGE_HEIGHT, nameBand(page.blocks[i].rect));
        const letters = name.replace(/\s/g, '').length;
        expect({ name, inked: inked >= letters * MIN_INKED_PIXELS_PER_LETTER }).toEqual({ name, inked: true });
      });
    },
  );

  it.each([
    ['김민준', '이서연'],
    ['王小明', '김'],
  ])('Hangul name %s %s extracts and renders', async (firstname, lastname) => {
    const { bytes, page } = await certificatePagePdf([signatory(1, firstname, lastname, 'EN')]);
    const name = `${firstname} ${lastname}`;

    const inked = darkPixels(rasterize(bytes), PAGE_HEIGHT, nameBand(page.blocks[0].rect));

    expect(textLines(bytes)).toContain(name);
    expect(inked).toBeGreaterThanOrEqual(name.replace(/\s/g, '').length * MIN_INKED_PIXELS_PER_LETTER);
  });

  it('emoji name renders', async () => {
    // One glyph each: a face, and a family drawn from a ZWJ sequence.
    const { bytes, page } = await certificatePagePdf([signatory(1, '😀', '👨\u200d👩\u200d👧')]);

    const inked = darkPixels(rasterize(bytes), PAGE_HEIGHT, nameBand(page.blocks[0].rect));

    expect(extractText(bytes)).toContain('👨\u200d👩\u200d👧');
    expect(inked).toBeGreaterThanOrEqual(2 * MIN_INKED_PIXELS_PER_LETTER);
  });

  it('empty name band has no ink', async () => {
    const { bytes, page } = await certificatePagePdf([signatory(1, ' ', ' ')]);
    expect(darkPixels(rasterize(bytes), PAGE_HEIGHT, nameBand(page.blocks[0].rect))).toBe(0);
  });

  it('shows document details and block labels', async () => {
    const { bytes } = await certificatePagePdf(
      [signatory(1, 'Zoë', 'Łukasiewicz', 'FR', 'advanced', 'sms'), signatory(2, 'Ann', 'Lee', 'EN', 'simple', 'email')],
      {},
      '契約書 2026.pdf',
    );
    const text = extractText(bytes);
    expect(text).toContain('Certificat de signature');
    expect(text).toContain('契約書 2026.pdf');
    expect(text).toContain('e3b0c442 98fc1c14 9afbf4c8 996fb924');
    expect(text).toContain('27ae41e4 649b934c a495991b 7852b855');
    expect(text).toContain('tx_01JH4Z7Q8M3N5P6R7S8T9V0W1X');
    expect(text).toContain('Signature électronique avancée');
    expect(text).toContain('Code à usage unique par SMS');
    expect(text).toContain('Simple electronic signature');
    expect(text).toContain('One-time code by email');
    expect(text).toContain('Awaiting signature');
  });

  it('places blocks inside the page', async () => {
    const { page } = await certificatePagePdf(documents[0]);
    expect(page.blocks.map((block) => block.fieldName)).toEqual(['Signature1', 'Signature2', 'Signature3', 'Signature4']);
    for (const { rect } of page.blocks) {
      expect(rect[2] - rect[0]).toBeCloseTo(BLOCK_WIDTH);
      expect(rect[3] - rect[1]).toBeCloseTo(BLOCK_HEIGHT);
      expect(rect[0]).toBeGreaterThan(0);
      expect(rect[1]).toBeGreaterThan(0);
      expect(rect[2]).toBeLessThan(page.pageWidth);
      expect(rect[3]).toBeLessThan(page.pageHeight);
    }
    for (let i = 1; i < page.blocks.length; i++) {
      expect(page.blocks[i].rect[3]).toBeLessThan(page.blocks[i - 1].rect[1]);
    }
  });

  it('adds objects without changing existing ones', async () => {
    const source = await PDFDocument.create();
    source.addPage();
    source.setTitle('Original');
    const loaded = await PDFDocument.load(await source.save({ useObjectStreams: false }));
    const context = loaded.context;
    const before = new Map(context.enumerateIndirectObjects().map(([ref, object]) => [ref.tag, object.toString()]));
    const largest = context.largestObjectNumber;

    buildCertificatePage(context, {
      documentName: 'a.pdf',
      documentSha256: 'ab'.repeat(32),
      transactionUid: 'tx_1',
      signatories: [signatory(1, 'Zoë', 'Łukasiewicz')],
    });

    for (const [ref, object] of context.enumerateIndirectObjects()) {
      if (ref.objectNumber <= largest) {
        expect(object.toString()).toBe(before.get(ref.tag));
      }
    }
    expect(context.enumerateIndirectObjects().length).toBeGreaterThan(before.size);
  });

  it('rejects invalid input', async () => {
    const { context } = await PDFDocument.create();
    const input = { documentName: 'a.pdf', documentSha256: 'ab'.repeat(32), transactionUid: 'tx_1' };
    const five = [1, 2, 3, 4, 5].map((i) => signatory(i, 'A', String(i)));

    expect(() => buildCertificatePage(context, { ...input, signatories: [] })).toThrow('Invalid signatory count 0');
    expect(() => buildCertificatePage(context, { ...input, signatories: five })).toThrow('Invalid signatory count 5');
    expect(() =>
      buildCertificatePage(context, { ...input, documentSha256: 'xyz', signatories: [signatory(1, 'A', 'B')] }),
    ).toThrow('Invalid document SHA-256');
  });
});

describe('invisible fields resources', () => {
  it('prepares one static part per signatory', async () => {
    const document = await PDFDocument.create();
    const result = buildInvisibleFieldsResources(document.context, [signatory(1, '王小明', ''), signatory(2, 'Мария', 'Иванова')]);

    expect(result.blocks.map((block) => [block.fieldName, block.staticXObjectName])).toEqual([
      ['Signature1', 'SSBlock1'],
      ['Signature2', 'SSBlock2'],
    ]);
    const resources = document.context.lookup(result.signedAppearanceResources)!.toString();
    expect(resources).toContain('/SSDyn');
    expect(resources).toContain('/SSBlock1');
    const staticStream = document.context.lookup(result.blocks[0].staticAppearance) as PDFRawStream;
    const operators = inflateSync(staticStream.contents).toString('latin1');
    expect(operators).toMatch(/ Tf\n/);
    expect(staticStream.dict.toString()).toContain(`/BBox [ 0 0 ${BLOCK_WIDTH} ${BLOCK_HEIGHT} ]`);
    expect(result.signedAppearanceResources).toBeInstanceOf(PDFRef);
  });
});
