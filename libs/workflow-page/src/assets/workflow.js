// Signing page script: walks the signatory through authentication and signature with the
// JSON workflow API, and renders the document with pdf.js. It reads its data from the
// `application/json` block the server renders, because the CSP allows no inline script.
// Every text it writes goes through textContent, never innerHTML.

const data = JSON.parse(document.getElementById('workflow-data').textContent);
const messages = data.messages;
const apiUrl = new URL(data.api, document.baseURI).href;
const documentUrl = `${apiUrl}/document`;

const POLL_INTERVAL_MS = 2000;
const PROBLEM_PREFIX = 'urn:secusign:problem:';
// Problems that mean the page no longer matches the transaction: a reload shows the right page.
const STATUS_CHANGED_CODES = new Set([
  'transaction_not_sent',
  'transaction_cancelled',
  'transaction_completed',
  'signatory_not_identified',
  'not_found',
]);

const element = (id) => document.getElementById(id);

function t(key, parameters = {}) {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (placeholder, name) => (name in parameters ? String(parameters[name]) : placeholder));
}

// ---------------------------------------------------------------------------------------------
// JSON API

class NetworkError extends Error {}

/** Sends a request to the workflow API. Returns { status, ok, body, code }, or throws NetworkError when no response came. */
async function callApi(method, path, body) {
  let response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  const type = parsed && typeof parsed.type === 'string' ? parsed.type : '';
  const code = type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : null;

  return { status: response.status, ok: response.ok, body: parsed, code };
}

