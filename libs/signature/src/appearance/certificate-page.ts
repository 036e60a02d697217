import { PDFContext, PDFDict, PDFRef } from 'pdf-lib';
import { embedDynamicFont } from '../fonts/dynamic-font';
import { formatNumber } from '../fonts/pdf-operators';
import { TextPainter } from '../fonts/text-painter';
import { PrepareSignatory } from '../signature-engine.types';
import { ACCENT, BLOCK_HEIGHT, BLOCK_WIDTH, INK, MUTED } from './block-layout';
import {
  STATIC_XOBJECT_PREFIX,
  blankAppearanceResources,
  drawBlankPart,
  drawStaticPart,
  registerFormXObject,
} from './block-static';
import { formatLabel, labelsFor } from './labels';
import { DYNAMIC_FONT_RESOURCE } from './signed-appearance';

/** A4 portrait in user space units. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MAX_SIGNATORIES = 4;

const CONTENT_WIDTH = BLOCK_WIDTH + 2;
const MARGIN_X = (PAGE_WIDTH - CONTENT_WIDTH) / 2;
const LABEL_COLUMN_WIDTH = 130;
const VALUE_X = MARGIN_X + LABEL_COLUMN_WIDTH + 10;
const VALUE_WIDTH = MARGIN_X + CONTENT_WIDTH - VALUE_X;
const CAPTION_HEIGHT = 18;
const FRAME_HEIGHT = CAPTION_HEIGHT + BLOCK_HEIGHT + 1;
const FRAME_GAP = 12;
const FIRST_FRAME_TOP = 574;
const RULE: [number, number, number] = [0.8, 0.81, 0.83];

export interface CertificatePageInput {
  documentName: string;
  /** SHA-256 of the uploaded file, 64 hexadecimal digits. */
  documentSha256: string;
  transactionUid: string;
  signatories: PrepareSignatory[];
}

export interface CertificateBlock {
  fieldName: string;
  /** Widget rectangle [x1 y1 x2 y2] on the certificate page. */
  rect: [number, number, number, number];
  /** Appearance before signing (/AP /N of the widget). */
  blankAppearance: PDFRef;
  /** Form XObject with the signatory's name, reused by the signed appearance. */
  staticAppearance: PDFRef;
  /** Name of `staticAppearance` in `signedAppearanceResources`' /XObject dictionary. */
  staticXObjectName: string;
}

export interface CertificatePage {
  pageWidth: number;
  pageHeight: number;
  contents: PDFRef;
  resources: PDFDict;
  blocks: CertificateBlock[];
  /** /Resources for signed appearances: the dynamic font and every block's static XObject. */
  signedAppearanceResources: PDFRef;
}

export interface InvisibleFieldsResources {
  blocks: Array<{ fieldName: string; staticAppearance: PDFRef; staticXObjectName: string }>;
  signedAppearanceResources: PDFRef;
}

function validateSignatories(signatories: PrepareSignatory[]): void {
  if (signatories.length < 1 || signatories.length > MAX_SIGNATORIES) {
    throw new Error(`Invalid signatory count ${signatories.length}: expected 1 to ${MAX_SIGNATORIES}`);
  }
}

function groupedSha256(sha256: string): string[] {
  if (!/^[0-9a-fA-F]{64}$/.test(sha256)) {
    throw new Error('Invalid document SHA-256: expected 64 hexadecimal digits');
  }
  const groups = sha256.toLowerCase().match(/.{8}/g)!;
  return [groups.slice(0, 4).join(' '), groups.slice(4).join(' ')];
}

function ruleOperators(y: number): string {
  return `q ${RULE.join(' ')} RG 0.5 w ${formatNumber(MARGIN_X)} ${y} m ${formatNumber(MARGIN_X + CONTENT_WIDTH)} ${y} l S Q\n`;
}

