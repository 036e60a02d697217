import type { PageBranding } from '../branding';
import { html, jsonForScript, SafeHtml } from '../html';
import { Translator } from '../i18n/translations';
import type { PageKind, PageModel } from '../page-model';
import { ICONS } from './icons';
import { renderLayout } from './layout';

/** State of one step in the step indicator. */
export type StepState = 'done' | 'current' | 'upcoming';

export interface StepStates {
  identification: StepState;
  authentication: StepState;
  signature: StepState;
}

const STEP_ORDER = ['identification', 'authentication', 'signature'] as const;

/** Returns the relative path from the page (`/{uid}/workflow/`) to the signatory's JSON API. */
export function apiPathOf(signatoryUid: string): string {
  return `../../api/v1/workflow/${signatoryUid}`;
}

/** Renders the page a signatory's link shows for the model's kind. */
export function renderSignatoryPage(model: PageModel, translator: Translator): string {
  if (model.kind === 'sign') {
    return renderSigningPage(model, translator);
  }

  return renderMessagePage(model, translator);
}

/** Renders the 404 page of an unknown or malformed link, with SecuSign's own branding. */
export function renderNotFoundPage(translator: Translator, branding: PageBranding, base: string): string {
  const body = html`
<div class="message-card message-card--neutral">
  <div class="message-card__icon">${ICONS.unknown}</div>
  <h1>${translator.t('not_found_heading')}</h1>
  <p>${translator.t('not_found_text')}</p>
</div>`;

  return renderLayout({ translator, branding, base, title: translator.t('not_found_title'), body, skipLabel: translator.t('skip_to_content') });
}

/** Renders the page shown when the signing page cannot be loaded, such as when the database is down. */
export function renderErrorPage(translator: Translator, branding: PageBranding, base: string): string {
  const body = html`
<div class="message-card message-card--warning">
  <div class="message-card__icon">${ICONS.clock}</div>
  <h1>${translator.t('error_page_heading')}</h1>
  <p>${translator.t('error_generic')}</p>
</div>`;

  return renderLayout({ translator, branding, base, title: translator.t('error_page_heading'), body, skipLabel: translator.t('skip_to_content') });
}

function documentName(model: PageModel, translator: Translator): string {
  return model.transaction.name?.trim() || translator.t('untitled_document');
}

function fullName(model: PageModel): string {
  return `${model.signatory.firstname} ${model.signatory.lastname}`.trim();
}

function pageTitle(model: PageModel, translator: Translator): string {
  return translator.t('page_title', { document: documentName(model, translator), client: model.branding.displayName });
}

function renderIntro(model: PageModel, translator: Translator): SafeHtml {
  return html`
<div class="intro">
  <p class="intro__greeting">${translator.t('greeting', { name: fullName(model) })}</p>
  <h1 class="intro__heading">${translator.t('intro', { client: model.branding.displayName, document: documentName(model, translator) })}</h1>
</div>`;
}

/** Renders the step indicator: an ordered list whose current item carries `aria-current="step"`. */
export function renderSteps(states: StepStates, translator: Translator): SafeHtml {
  const items = STEP_ORDER.map((step, index) => {
    const state = states[step];
    // Both markers are rendered and CSS shows the one for the state, so the script can move
    // the indicator by changing classes only.
    const marker = html`<span class="step__number">${index + 1}</span><span class="step__check">${ICONS.check}</span>`;

    return html`
    <li class="step step--${state}" data-step="${step}"${state === 'current' ? html` aria-current="step"` : ''}>
      <span class="step__marker" aria-hidden="true">${marker}</span>
      <span class="step__label">${translator.t(`step_${step}`)}</span>
      <span class="visually-hidden step__state"> (${translator.t(`step_state_${state}`)})</span>
    </li>`;
  });

  return html`
<nav class="steps" aria-label="${translator.t('steps_label')}">
  <ol class="steps__list">${items}
  </ol>
</nav>`;
}

