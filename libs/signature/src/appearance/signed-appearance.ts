import { drawDynamicText } from '../fonts/dynamic-text';
import { SignAppearance } from '../signature-engine.types';
import {
  ACCENT_BAR_WIDTH,
  BLOCK_PADDING,
  DETAIL_LINE_HEIGHT,
  DETAIL_SIZE,
  DETAILS_TOP_FROM_TOP,
  INK,
  MUTED,
  SIGNED,
  accentBarOperators,
  detailBaseline,
} from './block-layout';
import { formatLabel, labelsFor } from './labels';

/** Resource name of the dynamic font in `signedAppearanceResources`. */
export const DYNAMIC_FONT_RESOURCE = 'SSDyn';

export interface SignedAppearanceInput {
  /** Size of the widget's appearance BBox, in user space units. */
  width: number;
  height: number;
  /** Name under which the block's static XObject (the signatory's name) is in the appearance's resources. */
  staticXObjectName: string;
  signedAt: Date;
  appearance: SignAppearance;
  certificateSubject: string;
  certificateSerial: string;
}

/** Formats a time as `YYYY-MM-DD HH:MM:SS UTC`, to the second like the signature's /M. */
export function formatSigningTime(signedAt: Date): string {
  return `${signedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Builds the content stream of a signed block: the static XObject prepared with the page, then
 * the level, signing time, authentication, certificate subject and serial in the dynamic font.
 * Pure string building: no font file is read and no PDF is parsed. Characters outside the
 * dynamic font's charset are drawn as `?`.
 */
export function buildSignedAppearance(input: SignedAppearanceInput): string {
  const labels = labelsFor(input.appearance.language);
  const { width, height } = input;
  const level = input.appearance.signatureLevel === 'advanced' ? labels.levelAdvanced : labels.levelSimple;
  const verified = formatLabel(input.appearance.authentication === 'sms' ? labels.verifiedSms : labels.verifiedEmail, {
    destination: input.appearance.maskedDestination,
  });
  const lines: Array<{ text: string; color: [number, number, number] }> = [
    { text: level, color: SIGNED },
    { text: formatLabel(labels.signedAt, { date: formatSigningTime(input.signedAt) }), color: INK },
    { text: verified, color: INK },
    { text: formatLabel(labels.certificateSubject, { subject: input.certificateSubject }), color: MUTED },
    { text: formatLabel(labels.certificateSerial, { serial: input.certificateSerial }), color: MUTED },
  ];

  // Shrink the line pitch when the block is lower than the prepared layout.
  const available = height - DETAILS_TOP_FROM_TOP - 2;
  const lineHeight = Math.min(DETAIL_LINE_HEIGHT, Math.max(available / (lines.length - 1), 6));
  const size = Math.min(DETAIL_SIZE, lineHeight * 0.75);
  const x = BLOCK_PADDING + ACCENT_BAR_WIDTH;
  const maxWidth = Math.max(width - x - BLOCK_PADDING, 1);

  let operators = `q\n/${input.staticXObjectName} Do\nQ\n`;
  operators += accentBarOperators(height, SIGNED);
  lines.forEach((line, index) => {
    operators += drawDynamicText({
      fontName: DYNAMIC_FONT_RESOURCE,
      text: line.text,
      x,
      y: detailBaseline(height, index, lineHeight),
      size,
      maxWidth,
      color: line.color,
    });
  });
  return operators;
}
