import type { PageBranding } from '../branding';
import { html, SafeHtml } from '../html';
import { htmlLang, Translator } from '../i18n/translations';
import { ICONS } from './icons';

export interface LayoutOptions {
  translator: Translator;
  title: string;
  branding: PageBranding;
  /** Relative URL of the folder that serves `assets/` and `theme.css`, ending in `/`. */
  base: string;
  body: SafeHtml;
  /** Whether to load the page script, which only the interactive signing page needs. */
  withScript?: boolean;
  /** JSON data for the script, placed in a non-executed `application/json` block. */
  data?: SafeHtml;
  /** Text and target of the skip link, the first element keyboard users reach. */
  skipLabel: string;
  skipTarget?: string;
}

/** Wraps a page body in the document shell: head, branded header, footer. */
export function renderLayout(options: LayoutOptions): string {
  const { translator, branding, base } = options;
  const themeHref = `${base}theme.css?color=${branding.primaryColor.slice(1)}`;

  return html`<!doctype html>
<html lang="${htmlLang(translator.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${options.title}</title>
<link rel="stylesheet" href="${base}assets/workflow.css">
<link rel="stylesheet" href="${themeHref}">
${options.data ? html`<script type="application/json" id="workflow-data">${options.data}</script>` : ''}
${options.withScript ? html`<script type="module" src="${base}assets/workflow.js"></script>` : ''}
</head>
<body>
<a class="skip-link" href="${options.skipTarget ?? '#main'}">${options.skipLabel}</a>
<header class="site-header">
  <div class="container site-header__inner">
    ${renderBrand(branding)}
    <p class="secure-badge">${ICONS.lock}<span>${translator.t('secure_badge')}</span></p>
  </div>
</header>
<main id="main" class="container" tabindex="-1">
${options.body}
</main>
<footer class="site-footer">
  <div class="container">
    <p class="site-footer__security">${ICONS.shield}<span>${translator.t('footer_security')}</span></p>
    <p class="site-footer__powered">${translator.t('footer_powered')}</p>
  </div>
</footer>
</body>
</html>
`.value;
}

function renderBrand(branding: PageBranding): SafeHtml {
  if (branding.logoUrl) {
    return html`<div class="brand"><img class="brand__logo" src="${branding.logoUrl}" alt="${branding.displayName}" height="40"></div>`;
  }

  return html`<div class="brand"><span class="brand__name">${branding.displayName}</span></div>`;
}