function renderSigningPage(model: PageModel, translator: Translator): string {
  const api = apiPathOf(model.signatory.uid);
  const documentUrl = `${api}/document`;
  const signedDocumentUrl = `${api}/signed-document`;
  const name = documentName(model, translator);
  const channel = model.signatory.authentication;
  const destination = model.signatory.maskedDestination ?? translator.t(channel === 'sms' ? 'destination_sms_fallback' : 'destination_email_fallback');
  const step = model.initialStep;
  const steps: StepStates =
    step === 'authentication'
      ? { identification: 'done', authentication: 'current', signature: 'upcoming' }
      : { identification: 'done', authentication: 'done', signature: 'current' };
  const hiddenUnless = (panel: string): SafeHtml | '' => (panel === step ? '' : html` hidden`);
  const data = jsonForScript({
    api,
    initial_step: model.initialStep,
    authentication: channel,
    destination,
    document_name: name,
    signatory_name: fullName(model),
    messages: translator.messages,
  });

  const body = html`
${renderIntro(model, translator)}
${renderSteps(steps, translator)}
<noscript><p class="notice notice--warning">${translator.t('noscript')}</p></noscript>
<div class="workspace">
  <section class="document-panel" aria-labelledby="document-heading">
    <div class="document-panel__header">
      <h2 id="document-heading">${ICONS.document}<span>${translator.t('document_heading')}</span></h2>
      <a class="download-link" href="${documentUrl}" download>${ICONS.download}<span>${translator.t('document_download')}</span></a>
    </div>
    <div class="document-viewer" id="document-viewer" tabindex="0" role="region" aria-label="${translator.t('document_viewer_label', { document: name })}">
      <p class="document-viewer__status" id="document-status" role="status">${translator.t('document_loading')}</p>
    </div>
  </section>

  <section class="action-panel" id="actions" tabindex="-1" aria-label="${translator.t('steps_label')}">
    <div class="panel" id="panel-authentication" data-panel="authentication"${hiddenUnless('authentication')}>
      <h2 class="panel__heading" tabindex="-1">${translator.t('authentication_heading')}</h2>
      <p>${translator.t(channel === 'sms' ? 'authentication_text_sms' : 'authentication_text_email', { destination })}</p>
      <p class="status-message" id="authentication-status" role="status" aria-live="polite"></p>
      <p class="error-message" id="authentication-error" role="alert"></p>
      <button type="button" class="button button--primary button--block" id="send-code">${translator.t('send_code')}</button>
      <form class="code-form" id="code-form" novalidate hidden>
        <label class="field-label" for="code">${translator.t('code_label')}</label>
        <p class="field-hint" id="code-hint">${translator.t('code_hint')}</p>
        <input class="code-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" spellcheck="false" required aria-describedby="code-hint authentication-error">
        <button type="submit" class="button button--primary button--block" id="verify-code">${translator.t('verify_code')}</button>
        <button type="button" class="button button--secondary button--block" id="resend-code">${translator.t('resend_code')}</button>
        <p class="field-hint resend-wait" id="resend-wait" hidden></p>
      </form>
    </div>

    <div class="panel" id="panel-signature" data-panel="signature"${hiddenUnless('signature')}>
      <h2 class="panel__heading" tabindex="-1">${translator.t('signature_heading')}</h2>
      <p>${translator.t('signature_text')}</p>
      <p class="status-message" id="signature-status" role="status" aria-live="polite"></p>
      <p class="error-message" id="signature-error" role="alert"></p>
      <form class="sign-form" id="sign-form" novalidate>
        <div class="consent">
          <input class="consent__checkbox" type="checkbox" id="consent" name="consent" aria-describedby="signature-error">
          <label class="consent__label" for="consent">${translator.t('consent_label', { document: name })}</label>
        </div>
        <button type="submit" class="button button--primary button--block button--large" id="sign-button">${translator.t('sign_button')}</button>
      </form>
    </div>

    <div class="panel" id="panel-signing" data-panel="signing"${hiddenUnless('signing')}>
      <h2 class="panel__heading" tabindex="-1">${translator.t('signing_heading')}</h2>
      <div class="spinner" aria-hidden="true"></div>
      <p role="status">${translator.t('signing_text')}</p>
      <p class="field-hint" id="signing-slow" role="status"></p>
      <p class="error-message" id="signing-error" role="alert"></p>
    </div>

    <div class="panel panel--success" id="panel-done" data-panel="done" hidden>
      <div class="panel__icon">${ICONS.check}</div>
      <h2 class="panel__heading" tabindex="-1">${translator.t('done_heading')}</h2>
      <p>${translator.t('done_text', { name: fullName(model) })}</p>
      <a class="button button--primary button--block" href="${signedDocumentUrl}" download>${ICONS.download}<span>${translator.t('download_signed')}</span></a>
    </div>
  </section>
</div>`;

  return renderLayout({
    translator,
    branding: model.branding,
    base: '',
    title: pageTitle(model, translator),
    body,
    withScript: true,
    data,
    skipLabel: translator.t('skip_link'),
    skipTarget: '#actions',
  });
}