/** Reads the facts the page needs from the workflow view (`GET /api/v1/workflow/{uid}`). */
function readView(view) {
  const steps = view.steps ?? {};
  const otp = view.otp ?? {};
  const signature = view.signature ?? {};

  return {
    transactionStatus: view.transaction?.status,
    signed: view.signatory?.status === 'signed' || signature.state === 'done',
    signaturePending: signature.state === 'in_progress',
    signingAllowed: steps.signature === 'current',
    codePending: otp.state === 'pending',
    cooldownSeconds: Number(otp.cooldown_seconds ?? 0) || 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Steps and panels

const PANEL_OF_STEP = { authentication: 'panel-authentication', signature: 'panel-signature', signing: 'panel-signing', done: 'panel-done' };
const INDICATOR_STATES = {
  authentication: { identification: 'done', authentication: 'current', signature: 'upcoming' },
  signature: { identification: 'done', authentication: 'done', signature: 'current' },
  signing: { identification: 'done', authentication: 'done', signature: 'current' },
  done: { identification: 'done', authentication: 'done', signature: 'done' },
};

let currentStep = null;

/** Shows the panel of `step`, updates the step indicator and, when asked, moves focus to the panel heading. */
function showStep(step, { focus = true } = {}) {
  if (step === currentStep) {
    return;
  }
  currentStep = step;
  for (const [name, id] of Object.entries(PANEL_OF_STEP)) {
    element(id).hidden = name !== step;
  }
  for (const item of document.querySelectorAll('.step[data-step]')) {
    const state = INDICATOR_STATES[step][item.dataset.step];
    item.classList.remove('step--done', 'step--current', 'step--upcoming');
    item.classList.add(`step--${state}`);
    if (state === 'current') {
      item.setAttribute('aria-current', 'step');
    } else {
      item.removeAttribute('aria-current');
    }
    item.querySelector('.step__state').textContent = ` (${t(`step_state_${state}`)})`;
  }
  if (step !== 'signing') {
    stopPolling();
  }
  if (focus) {
    element(PANEL_OF_STEP[step]).querySelector('.panel__heading').focus();
  }
}

function setMessage(id, text) {
  element(id).textContent = text;
}

function clearMessages() {
  for (const id of ['authentication-status', 'authentication-error', 'signature-status', 'signature-error', 'signing-error', 'signing-slow']) {
    setMessage(id, '');
  }
}

/** Shows a problem that the page cannot solve by itself, with a button that reloads it. */
function showStatusChanged(errorId) {
  const container = element(errorId);
  container.textContent = `${t('error_status_changed')} `;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--secondary button--block';
  button.textContent = t('reload');
  button.addEventListener('click', () => window.location.reload());
  container.append(button);
}

function setBusy(button, busy, busyText) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyText;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  } else {
    button.textContent = button.dataset.label ?? button.textContent;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Returns the message for a problem that no step handler treats on its own. */
function genericErrorText(result) {
  if (result.code === 'otp_rate_limited') {
    return rateLimitText(result.body);
  }
  if (result.status === 0) {
    return t('error_network');
  }

  return t('error_generic');
}

function rateLimitText(problem) {
  const seconds = Number(problem?.retry_after ?? 0);
  if (seconds > 0 && seconds <= 60) {
    return t('error_otp_cooldown', { seconds });
  }

  return t('error_otp_rate_limited', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
}

// ---------------------------------------------------------------------------------------------
// Authentication: send, resend with its cooldown, verify

const sendButton = element('send-code');
const codeForm = element('code-form');
const codeInput = element('code');
const verifyButton = element('verify-code');
const resendButton = element('resend-code');
const resendWait = element('resend-wait');

let cooldownTimer = null;

/** Disables "send a new code" for `seconds`, counting down beside it. */
function startCooldown(seconds) {
  clearInterval(cooldownTimer);
  let remaining = Math.ceil(seconds);
  const tick = () => {
    if (remaining <= 0) {
      clearInterval(cooldownTimer);
      resendButton.disabled = false;
      sendButton.disabled = false;
      resendWait.hidden = true;
      resendWait.textContent = '';

      return;
    }
    resendButton.disabled = true;
    sendButton.disabled = true;
    resendWait.hidden = false;
    // The hourly cap can mean a wait of many minutes, which reads better in minutes.
    resendWait.textContent = remaining > 90 ? t('resend_wait_minutes', { minutes: Math.ceil(remaining / 60) }) : t('resend_wait', { seconds: remaining });
    remaining -= 1;
  };
  tick();
  cooldownTimer = setInterval(tick, 1000);
}

function showCodeForm() {
  sendButton.hidden = true;
  codeForm.hidden = false;
}

async function requestCode(trigger) {
  clearMessages();
  setBusy(trigger, true, t('sending_code'));
  let result;
  try {
    result = await callApi('POST', '/otp');
  } catch {
    setBusy(trigger, false);
    setMessage('authentication-error', t('error_network'));

    return;
  }
  setBusy(trigger, false);

  if (result.ok) {
    showCodeForm();
    setMessage('authentication-status', t(data.authentication === 'sms' ? 'code_sent_sms' : 'code_sent_email', { destination: data.destination }));
    startCooldown(Number(result.body?.cooldown_seconds ?? 30));
    codeInput.value = '';
    codeInput.removeAttribute('aria-invalid');
    codeInput.focus();

    return;
  }
  if (result.code === 'otp_rate_limited') {
    setMessage('authentication-error', rateLimitText(result.body));
    startCooldown(Number(result.body?.retry_after ?? 30));

    return;
  }
  if (result.code === 'signatory_already_signed') {
    showStep('done');

    return;
  }
  if (result.code === 'signatory_already_authenticated') {
    showStep('signature');

    return;
  }
  if (result.code === 'signature_in_progress') {
    showStep('signing');
    startPolling();

    return;
  }
  if (result.code === 'otp_delivery_failed') {
    setMessage('authentication-error', t('error_otp_delivery_failed'));

    return;
  }
  if (STATUS_CHANGED_CODES.has(result.code)) {
    showStatusChanged('authentication-error');

    return;
  }
  setMessage('authentication-error', genericErrorText(result));
}

function markCodeInvalid(text) {
  codeInput.setAttribute('aria-invalid', 'true');
  setMessage('authentication-error', text);
  codeInput.focus();
  codeInput.select();
}

async function verifyCode(event) {
  event.preventDefault();
  clearMessages();
  const code = codeInput.value.replace(/\s/g, '');
  if (!/^[0-9]{6}$/.test(code)) {
    markCodeInvalid(t('error_code_format'));

    return;
  }
  codeInput.removeAttribute('aria-invalid');
  setBusy(verifyButton, true, t('verifying_code'));
  let result;
  try {
    result = await callApi('POST', '/otp/verify', { code });
  } catch {
    setBusy(verifyButton, false);
    setMessage('authentication-error', t('error_network'));

    return;
  }
  setBusy(verifyButton, false);

  if (result.ok || result.code === 'otp_already_verified') {
    showStep('signature');
    setMessage('signature-status', t('code_verified'));

    return;
  }
  switch (result.code) {
    case 'otp_invalid': {
      const left = result.body?.attempts_left;
      markCodeInvalid(typeof left === 'number' ? t('error_otp_invalid_remaining', { count: left }) : t('error_otp_invalid'));

      return;
    }
    case 'otp_locked':
      markCodeInvalid(t('error_otp_locked'));

      return;
    case 'otp_expired':
      markCodeInvalid(t('error_otp_expired'));

      return;
    case 'otp_required':
      markCodeInvalid(t('error_otp_missing'));

      return;
    case 'signatory_already_signed':
      showStep('done');

      return;
    default:
      if (STATUS_CHANGED_CODES.has(result.code)) {
        showStatusChanged('authentication-error');

        return;
      }
      setMessage('authentication-error', genericErrorText(result));
  }
}

// Keep only digits as the signatory types or pastes, so "123 456" or "123-456" still work.
codeInput.addEventListener('input', () => {
  const digits = codeInput.value.replace(/\D/g, '').slice(0, 6);
  if (digits !== codeInput.value) {
    codeInput.value = digits;
  }
});
// maxlength would cut a pasted "123 456" to "123 45" before the input event receives it.
codeInput.addEventListener('paste', (event) => {
  const pasted = event.clipboardData?.getData('text') ?? '';
  const digits = pasted.replace(/\D/g, '');
  if (digits.length > 0 && digits !== pasted) {
    event.preventDefault();
    codeInput.value = digits.slice(0, 6);
  }
});
sendButton.addEventListener('click', () => requestCode(sendButton));
resendButton.addEventListener('click', () => requestCode(resendButton));
codeForm.addEventListener('submit', verifyCode);

// ---------------------------------------------------------------------------------------------
// Signature: consent, queue, progress

const signForm = element('sign-form');
const consentBox = element('consent');
const signButton = element('sign-button');

async function sign(event) {
  event.preventDefault();
  clearMessages();
  if (!consentBox.checked) {
    consentBox.setAttribute('aria-invalid', 'true');
    setMessage('signature-error', t('error_consent_required'));
    consentBox.focus();

    return;
  }
  consentBox.removeAttribute('aria-invalid');
  setBusy(signButton, true, t('signing_heading'));
  let result;
  try {
    result = await callApi('POST', '/sign', { consent: true });
  } catch {
    setBusy(signButton, false);
    setMessage('signature-error', t('error_network'));

    return;
  }
  setBusy(signButton, false);

  if (result.ok) {
    showStep('signing');
    startPolling();

    return;
  }
  switch (result.code) {
    case 'signatory_already_signed':
      showStep('done');

      return;
    case 'authentication_expired':
    case 'otp_required':
      showStep('authentication');
      sendButton.hidden = false;
      codeForm.hidden = true;
      setMessage('authentication-error', t('error_authentication_expired'));

      return;
    default:
      if (STATUS_CHANGED_CODES.has(result.code)) {
        showStatusChanged('signature-error');

        return;
      }
      setMessage('signature-error', genericErrorText(result));
  }
}

signForm.addEventListener('submit', sign);
consentBox.addEventListener('change', () => {
  if (consentBox.checked) {
    consentBox.removeAttribute('aria-invalid');
    setMessage('signature-error', '');
  }
});

let pollTimer = null;
let failedPolls = 0;
let pollsSinceStart = 0;
// About a minute at one poll every two seconds. Past it, the page shows that the wait is unusual.
const SLOW_SIGNATURE_POLLS = 30;

/** Reads the view every two seconds until the signature is applied. */
function startPolling() {
  stopPolling();
  pollsSinceStart = 0;
  pollTimer = setTimeout(pollOnce, POLL_INTERVAL_MS);
}

function stopPolling() {
  clearTimeout(pollTimer);
  pollTimer = null;
}

async function pollOnce() {
  pollsSinceStart += 1;
  if (pollsSinceStart === SLOW_SIGNATURE_POLLS) {
    setMessage('signing-slow', t('signing_slow'));
  }
  try {
    const result = await callApi('GET', '');
    if (result.ok) {
      failedPolls = 0;
      setMessage('signing-error', '');
      const view = readView(result.body);
      if (view.signed) {
        showStep('done');
        renderDocument();

        return;
      }
      if (view.transactionStatus !== 'sent') {
        showStatusChanged('signing-error');

        return;
      }
    } else if (STATUS_CHANGED_CODES.has(result.code)) {
      showStatusChanged('signing-error');

      return;
    }
  } catch {
    failedPolls += 1;
    // Say so only when the network stays down, but keep trying: the signature may still land.
    if (failedPolls >= 3) {
      setMessage('signing-error', t('error_network'));
    }
  }
  if (currentStep === 'signing') {
    pollTimer = setTimeout(pollOnce, POLL_INTERVAL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Document viewer (pdf.js)

const viewer = element('document-viewer');
let renderGeneration = 0;

/** Loads pdf.js and draws every page into a canvas as it scrolls into view. */
async function renderDocument() {
  const generation = ++renderGeneration;
  const status = element('document-status');
  status.hidden = false;
  status.textContent = t('document_loading');
  for (const page of viewer.querySelectorAll('.document-page')) {
    page.remove();
  }

  try {
    const pdfjs = await import('./pdf.min.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = new URL('./pdf.worker.min.mjs', import.meta.url).href;
    const response = await fetch(documentUrl, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error(`document request returned ${response.status}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const pdf = await pdfjs.getDocument({
      data: bytes,
      cMapUrl: new URL('./pdfjs/cmaps/', import.meta.url).href,
      cMapPacked: true,
      standardFontDataUrl: new URL('./pdfjs/standard_fonts/', import.meta.url).href,
      // The CSP forbids eval and inline styles: draw glyphs as paths instead of loading fonts.
      isEvalSupported: false,
      disableFontFace: true,
      enableXfa: false,
    }).promise;
    if (generation !== renderGeneration) {
      return;
    }
    await layoutPages(pdfjs, pdf, generation);
    status.hidden = true;
    status.textContent = '';
  } catch (error) {
    if (generation === renderGeneration) {
      status.hidden = false;
      status.textContent = t('document_render_failed');
    }
    // eslint-disable-next-line no-console
    console.error('document rendering failed', error);
  }
}

async function layoutPages(pdfjs, pdf, generation) {
  const targetWidth = Math.min(viewer.clientWidth || 800, 900);
  const pixelRatio = Math.min(window.devicePixelRatio || 1, 2);
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          drawPage(entry.target).catch((error) => {
            // eslint-disable-next-line no-console
            console.error('page rendering failed', error);
          });
        }
      }
    },
    { root: viewer, rootMargin: '600px 0px' },
  );

  for (let number = 1; number <= pdf.numPages; number += 1) {
    if (generation !== renderGeneration) {
      return;
    }
    const page = await pdf.getPage(number);
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (targetWidth / unscaled.width) * pixelRatio });

    const figure = document.createElement('figure');
    figure.className = 'document-page';
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', t('document_page_label', { page: number, pages: pdf.numPages }));
    const caption = document.createElement('figcaption');
    caption.className = 'document-page__number';
    caption.textContent = t('document_page_label', { page: number, pages: pdf.numPages });
    caption.setAttribute('aria-hidden', 'true');
    const text = document.createElement('div');
    text.className = 'visually-hidden';
    figure.append(canvas, text, caption);
    viewer.append(figure);

    figure.pdfPage = page;
    figure.pdfViewport = viewport;
    figure.pdfAnnotationMode = pdfjs.AnnotationMode.ENABLE;
    observer.observe(figure);
  }
}

async function drawPage(figure) {
  const page = figure.pdfPage;
  const canvas = figure.querySelector('canvas');
  // ENABLE draws form fields and signature widgets from their appearance streams into the
  // canvas: the default expects an HTML annotation layer, which this viewer does not have.
  await page.render({ canvasContext: canvas.getContext('2d'), viewport: figure.pdfViewport, annotationMode: figure.pdfAnnotationMode }).promise;
  // Screen readers get the page's text, since a canvas has none.
  const content = await page.getTextContent();
  figure.querySelector('.visually-hidden').textContent = content.items.map((item) => item.str ?? '').join(' ');
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  showStep(PANEL_OF_STEP[data.initial_step] ? data.initial_step : 'authentication', { focus: false });
  renderDocument();
  if (currentStep === 'signing') {
    startPolling();
  }

  let result;
  try {
    result = await callApi('GET', '');
  } catch {
    return;
  }
  if (!result.ok) {
    if (STATUS_CHANGED_CODES.has(result.code) || result.code === 'signatory_already_signed') {
      window.location.reload();
    }

    return;
  }
  const view = readView(result.body);
  if (view.transactionStatus !== 'sent' && !view.signed) {
    // Cancelled (or otherwise changed) since the server rendered the page.
    window.location.reload();

    return;
  }
  if (view.signed) {
    showStep('done', { focus: false });
  } else if (view.signaturePending) {
    showStep('signing', { focus: false });
    startPolling();
  } else if (view.signingAllowed) {
    showStep('signature', { focus: false });
  } else {
    showStep('authentication', { focus: false });
    if (view.codePending) {
      showCodeForm();
    }
  }
  if (view.cooldownSeconds > 0) {
    startCooldown(view.cooldownSeconds);
  }
}

start();
