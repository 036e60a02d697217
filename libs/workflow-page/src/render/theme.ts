import { formatHexColor, parseHexColor, Rgb } from '../branding';

/**
 * Builds the stylesheet that sets the brand colour as CSS custom properties. The colour must
 * already pass AA against white. The CSP forbids inline styles, so the page links this
 * stylesheet rather than setting a `style` attribute.
 */
export function renderThemeStylesheet(primaryColor: string): string {
  const rgb = parseHexColor(primaryColor) ?? [31, 78, 140];
  const darker = formatHexColor(rgb.map((channel) => Math.round(channel * 0.8)) as Rgb);
  const tint = formatHexColor(rgb.map((channel) => Math.round(channel + (255 - channel) * 0.9)) as Rgb);

  return `:root {\n  --brand: ${formatHexColor(rgb)};\n  --brand-strong: ${darker};\n  --brand-tint: ${tint};\n}\n`;
}