interface MessageContent {
  tone: 'success' | 'neutral' | 'warning';
  icon: SafeHtml;
  heading: string;
  text: string;
  steps: StepStates | null;
  download: boolean;
}

function messageContent(model: PageModel, translator: Translator): MessageContent {
  const client = model.branding.displayName;
  const kind: Exclude<PageKind, 'sign'> = model.kind as Exclude<PageKind, 'sign'>;

  switch (kind) {
    case 'not_sent':
      return { tone: 'neutral', icon: ICONS.clock, heading: translator.t('not_sent_heading'), text: translator.t('not_sent_text', { client }), steps: null, download: false };
    case 'cancelled':
      return { tone: 'warning', icon: ICONS.cancel, heading: translator.t('cancelled_heading'), text: translator.t('cancelled_text', { client }), steps: null, download: false };
    case 'completed':
      return { tone: 'success', icon: ICONS.check, heading: translator.t('completed_heading'), text: translator.t('completed_text'), steps: null, download: false };
    case 'already_signed':
      return {
        tone: 'success',
        icon: ICONS.check,
        heading: translator.t('already_signed_heading'),
        text: translator.t('already_signed_text', { date: formatSignedAt(model.signatory.signedAt, translator) }),
        steps: { identification: 'done', authentication: 'done', signature: 'done' },
        download: true,
      };
    case 'identity_pending':
      return {
        tone: 'neutral',
        icon: ICONS.clock,
        heading: translator.t('identity_pending_heading'),
        text: translator.t('identity_pending_text', { client }),
        steps: { identification: 'current', authentication: 'upcoming', signature: 'upcoming' },
        download: false,
      };
  }
}

function renderMessagePage(model: PageModel, translator: Translator): string {
  const content = messageContent(model, translator);
  const signedDocumentUrl = `${apiPathOf(model.signatory.uid)}/signed-document`;

  const body = html`
<div class="message-layout">
<p class="intro__greeting">${translator.t('greeting', { name: fullName(model) })}</p>
${content.steps ? renderSteps(content.steps, translator) : ''}
<div class="message-card message-card--${content.tone}" data-page-kind="${model.kind}">
  <div class="message-card__icon">${content.icon}</div>
  <h1>${content.heading}</h1>
  <p>${content.text}</p>
  ${content.download ? html`<a class="button button--primary" href="${signedDocumentUrl}" download>${ICONS.download}<span>${translator.t('download_signed')}</span></a>` : ''}
</div>
</div>`;

  return renderLayout({ translator, branding: model.branding, base: '', title: pageTitle(model, translator), body, skipLabel: translator.t('skip_to_content') });
}

/** Formats the signing time in the page's language, in UTC as the signature itself records it. */
function formatSignedAt(signedAt: Date | null, translator: Translator): string {
  if (!signedAt) {
    return '—';
  }
  const formatted = new Intl.DateTimeFormat(translator.messages.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(signedAt);

  return `${formatted} UTC`;
}
