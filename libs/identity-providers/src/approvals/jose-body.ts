import type { Request } from 'express';
import { CommonError, CommonErrorCode } from '@secusign/errors';

export const JOSE_MEDIA_TYPE = 'application/jose';
/** Largest approval body; a compact JWS with a full `verification` object is a few kilobytes. */
export const APPROVAL_BODY_MAX_BYTES = 64 * 1024;

/**
 * Reads an `application/jose` body as text. The app's JSON parser skips this media type, so
 * the stream is still unread here. Bodies over the cap are 413 without being buffered.
 */
export async function readJoseBody(request: Request): Promise<string> {
  const mediaType = (request.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== JOSE_MEDIA_TYPE) {
    throw new CommonError(
      CommonErrorCode.UnsupportedMediaType,
      `Send the approval as a compact JWS with Content-Type: ${JOSE_MEDIA_TYPE}, not ${mediaType || 'no content type'}.`,
    );
  }
  const declaredLength = Number(request.get('content-length'));
  if (declaredLength > APPROVAL_BODY_MAX_BYTES) {
    throw tooLarge();
  }

  const body = await readCapped(request, APPROVAL_BODY_MAX_BYTES);

  return body.toString('utf8').trim();
}

/**
 * Collects the request body up to `maxBytes`. Past the cap it rejects at once and keeps
 * draining the rest unread, rather than destroying the socket, so the client receives the 413.
 */
function readCapped(request: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    request.on('data', (chunk: Buffer) => {
      const wasWithinCap = received <= maxBytes;
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
      } else if (wasWithinCap) {
        chunks.length = 0;
        reject(tooLarge());
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function tooLarge(): CommonError {
  return new CommonError(CommonErrorCode.PayloadTooLarge, `An approval body is at most ${APPROVAL_BODY_MAX_BYTES} bytes.`);
}
