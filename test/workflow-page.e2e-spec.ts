import { randomBytes, randomUUID } from 'node:crypto';
import { ref } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { AuthenticateToken } from '@secusign/authentication';
import { Client } from '@secusign/clients';
import { Signatory, SignatoryLanguage, SignatoryStatus } from '@secusign/signatories';
import { Transaction, TransactionStatus } from '@secusign/transactions';
import { WorkflowPageService } from '@secusign/workflow-page';
import de from '../libs/workflow-page/src/i18n/de.json';
import en from '../libs/workflow-page/src/i18n/en.json';
import es from '../libs/workflow-page/src/i18n/es.json';
import fr from '../libs/workflow-page/src/i18n/fr.json';
import italian from '../libs/workflow-page/src/i18n/it.json';
import { startTestApp, TestApp } from './support/test-app';

const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data: blob:; connect-src 'self'; " +
  "worker-src 'self' blob:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface PageFixture {
  transactionStatus?: TransactionStatus;
  signatoryStatus?: SignatoryStatus;
  language?: SignatoryLanguage;
  firstname?: string;
  lastname?: string;
  transactionName?: string | null;
  displayName?: string | null;
  primaryColor?: string | null;
  logoUrl?: string | null;
  signedAt?: Date | null;
  deleted?: boolean;
}

/**
 * Writes a client, a transaction and one signatory straight to the database, so every page
 * state can be reached without walking the client API.
 */
async function createSignatory(testApp: TestApp, fixture: PageFixture = {}): Promise<string> {
  const em = testApp.app.get(MikroORM).em.fork();

  const client = Object.assign(new Client(), {
    clientId: `page-test-${randomBytes(6).toString('hex')}`,
    name: 'Page test client',
    secretHash: 'not-a-real-hash',
    webhookSecretEncrypted: 'not-a-real-secret',
    displayName: fixture.displayName === undefined ? 'Banque Exemple' : fixture.displayName,
    primaryColor: fixture.primaryColor === undefined ? '#0b5d3b' : fixture.primaryColor,
    logoUrl: fixture.logoUrl ?? null,
  });
  const transaction = Object.assign(new Transaction(), {
    client: ref(client),
    status: fixture.transactionStatus ?? TransactionStatus.Sent,
    name: fixture.transactionName === undefined ? 'Bail 2024-117' : fixture.transactionName,
    deletedAt: fixture.deleted ? new Date() : null,
  });
  const signatory = Object.assign(new Signatory(), {
    transaction: ref(transaction),
    position: 0,
    firstname: fixture.firstname ?? 'Jeanne',
    lastname: fixture.lastname ?? 'Durand',
    email: 'jeanne.durand@example.com',
    phone: '33651836133',
    language: fixture.language ?? 'FR',
    authentication: 'sms' as const,
    signatureLevel: (fixture.signatoryStatus === SignatoryStatus.Created ? 'advanced' : 'simple') as 'advanced' | 'simple',
    status: fixture.signatoryStatus ?? SignatoryStatus.Identified,
    signedAt: fixture.signedAt ?? null,
  });
  await em.persistAndFlush([client, transaction, signatory]);

  return signatory.uid;
}

/** Stores a verified code for the signatory, as the workflow API does after a right code. */
async function addVerifiedToken(testApp: TestApp, signatoryUid: string, signingExpiresInMs: number, consented: boolean): Promise<void> {
  const em = testApp.app.get(MikroORM).em.fork();
  const signatory = await em.findOneOrFail(Signatory, { uid: signatoryUid });
  const now = Date.now();
  const token = Object.assign(new AuthenticateToken(), {
    transactionUid: signatory.transaction.unwrap().uid,
    signatoryUid,
    channel: 'sms' as const,
    maskedDestination: '+33 6•• •• •1 33',
    codeHash: 'not-a-real-hash',
    createdAt: new Date(now - 120_000),
    expiresAt: new Date(now + 180_000),
    verifiedAt: new Date(now - 60_000),
    signingExpiresAt: new Date(now + signingExpiresInMs),
    consentedAt: consented ? new Date(now - 30_000) : null,
  });
  await em.persistAndFlush(token);
}

