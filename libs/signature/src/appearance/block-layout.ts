/**
 * Geometry shared by the prepare-time and sign-time drawings of a signature block, in the
 * block's own coordinates (origin at its lower-left corner, user space units).
 */

/** Size of a block's widget on the certificate page, also used for the static part of invisible fields. */
export const BLOCK_WIDTH = 481;
export const BLOCK_HEIGHT = 94;

export const BLOCK_PADDING = 12;
/** Width of the colored bar along the block's left edge. */
export const ACCENT_BAR_WIDTH = 3;
export const NAME_SIZE = 14;
/** Distance from the block's top edge to the baseline of the name. */
export const NAME_BASELINE_FROM_TOP = 22;
/** Distance from the block's top edge to the baseline of the first detail line. */
export const DETAILS_TOP_FROM_TOP = 40;
export const DETAIL_SIZE = 8.5;
export const DETAIL_LINE_HEIGHT = 12;

export const INK: [number, number, number] = [0.1, 0.1, 0.12];
export const MUTED: [number, number, number] = [0.42, 0.43, 0.46];
export const ACCENT: [number, number, number] = [0.12, 0.29, 0.49];
export const SIGNED: [number, number, number] = [0.09, 0.46, 0.3];
export const PENDING: [number, number, number] = [0.72, 0.73, 0.75];

/** Baseline of the detail line `index` (0 first) in a block of the given height, never below the padding. */
export function detailBaseline(height: number, index: number, lineHeight = DETAIL_LINE_HEIGHT): number {
  return Math.max(height - DETAILS_TOP_FROM_TOP - index * lineHeight, 4);
}

/** Operators that fill the accent bar along the left edge of a block. */
export function accentBarOperators(height: number, color: [number, number, number]): string {
  return `q ${color.join(' ')} rg 0 0 ${ACCENT_BAR_WIDTH} ${height} re f Q\n`;
}
