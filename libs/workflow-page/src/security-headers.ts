import type { Response } from 'express';

/**
 * Content-Security-Policy of the page and of every asset it loads. No inline script or style
 * runs: data reaches the script through a JSON block, which the browser does not execute,
 * and the brand colour through a stylesheet. `img-src https:` lets a client's logo load from
 * its own host; `blob:` workers and images are what pdf.js falls back to.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Sets the security headers shared by pages and assets. */
export function setSecurityHeaders(response: Response): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** Sets the headers of an HTML page. The signatory's state changes, so no copy may be stored. */
export function setPageHeaders(response: Response): void {
  setSecurityHeaders(response);
  response.setHeader('Cache-Control', 'no-store');
}

/**
 * Sets the headers of a static asset. The files change only with a deployment, so browsers
 * may keep them but must revalidate (by ETag) on each use, because pdf.js weighs about
 * 1.7 MB (pdfjs-dist 4.10.38, both files) and a phone should not fetch it again on every visit.
 */
export function setAssetHeaders(response: Response): void {
  setSecurityHeaders(response);
  response.setHeader('Cache-Control', 'no-cache');
}