/** Returns the page operators of the header, the document details and the footer. */
function drawDocumentSection(painter: TextPainter, input: CertificatePageInput): string {
  const labels = labelsFor(input.signatories[0].language);
  let operators = `q ${ACCENT.join(' ')} rg ${formatNumber(MARGIN_X)} 806 ${formatNumber(CONTENT_WIDTH)} 2 re f Q\n`;
  operators += painter.drawText({ text: 'SecuSign', x: MARGIN_X, y: 790, size: 8, style: 'bold', color: ACCENT });
  operators += painter.drawText({
    text: labels.certificateTitle,
    x: MARGIN_X,
    y: 766,
    size: 20,
    style: 'bold',
    color: INK,
    maxWidth: CONTENT_WIDTH,
  });
  painter.wrap(labels.certificateIntro, 9, CONTENT_WIDTH).slice(0, 3).forEach((line, i) => {
    operators += painter.drawText({ text: line, x: MARGIN_X, y: 746 - i * 12, size: 9, color: MUTED, maxWidth: CONTENT_WIDTH });
  });
  operators += ruleOperators(712);

  // Row labels wrap to two lines in their column; a longer label is truncated.
  const label = (text: string, y: number) => {
    const lines = painter.wrap(text, 8, LABEL_COLUMN_WIDTH, 'bold');
    const labelLines = lines.length > 2 ? [lines[0], lines.slice(1).join(' ')] : lines;
    return labelLines
      .map((line, i) =>
        painter.drawText({
          text: line,
          x: MARGIN_X,
          y: y - i * 10,
          size: 8,
          style: 'bold',
          color: MUTED,
          maxWidth: LABEL_COLUMN_WIDTH,
          overflow: 'truncate',
        }),
      )
      .join('');
  };

  // The document name may be in any script and is wrapped to two lines, the second truncated.
  operators += label(labels.documentLabel, 692);
  const nameLines = painter.wrap(input.documentName.replace(/\s+/g, ' ').trim(), 10.5, VALUE_WIDTH);
  const shownLines = nameLines.length > 2 ? [nameLines[0], nameLines.slice(1).join(' ')] : nameLines;
  shownLines.forEach((line, i) => {
    operators += painter.drawText({
      text: line,
      x: VALUE_X,
      y: 692 - i * 14,
      size: 10.5,
      color: INK,
      maxWidth: VALUE_WIDTH,
      overflow: 'truncate',
    });
  });

  operators += label(labels.sha256Label, 658);
  groupedSha256(input.documentSha256).forEach((line, i) => {
    operators += painter.drawText({ text: line, x: VALUE_X, y: 658 - i * 12, size: 9.5, style: 'mono', color: INK });
  });

  operators += label(labels.transactionLabel, 624);
  operators += painter.drawText({
    text: input.transactionUid,
    x: VALUE_X,
    y: 624,
    size: 9.5,
    style: 'mono',
    color: INK,
    maxWidth: VALUE_WIDTH,
  });
  operators += ruleOperators(606);
  operators += painter.drawText({ text: labels.signatoriesLabel, x: MARGIN_X, y: 586, size: 12, style: 'bold', color: INK });

  operators += painter.drawText({
    text: labels.footer,
    x: PAGE_WIDTH / 2,
    y: 40,
    size: 7.5,
    align: 'center',
    color: MUTED,
    maxWidth: CONTENT_WIDTH,
  });
  return operators;
}

/** Returns the frame rectangle [x, y, width, height] of block `index` (0 first), top to bottom. */
function frameOf(index: number): [number, number, number, number] {
  const top = FIRST_FRAME_TOP - index * (FRAME_HEIGHT + FRAME_GAP);
  return [MARGIN_X, top - FRAME_HEIGHT, CONTENT_WIDTH, FRAME_HEIGHT];
}

/**
 * Draws the signature-certificate page into `context`: a new A4 page content stream, the blank
 * and static appearances of one block per signatory (1 to 4), and the fonts they need, subset
 * once here so that signing does no font work. Only new indirect objects are created.
 */
