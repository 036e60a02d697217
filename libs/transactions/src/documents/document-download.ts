import { pipeline } from 'node:stream/promises';
import contentDisposition from 'content-disposition';
import type { Request, Response } from 'express';
import { sanitizeFilename } from './document-filename';
import type { DocumentDownload } from './documents.service';

/**
 * Streams a stored PDF with `Content-Disposition` (RFC 5987 `filename*` for non-ASCII names)
 * and `ETag` set to its SHA-256. A matching `If-None-Match` gets a 304 without the body.
 */
export async function sendDocument(request: Request, response: Response, download: DocumentDownload): Promise<void> {
  const etag = `"${download.sha256}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', 'private, no-cache');
  if (matchesEtag(request.headers['if-none-match'], etag)) {
    download.stream.destroy();
    response.status(304).end();

    return;
  }

  response.status(200);
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader('Content-Length', String(download.size));
  // Cleaned again because rows stored before filenames were sanitized at upload may lack `.pdf`.
  response.setHeader('Content-Disposition', contentDisposition(sanitizeFilename(download.filename), { type: 'attachment' }));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  await pipeline(download.stream, response);
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) {
    return false;
  }

  return ifNoneMatch.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');

    return value === etag || value === '*';
  });
}
