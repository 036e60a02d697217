/** Colour of buttons, links and the step indicator when the client sets none (slate blue). */
export const DEFAULT_PRIMARY_COLOR = '#1f4e8c';

/** WCAG 2.1 AA minimum contrast ratio for normal-size text (success criterion 1.4.3). */
export const MINIMUM_CONTRAST_RATIO = 4.5;

/** Branding as the page uses it: a colour that passes AA against white and a logo it may load. */
export interface PageBranding {
  displayName: string;
  /** `#rrggbb`, readable as white text on it and as text on a white background. */
  primaryColor: string;
  /** An https URL, or null when the client set anything else. */
  logoUrl: string | null;
}

export interface ClientBranding {
  displayName: string | null;
  primaryColor: string | null;
  logoUrl: string | null;
}

/** Builds the page branding from the client's settings, falling back to SecuSign's own. */
export function toPageBranding(client: ClientBranding, fallbackName: string): PageBranding {
  return {
    displayName: client.displayName?.trim() || fallbackName,
    primaryColor: accessiblePrimaryColor(client.primaryColor),
    logoUrl: httpsUrlOrNull(client.logoUrl),
  };
}

/**
 * Returns the colour as `#rrggbb`, darkened just enough to reach a 4.5:1 contrast ratio with
 * white, because the page draws white text on it and uses it for text on white.
 * An unparsable value gives the default colour.
 */
export function accessiblePrimaryColor(color: string | null | undefined): string {
  const rgb = parseHexColor(color ?? '');
  if (!rgb) {
    return DEFAULT_PRIMARY_COLOR;
  }

  let candidate = rgb;
  // Each step scales every channel by 0.95, which keeps the hue and lowers luminance. The
  // channels reach 0 within 62 steps (floor rounding), and black has a ratio of 21 with white.
  while (contrastRatio(candidate, WHITE) < MINIMUM_CONTRAST_RATIO) {
    candidate = candidate.map((channel) => Math.floor(channel * 0.95)) as Rgb;
  }

  return formatHexColor(candidate);
}

export type Rgb = [number, number, number];

const WHITE: Rgb = [255, 255, 255];

/** Parses `#rgb` or `#rrggbb`, with or without the leading `#`. Returns null for anything else. */
export function parseHexColor(value: string): Rgb | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match) {
    return null;
  }
  const digits = match[1].length === 3 ? [...match[1]].map((digit) => digit + digit).join('') : match[1];

  return [0, 2, 4].map((offset) => parseInt(digits.slice(offset, offset + 2), 16)) as Rgb;
}

export function formatHexColor(rgb: Rgb): string {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}

/** Computes the relative luminance defined by WCAG 2.1 from sRGB channels of 0–255. */
export function relativeLuminance([red, green, blue]: Rgb): number {
  const linear = (channel: number): number => {
    const value = channel / 255;

    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };

  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

export function contrastRatio(first: Rgb, second: Rgb): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a);

  return (lighter + 0.05) / (darker + 0.05);
}

/**
 * Returns the URL when it is an absolute https URL without credentials. The page loads the
 * logo with a plain `<img>`; the CSP allows `img-src https:` and `Referrer-Policy: no-referrer`
 * keeps the signatory's link out of the logo host's logs.
 */
export function httpsUrlOrNull(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  try {
    const url = new URL(value);

    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url.toString() : null;
  } catch {
    return null;
  }
}