export function buildCertificatePage(context: PDFContext, input: CertificatePageInput): CertificatePage {
  validateSignatories(input.signatories);
  const painter = new TextPainter(context, 'SSF');
  const page = labelsFor(input.signatories[0].language);

  let operators = drawDocumentSection(painter, input);
  const drawings = input.signatories.map((signatory, index) => {
    const [x, y, width, height] = frameOf(index);
    operators += `q ${RULE.join(' ')} RG 0.6 w ${formatNumber(x)} ${formatNumber(y)} ${formatNumber(width)} ${formatNumber(height)} re S Q\n`;
    operators += painter.drawText({
      text: formatLabel(page.signatoryCaption, { index: index + 1, count: input.signatories.length }),
      x: x + 10,
      y: y + height - 12.5,
      size: 7.5,
      style: 'bold',
      color: MUTED,
      maxWidth: width - 20,
    });
    const rect: [number, number, number, number] = [x + 1, y + 1, x + 1 + BLOCK_WIDTH, y + 1 + BLOCK_HEIGHT];
    return {
      signatory: signatory,
      rect,
      staticOperators: drawStaticPart(painter, signatory, BLOCK_WIDTH, BLOCK_HEIGHT),
      blankOperators: drawBlankPart(painter, signatory, BLOCK_WIDTH, BLOCK_HEIGHT),
    };
  });

  const fonts = context.register(painter.embed());
  const blocks = drawings.map((drawing, index): CertificateBlock => {
    const staticAppearance = registerFormXObject(context, drawing.staticOperators, BLOCK_WIDTH, BLOCK_HEIGHT, { Font: fonts });
    const blankAppearance = registerFormXObject(
      context,
      drawing.blankOperators,
      BLOCK_WIDTH,
      BLOCK_HEIGHT,
      blankAppearanceResources(fonts, staticAppearance),
    );
    return {
      fieldName: drawing.signatory.fieldName,
      rect: drawing.rect,
      blankAppearance,
      staticAppearance,
      staticXObjectName: `${STATIC_XOBJECT_PREFIX}${index + 1}`,
    };
  });

  return {
    pageWidth: PAGE_WIDTH,
    pageHeight: PAGE_HEIGHT,
    contents: context.register(context.flateStream(operators)),
    resources: context.obj({ Font: fonts, ProcSet: ['PDF', 'Text'] }),
    blocks,
    signedAppearanceResources: registerSignedAppearanceResources(context, blocks),
  };
}

function registerSignedAppearanceResources(
  context: PDFContext,
  blocks: Array<{ staticAppearance: PDFRef; staticXObjectName: string }>,
): PDFRef {
  const xObjects: Record<string, PDFRef> = {};
  for (const block of blocks) {
    xObjects[block.staticXObjectName] = block.staticAppearance;
  }
  const resources = context.obj({
    Font: { [DYNAMIC_FONT_RESOURCE]: embedDynamicFont(context) },
    XObject: xObjects,
    ProcSet: ['PDF', 'Text'],
  });
  return context.register(resources);
}

/**
 * Prepares the signed-appearance parts of invisible signature fields, for documents that arrive
 * signed and get no certificate page: each signatory's static XObject (sized like a page block)
 * and the resources with the dynamic font.
 */
export function buildInvisibleFieldsResources(context: PDFContext, signatories: PrepareSignatory[]): InvisibleFieldsResources {
  validateSignatories(signatories);
  const painter = new TextPainter(context, 'SSF');
  const operators = signatories.map((signatory) => drawStaticPart(painter, signatory, BLOCK_WIDTH, BLOCK_HEIGHT));
  const fonts = context.register(painter.embed());
  const blocks = signatories.map((signatory, index) => ({
    fieldName: signatory.fieldName,
    staticAppearance: registerFormXObject(context, operators[index], BLOCK_WIDTH, BLOCK_HEIGHT, { Font: fonts }),
    staticXObjectName: `${STATIC_XOBJECT_PREFIX}${index + 1}`,
  }));
  return { blocks, signedAppearanceResources: registerSignedAppearanceResources(context, blocks) };
}
