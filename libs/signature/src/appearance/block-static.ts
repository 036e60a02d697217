import { PDFContext, PDFRef } from 'pdf-lib';
import { TextPainter } from '../fonts/text-painter';
import { PrepareSignatory } from '../signature-engine.types';
import {
  ACCENT_BAR_WIDTH,
  BLOCK_PADDING,
  DETAIL_SIZE,
  INK,
  ACCENT,
  MUTED,
  NAME_BASELINE_FROM_TOP,
  NAME_SIZE,
  PENDING,
  accentBarOperators,
  detailBaseline,
} from './block-layout';
import { labelsFor } from './labels';

/** Prefix of the static XObjects' names in `signedAppearanceResources`: `SSBlock1`, `SSBlock2`… */
export const STATIC_XOBJECT_PREFIX = 'SSBlock';
/** Name of the static XObject inside a blank appearance's resources. */
const BLANK_STATIC_NAME = 'SSStatic';

export function signatoryDisplayName(signatory: PrepareSignatory): string {
  return `${signatory.firstname.trim()} ${signatory.lastname.trim()}`.trim();
}

/** Operators of a block's static part: the signatory's name, in any script. */
export function drawStaticPart(painter: TextPainter, signatory: PrepareSignatory, width: number, height: number): string {
  const x = BLOCK_PADDING + ACCENT_BAR_WIDTH;
  return painter.drawText({
    text: signatoryDisplayName(signatory),
    x,
    y: height - NAME_BASELINE_FROM_TOP,
    size: NAME_SIZE,
    maxWidth: width - x - BLOCK_PADDING,
    style: 'bold',
    color: INK,
  });
}

/** Operators of a block before signing: the static part, level, authentication method and status. */
export function drawBlankPart(painter: TextPainter, signatory: PrepareSignatory, width: number, height: number): string {
  const labels = labelsFor(signatory.language);
  const x = BLOCK_PADDING + ACCENT_BAR_WIDTH;
  const maxWidth = width - x - BLOCK_PADDING;
  const level = signatory.signatureLevel === 'advanced' ? labels.levelAdvanced : labels.levelSimple;
  const method = signatory.authentication === 'sms' ? labels.authenticationSms : labels.authenticationEmail;

  let operators = `q\n/${BLANK_STATIC_NAME} Do\nQ\n`;
  operators += accentBarOperators(height, PENDING);
  operators += painter.drawText({ text: level, x, y: detailBaseline(height, 0), size: DETAIL_SIZE, maxWidth, color: ACCENT });
  operators += painter.drawText({ text: method, x, y: detailBaseline(height, 1), size: DETAIL_SIZE, maxWidth, color: INK });
  operators += painter.drawText({
    text: labels.awaitingSignature,
    x,
    y: detailBaseline(height, 3),
    size: DETAIL_SIZE,
    maxWidth,
    color: MUTED,
  });
  return operators;
}

/** Registers a form XObject with BBox [0 0 width height] holding the given operators. */
export function registerFormXObject(
  context: PDFContext,
  operators: string,
  width: number,
  height: number,
  resources: Record<string, unknown>,
): PDFRef {
  const stream = context.flateStream(operators, {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [0, 0, width, height],
    Resources: resources as never,
  });
  return context.register(stream);
}

/** Resources of a blank appearance: the shared fonts and the block's static XObject. */
export function blankAppearanceResources(fonts: PDFRef, staticAppearance: PDFRef): Record<string, unknown> {
  return { Font: fonts, XObject: { [BLANK_STATIC_NAME]: staticAppearance } };
}
