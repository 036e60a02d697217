/**
 * Formats a timestamp as the API does: ISO 8601 UTC with six fraction digits.
 * JavaScript dates hold milliseconds, so the last three digits are always zero.
 */
export function formatTimestamp(date: Date): string;
export function formatTimestamp(date: Date | null | undefined): string | null;
export function formatTimestamp(date: Date | null | undefined): string | null {
  if (!date) {
    return null;
  }

  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
