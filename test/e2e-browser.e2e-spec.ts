import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import de from '../libs/workflow-page/src/i18n/de.json';
import fr from '../libs/workflow-page/src/i18n/fr.json';
import { adminAuthorization, createTestClient, TestClient } from './support/clients';
import { request, TestResponse } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const run = promisify(execFile);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const CORPUS_DIR = resolve(__dirname, '..', '..', 'shared', 'corpus');
const SCREENSHOT_DIR = resolve(__dirname, '..', 'test-output', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Signer {
  uid: string;
  url: string;
  /** Outbox recipient: phone digits for SMS, the address for email. */
  recipient: string;
}

function expectStatus<T>(response: TestResponse<T>, status: number): T {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }

  return response.body;
}

/** Reads the newest code sent to `recipient` from the outbox, skipping codes read before. */
async function readCode(testApp: TestApp, recipient: string, alreadyRead: Set<string>): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const response = await request<{ data: Array<{ body: string }> }>(testApp.baseUrl, 'GET', `/api/v1/admin/outbox?to=${encodeURIComponent(recipient)}`, {
      authorization: adminAuthorization(),
    });
    const newest = expectStatus(response, 200).data[0];
    const code = newest ? /\b(\d{6})\b/.exec(newest.body)?.[1] : undefined;
    if (code && !alreadyRead.has(code)) {
      alreadyRead.add(code);

      return code;
    }
    await new Promise((settle) => setTimeout(settle, 100));
  }
  throw new Error(`no new code in the outbox for ${recipient}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules on the page and returns the violations as
 * `rule: selectors` lines. Playwright evaluates through the DevTools protocol, which the
 * page's CSP does not apply to, so axe is injected without loosening the policy.
 */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });

    return result.violations;
  });

  return (violations as AxeViolation[]).map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Collects CSP violations and script errors, which must stay empty. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

  return errors;
}

describe('signing page in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let client: TestClient;
  let transactionUid: string;
  let signers: Signer[];
  const workDir = mkdtempSync(join(tmpdir(), 'secusign-browser-'));

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    testApp = await startTestApp();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

    client = await createTestClient(testApp, { display_name: 'Banque Exemple', primary_color: '#0b5d3b', sms_sender: 'Exemple' });
    const call = <T>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; body?: BodyInit } = {}): Promise<TestResponse<T>> =>
      request<T>(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization, ...options });

    const transaction = expectStatus(await call<{ uid: string }>('POST', '/transactions', { json: { name: 'Contrat de prêt 2026-042' } }), 201);
    transactionUid = transaction.uid;
    expectStatus(
      await call('PUT', `/transactions/${transactionUid}/document`, {
        headers: { 'content-type': 'application/pdf' },
        body: readFileSync(join(CORPUS_DIR, 'plain-pdf14-openoffice.pdf')),
      }),
      200,
    );
    const french = expectStatus(
      await call<{ uid: string }>('POST', `/transactions/${transactionUid}/signatories`, {
        json: { firstname: 'Élise', lastname: 'Marchand', email: 'elise.marchand@example.com', phone: '+33612345678', language: 'FR', authentication: 'sms' },
      }),
      201,
    );
    const german = expectStatus(
      await call<{ uid: string }>('POST', `/transactions/${transactionUid}/signatories`, {
        json: { firstname: 'Jürgen', lastname: 'Weiß', email: 'juergen.weiss@example.com', phone: '+4915112345678', language: 'DE', authentication: 'email' },
      }),
      201,
    );
    expectStatus(await call('PATCH', `/transactions/${transactionUid}`, { json: { status: 'sent' } }), 200);

    signers = [
      { uid: french.uid, url: `${testApp.baseUrl}/${french.uid}/workflow/`, recipient: '33612345678' },
      { uid: german.uid, url: `${testApp.baseUrl}/${german.uid}/workflow/`, recipient: 'juergen.weiss@example.com' },
    ];
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('French signatory signs by mouse', async () => {
    const signer = signers[0];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    const codes = new Set<string>();

    await page.goto(signer.url);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.locator('.document-page canvas').first().waitFor();
    expect(await page.locator('li.step[aria-current="step"]').getAttribute('data-step')).toBe('authentication');
    await screenshot(page, 'fr-1-authentication');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: fr.send_code }).click();
    await page.getByLabel(fr.code_label).waitFor();
    expect(await page.locator('#authentication-status').textContent()).toContain('+33');
    expect(await page.locator('#resend-code').isDisabled()).toBe(true);
    expect(await page.locator('#resend-wait').textContent()).toMatch(/\d+ s/);
    const code = await readCode(testApp, signer.recipient, codes);
    await screenshot(page, 'fr-2-code-sent');

    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel(fr.code_label).fill(wrongCode);
    await page.getByRole('button', { name: fr.verify_code }).click();
    await page.waitForFunction(() => (document.getElementById('authentication-error')?.textContent ?? '') !== '');
    expect(await page.locator('#authentication-error').textContent()).toBe(fr.error_otp_invalid_remaining.replace('{count}', '4'));
    expect(await page.getByLabel(fr.code_label).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'fr-3-wrong-code');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Paste the code as a message app might format it, "123 456".
    await page.getByLabel(fr.code_label).fill('');
    await page.evaluate((formatted) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text', formatted);
      document.getElementById('code')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(await page.getByLabel(fr.code_label).inputValue()).toBe(code);
    await page.getByRole('button', { name: fr.verify_code }).click();
    await page.locator('#panel-signature').waitFor({ state: 'visible' });
    expect(await page.locator('li.step[aria-current="step"]').getAttribute('data-step')).toBe('signature');

    await page.getByRole('button', { name: fr.sign_button }).click();
    expect(await page.locator('#signature-error').textContent()).toBe(fr.error_consent_required);
    await page.locator('#consent').check();
    await screenshot(page, 'fr-4-consent');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: fr.sign_button }).click();

    await page.locator('#panel-done').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('#panel-done h2').textContent()).toBe(fr.done_heading);
    await page.locator('.document-page canvas').first().waitFor();
    await screenshot(page, 'fr-5-done');
    expect(await accessibilityViolations(page)).toEqual([]);
    // After signing, the viewer draws the signed document again; its last page shows the signature.
    await page.locator('#document-status').waitFor({ state: 'hidden' });
    await page.locator('.document-page').last().scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const canvases = document.querySelectorAll<HTMLCanvasElement>('.document-page canvas');
      const canvas = canvases[canvases.length - 1];
      const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;

      return pixels !== undefined && pixels.some((value, index) => index % 4 !== 3 && value < 250);
    });
    await page.locator('#document-viewer').screenshot({ path: join(SCREENSHOT_DIR, 'fr-5-certificate-page.png') });

    const download = await page.locator('#panel-done a[download]').getAttribute('href');
    const signedCopy = await page.request.get(new URL(download!, signer.url).href);
    expect(signedCopy.status()).toBe(200);
    expect(signedCopy.headers()['content-type']).toBe('application/pdf');

    await page.reload();
    expect(await page.locator('[data-page-kind]').getAttribute('data-page-kind')).toBe('already_signed');
    await screenshot(page, 'fr-6-already-signed');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('German signatory signs by keyboard at 320 px', async () => {
    const signer = signers[1];
    const context: BrowserContext = await browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    const codes = new Set<string>();

    await page.goto(signer.url);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.locator('.document-page canvas').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'de-1-authentication-320px');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The first Tab reaches the skip link, which jumps to the signing actions.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(de.skip_link);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('send-code');
    await page.keyboard.press('Enter');

    await page.waitForFunction(() => document.activeElement?.id === 'code');
    expect(await page.locator('#authentication-status').textContent()).toContain('j•••@example.com');
    const code = await readCode(testApp, signer.recipient, codes);
    await page.keyboard.type(code);
    await screenshot(page, 'de-2-code-entered-320px');
    await page.keyboard.press('Enter');

    await page.locator('#panel-signature').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(de.signature_heading);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consent');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-button');
    await screenshot(page, 'de-3-consent-320px');
    await page.keyboard.press('Enter');

    await page.locator('#panel-signing').waitFor({ state: 'visible' });
    await screenshot(page, 'de-4-signing-320px');
    await page.locator('#panel-done').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('li.step[aria-current]').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'de-5-done-320px');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('final PDF passes pdfsig', async () => {
    const call = <T>(method: string, path: string): Promise<TestResponse<T>> =>
      request<T>(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization });

    let status = '';
    for (let attempt = 0; attempt < 100 && status !== 'completed'; attempt += 1) {
      status = expectStatus(await call<{ status: string }>('GET', `/transactions/${transactionUid}`), 200).status;
      if (status !== 'completed') {
        await new Promise((settle) => setTimeout(settle, 200));
      }
    }
    expect(status).toBe('completed');

    const document = expectStatus(await call<Buffer>('GET', `/transactions/${transactionUid}/document`), 200);
    const path = join(workDir, 'signed.pdf');
    writeFileSync(path, document);
    const { stdout } = await run('pdfsig', [path]);

    expect(stdout.match(/Signature #\d+:/g)).toHaveLength(2);
    expect(stdout.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    const text = (await run('pdftotext', [path, '-'])).stdout;
    expect(text).toContain('Élise Marchand');
    expect(text).toContain('Jürgen Weiß');
  });

  it('signed page stays after completion', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    await page.goto(signers[1].url);

    expect(await page.locator('[data-page-kind]').getAttribute('data-page-kind')).toBe('already_signed');
    await context.close();
  });

  it('status pages pass accessibility checks', async () => {
    const call = <T>(method: string, path: string, json?: unknown): Promise<TestResponse<T>> =>
      request<T>(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization, json });
    const transaction = expectStatus(await call<{ uid: string }>('POST', '/transactions', { name: 'Avenant 3' }), 201);
    const signatory = expectStatus(
      await call<{ uid: string }>('POST', `/transactions/${transaction.uid}/signatories`, {
        firstname: 'Chiara',
        lastname: 'Rossi',
        email: 'chiara.rossi@example.com',
        phone: '+393471234567',
        language: 'IT',
        authentication: 'sms',
      }),
      201,
    );
    const context = await browser.newContext({ viewport: { width: 600, height: 800 }, locale: 'es-ES' });
    const page = await context.newPage();
    const errors = watchForErrors(page);

    await page.goto(`${testApp.baseUrl}/${signatory.uid}/workflow/`);
    expect(await page.locator('[data-page-kind]').getAttribute('data-page-kind')).toBe('not_sent');
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    await screenshot(page, 'status-not-sent');
    expect(await accessibilityViolations(page)).toEqual([]);

    expectStatus(await call('PATCH', `/transactions/${transaction.uid}`, { status: 'cancel' }), 200);
    await page.reload();
    expect(await page.locator('[data-page-kind]').getAttribute('data-page-kind')).toBe('cancelled');
    await screenshot(page, 'status-cancelled');
    expect(await accessibilityViolations(page)).toEqual([]);

    const unknown = await page.goto(`${testApp.baseUrl}/8a6ff96d-196f-40a4-80af-abe4f61f743b/workflow/`);
    expect(unknown?.status()).toBe(404);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await screenshot(page, 'status-unknown-link');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(['nonlatin-multiscript.pdf', 'rotate270-autocad.pdf', 'large-image-9000px.pdf', 'js-doc-actions.pdf', 'linearized-352pages.pdf'])(
    'viewer renders %s',
    async (file) => {
      const call = <T>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; body?: BodyInit } = {}): Promise<TestResponse<T>> =>
        request<T>(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization, ...options });
      const transaction = expectStatus(await call<{ uid: string }>('POST', '/transactions', { json: { name: file } }), 201);
      const uploaded = expectStatus(
        await call<{ document: { pages: number } }>('PUT', `/transactions/${transaction.uid}/document`, {
          headers: { 'content-type': 'application/pdf' },
          body: readFileSync(join(CORPUS_DIR, file)),
        }),
        200,
      );
      const signatory = expectStatus(
        await call<{ uid: string }>('POST', `/transactions/${transaction.uid}/signatories`, {
          json: { firstname: 'Ana', lastname: 'López', email: 'ana.lopez@example.com', phone: '+34612345678', language: 'ES', authentication: 'sms' },
        }),
        201,
      );
      expectStatus(await call('PATCH', `/transactions/${transaction.uid}`, { json: { status: 'sent' } }), 200);
      const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
      const page = await context.newPage();
      const errors = watchForErrors(page);
      const failedRequests: string[] = [];
      page.on('requestfailed', (failed) => failedRequests.push(`${failed.url()}: ${failed.failure()?.errorText}`));

      await page.goto(`${testApp.baseUrl}/${signatory.uid}/workflow/`);
      await page.locator('#document-status').waitFor({ state: 'hidden', timeout: 60_000 });

      // The prepared document may carry one appended certificate page.
      const figures = await page.locator('.document-page').count();
      expect(figures).toBeGreaterThanOrEqual(uploaded.document.pages);
      expect(figures).toBeLessThanOrEqual(uploaded.document.pages + 1);
      // The last page is the certificate page, which always carries text; scrolling to it also
      // checks that pages far down a long document get drawn.
      await page.locator('.document-page').last().scrollIntoViewIfNeeded();
      await page.waitForFunction(() => {
        const canvases = document.querySelectorAll<HTMLCanvasElement>('.document-page canvas');
        const canvas = canvases[canvases.length - 1];
        const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;

        return pixels !== undefined && pixels.some((value, index) => index % 4 !== 3 && value < 250);
      });
      await screenshot(page, `viewer-${file.replace(/\.pdf$/, '')}`);
      expect(errors).toEqual([]);
      expect(failedRequests).toEqual([]);
      await context.close();
    },
  );

  it('page resumes a pending code', async () => {
    const call = <T>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; body?: BodyInit } = {}): Promise<TestResponse<T>> =>
      request<T>(testApp.baseUrl, method, `/api/v1${path}`, { authorization: client.authorization, ...options });
    const transaction = expectStatus(await call<{ uid: string }>('POST', '/transactions', { json: { name: 'Mandat' } }), 201);
    expectStatus(
      await call('PUT', `/transactions/${transaction.uid}/document`, {
        headers: { 'content-type': 'application/pdf' },
        body: readFileSync(join(CORPUS_DIR, 'plain-pdf14-openoffice.pdf')),
      }),
      200,
    );
    const signatory = expectStatus(
      await call<{ uid: string }>('POST', `/transactions/${transaction.uid}/signatories`, {
        json: { firstname: 'Hugo', lastname: 'Bernard', email: 'hugo.bernard@example.com', phone: '+33698765432', language: 'FR', authentication: 'sms' },
      }),
      201,
    );
    expectStatus(await call('PATCH', `/transactions/${transaction.uid}`, { json: { status: 'sent' } }), 200);
    // A code requested from another tab, moments before this page opens.
    expectStatus(await request(testApp.baseUrl, 'POST', `/api/v1/workflow/${signatory.uid}/otp`), 201);
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${testApp.baseUrl}/${signatory.uid}/workflow/`);

    await page.getByLabel(fr.code_label).waitFor();
    expect(await page.locator('#send-code').isHidden()).toBe(true);
    expect(await page.locator('#resend-code').isDisabled()).toBe(true);
    expect(await page.locator('#resend-wait').textContent()).toMatch(/^Nouveau code possible dans \d+ s$/);
    await context.close();
  });

  it('accessibility check finds an unlabelled field', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>Check</title></head><body><main><input type="text"></main></body></html>');

    const violations = await accessibilityViolations(page);

    expect(violations.some((violation) => violation.startsWith('label:'))).toBe(true);
    await context.close();
  });
});