async function getPage(testApp: TestApp, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${testApp.baseUrl}${path}`, { headers, redirect: 'manual' });

  return { status: response.status, headers: response.headers, text: await response.text() };
}

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

describe('signing page', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({}, { withWorker: false });
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('GET /{signatory_uid}/workflow/', () => {
    it('serves the page in the signatory language', async () => {
      const uid = await createSignatory(testApp, { language: 'FR' });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expect(page.text).toContain('<html lang="fr">');
      expect(page.text).toContain(fr.send_code);
      expect(page.text).toContain(fr.step_authentication);
      expect(page.text).not.toContain(en.send_code);
    });

    it.each([
      ['EN', 'en', en.send_code],
      ['FR', 'fr', fr.send_code],
      ['DE', 'de', de.send_code],
      ['ES', 'es', es.send_code],
      ['IT', 'it', italian.send_code],
    ] as const)('speaks %s', async (language, lang, sendCode) => {
      const uid = await createSignatory(testApp, { language });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain(`<html lang="${lang}">`);
      expect(page.text).toContain(sendCode);
    });

    it('serves German to a German signatory', async () => {
      const uid = await createSignatory(testApp, { language: 'DE' });

      const page = await getPage(testApp, `/${uid}/workflow/`, { 'accept-language': 'fr' });

      expect(page.text).toContain('<html lang="de">');
      expect(page.text).toContain(de.sign_button);
    });

    it('sets a strict CSP and no-store', async () => {
      const uid = await createSignatory(testApp);

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expectSecurityHeaders(page.headers);
      expect(page.headers.get('cache-control')).toBe('no-store');
    });

    it('contains no inline script or style', async () => {
      const uid = await createSignatory(testApp);

      const page = await getPage(testApp, `/${uid}/workflow/`);
      const scripts = page.text.match(/<script\b[^>]*>/g) ?? [];

      expect(scripts).toHaveLength(2);
      for (const tag of scripts) {
        expect(tag).toMatch(/type="application\/json"|src="/);
      }
      expect(page.text).not.toMatch(/<style\b/);
      expect(page.text).not.toMatch(/\sstyle="/);
      expect(page.text).not.toMatch(/\son[a-z]+="/);
    });

    it('marks the current step and the code field', async () => {
      const uid = await createSignatory(testApp);

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toMatch(/<li class="step step--current" data-step="authentication" aria-current="step">/);
      expect(page.text).toMatch(/<li class="step step--done" data-step="identification">/);
      expect(page.text).toContain('inputmode="numeric" autocomplete="one-time-code" maxlength="6"');
      expect(page.text).toMatch(/<label class="field-label" for="code">/);
      expect(page.text).toMatch(/<input class="consent__checkbox" type="checkbox" id="consent"/);
      expect(page.text).toContain(`href="../../api/v1/workflow/${uid}/document"`);
    });

    it.each([
      { name: 'a valid verified code', signingExpiresInMs: 60_000, consented: false, step: 'signature' },
      { name: 'consent given', signingExpiresInMs: 60_000, consented: true, step: 'signing' },
      { name: 'an expired signing window', signingExpiresInMs: -60_000, consented: false, step: 'authentication' },
    ])('opens on the $step step with $name', async ({ signingExpiresInMs, consented, step }) => {
      const uid = await createSignatory(testApp, { signatoryStatus: SignatoryStatus.Authenticated });
      await addVerifiedToken(testApp, uid, signingExpiresInMs, consented);

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain(`"initial_step":"${step}"`);
      expect(page.text).toMatch(new RegExp(`<div class="panel[^"]*" id="panel-${step}" data-panel="${step}">`));
      expect(page.text).toMatch(/<div class="panel" id="panel-authentication" data-panel="authentication"( hidden)?>/);
    });

    it('opens an authenticated signatory without a token on authentication', async () => {
      const uid = await createSignatory(testApp, { signatoryStatus: SignatoryStatus.Authenticated });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toMatch(/data-step="authentication" aria-current="step"/);
      expect(page.text).toMatch(/<div class="panel" id="panel-signature" data-panel="signature" hidden>/);
    });

    it('escapes names and document titles', async () => {
      const uid = await createSignatory(testApp, {
        firstname: '<script>alert(1)</script>',
        lastname: '"><img src=x onerror=alert(2)>',
        transactionName: '</script><script>alert(3)</script>',
        displayName: "Evil & <b>Co</b>'",
      });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('<b>Co</b>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
      expect(page.text).toContain('Evil &amp; &lt;b&gt;Co&lt;/b&gt;&#39;');
    });

    it('keeps the JSON data block parseable and closed', async () => {
      const uid = await createSignatory(testApp, { transactionName: '</script><script>alert(3)</script>' });

      const page = await getPage(testApp, `/${uid}/workflow/`);
      const block = /<script type="application\/json" id="workflow-data">([\s\S]*?)<\/script>/.exec(page.text);

      expect(block).not.toBeNull();
      const data = JSON.parse(block![1]) as { document_name: string; api: string; messages: { locale: string } };
      expect(data.document_name).toBe('</script><script>alert(3)</script>');
      expect(data.api).toBe(`../../api/v1/workflow/${uid}`);
      expect(data.messages.locale).toBe('fr-FR');
    });

    it('redirects the URL without a trailing slash', async () => {
      const uid = await createSignatory(testApp);

      const page = await getPage(testApp, `/${uid}/workflow?lang=x`);

      expect(page.status).toBe(301);
      expect(new URL(page.headers.get('location')!, `${testApp.baseUrl}/${uid}/workflow`).href).toBe(`${testApp.baseUrl}/${uid}/workflow/?lang=x`);
    });
  });

  describe('pages for each state', () => {
    const cases: Array<{ name: string; fixture: PageFixture; kind: string; heading: string }> = [
      { name: 'transaction not sent', fixture: { transactionStatus: TransactionStatus.Created }, kind: 'not_sent', heading: fr.not_sent_heading },
      { name: 'transaction cancelled', fixture: { transactionStatus: TransactionStatus.Cancelled }, kind: 'cancelled', heading: fr.cancelled_heading },
      {
        name: 'cancelled after signing',
        fixture: { transactionStatus: TransactionStatus.Cancelled, signatoryStatus: SignatoryStatus.Signed, signedAt: new Date() },
        kind: 'cancelled',
        heading: fr.cancelled_heading,
      },
      {
        name: 'transaction completed',
        fixture: { transactionStatus: TransactionStatus.Completed, signatoryStatus: SignatoryStatus.Identified },
        kind: 'completed',
        heading: fr.completed_heading,
      },
      {
        name: 'signatory already signed',
        fixture: { signatoryStatus: SignatoryStatus.Signed, signedAt: new Date('2026-03-04T10:20:00Z') },
        kind: 'already_signed',
        heading: fr.already_signed_heading,
      },
      {
        name: 'identity check pending',
        fixture: { signatoryStatus: SignatoryStatus.Created },
        kind: 'identity_pending',
        heading: fr.identity_pending_heading,
      },
    ];

    it.each(cases)('shows a page when $name', async ({ fixture, kind, heading }) => {
      const uid = await createSignatory(testApp, fixture);

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.status).toBe(200);
      expectSecurityHeaders(page.headers);
      expect(page.text).toContain(`data-page-kind="${kind}"`);
      expect(page.text).toContain(`<h1>${heading}</h1>`);
      expect(page.text).not.toContain('assets/workflow.js');
    });

    it('offers the signed document after signing', async () => {
      const uid = await createSignatory(testApp, { signatoryStatus: SignatoryStatus.Signed, signedAt: new Date('2026-03-04T10:20:00Z') });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain(`href="../../api/v1/workflow/${uid}/signed-document" download`);
      expect(page.text).toContain('4 mars 2026');
    });
  });

  describe('unknown links', () => {
    it('returns a 404 page for an unknown uid', async () => {
      const page = await getPage(testApp, `/${randomUUID()}/workflow/`);

      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expectSecurityHeaders(page.headers);
      expect(page.text).toContain(en.not_found_heading);
    });

    it('returns a 404 page for a malformed uid', async () => {
      const page = await getPage(testApp, `/not-a-uid/workflow/`);

      expect(page.status).toBe(404);
      expect(page.text).toContain(en.not_found_heading);
    });

    it('returns a 404 page for a deleted transaction', async () => {
      const uid = await createSignatory(testApp, { deleted: true });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.status).toBe(404);
    });

    it('answers in the browser language', async () => {
      const page = await getPage(testApp, `/${randomUUID()}/workflow/`, { 'accept-language': 'es-ES;q=0.4, de;q=0.9' });

      expect(page.text).toContain('<html lang="de">');
      expect(page.text).toContain(de.not_found_heading);
    });

    it('returns an HTML 500 when loading fails', async () => {
      const uid = await createSignatory(testApp);
      const load = jest.spyOn(testApp.app.get(WorkflowPageService), 'loadPage').mockRejectedValueOnce(new Error('database unreachable'));

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(load).toHaveBeenCalledWith(uid);
      expect(page.status).toBe(500);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expectSecurityHeaders(page.headers);
      expect(page.text).toContain(en.error_page_heading);
      expect(page.text).not.toContain('database unreachable');
      load.mockRestore();
    });

    it('returns a 404 page below the page path', async () => {
      const uid = await createSignatory(testApp);

      const page = await getPage(testApp, `/${uid}/workflow/secret/admin`);

      expect(page.status).toBe(404);
      expect(page.text).toContain('href="../assets/workflow.css"');
    });
  });

  describe('branding', () => {
    it('shows an https logo with the display name as alt text', async () => {
      const uid = await createSignatory(testApp, { logoUrl: 'https://cdn.example/logo.png', displayName: 'Banque Exemple' });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain('<img class="brand__logo" src="https://cdn.example/logo.png" alt="Banque Exemple"');
    });

    it('drops a logo that is not https', async () => {
      const uid = await createSignatory(testApp, { logoUrl: 'http://cdn.example/logo.png', displayName: 'Banque Exemple' });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).not.toContain('cdn.example');
      expect(page.text).toContain('<span class="brand__name">Banque Exemple</span>');
    });

    it('darkens a light brand colour', async () => {
      const uid = await createSignatory(testApp, { primaryColor: '#ffd700' });

      const page = await getPage(testApp, `/${uid}/workflow/`);
      const themeHref = /<link rel="stylesheet" href="(theme\.css\?color=[0-9a-f]{6})">/.exec(page.text);

      expect(themeHref).not.toBeNull();
      expect(themeHref![1]).not.toBe('theme.css?color=ffd700');
      const theme = await getPage(testApp, `/${uid}/workflow/${themeHref![1]}`);
      expect(theme.status).toBe(200);
      expect(theme.headers.get('content-type')).toMatch(/^text\/css/);
      expect(theme.text).toContain(`--brand: #${themeHref![1].slice(-6)};`);
    });

    it('keeps an accessible brand colour', async () => {
      const uid = await createSignatory(testApp, { primaryColor: '#0B5D3B' });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain('href="theme.css?color=0b5d3b"');
    });

    it('falls back on the client name', async () => {
      const uid = await createSignatory(testApp, { displayName: null });

      const page = await getPage(testApp, `/${uid}/workflow/`);

      expect(page.text).toContain('<span class="brand__name">Page test client</span>');
    });
  });

  describe('assets', () => {
    it.each([
      ['workflow.js', /^text\/javascript/],
      ['workflow.css', /^text\/css/],
      ['pdf.min.mjs', /^text\/javascript/],
      ['pdf.worker.min.mjs', /^text\/javascript/],
      ['pdfjs/cmaps/UniJIS-UCS2-H.bcmap', /^application\/octet-stream/],
      ['pdfjs/standard_fonts/LiberationSans-Regular.ttf', /^application\/octet-stream/],
    ])('serves %s', async (name, contentType) => {
      const uid = await createSignatory(testApp);

      const response = await fetch(`${testApp.baseUrl}/${uid}/workflow/assets/${name}`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(contentType);
      expectSecurityHeaders(response.headers);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it.each(['nothing.js', '..%2F..%2Fpackage.json', 'pdfjs/..%2F..%2Fpackage.json', '%2e%2e/%2e%2e/package.json'])('refuses %s', async (name) => {
      const response = await fetch(`${testApp.baseUrl}/${randomUUID()}/workflow/assets/${name}`);

      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('"name": "secusign"');
    });

    it('answers a repeated request with 304', async () => {
      const url = `${testApp.baseUrl}/${randomUUID()}/workflow/assets/workflow.css`;
      const first = await fetch(url);
      const etag = first.headers.get('etag');

      // An explicit Cache-Control keeps fetch from adding `no-cache`, which would skip the ETag check.
      const second = await fetch(url, { headers: { 'if-none-match': etag ?? '', 'cache-control': 'max-age=0' } });

      expect(etag).not.toBeNull();
      expect(second.status).toBe(304);
    });
  });
});
