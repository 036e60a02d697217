import { parse as parseContentDisposition } from 'content-disposition';

export const DEFAULT_DOCUMENT_FILENAME = 'document.pdf';
const MAX_FILENAME_LENGTH = 255;

/**
 * Cleans a client-supplied filename for storage and for the download's Content-Disposition:
 * keeps the last path segment, drops control characters and trims it to 255 characters.
 * Returns `document.pdf` when nothing usable remains.
 */
export function sanitizeFilename(candidate: string | null | undefined): string {
  if (!candidate) {
    return DEFAULT_DOCUMENT_FILENAME;
  }
  const lastSegment = candidate.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') {
    return DEFAULT_DOCUMENT_FILENAME;
  }

  return Array.from(cleaned).slice(0, MAX_FILENAME_LENGTH).join('');
}

/**
 * Returns the filename of a raw upload: the `filename*` or `filename` parameter of its
 * Content-Disposition header, else the `?filename=` query parameter, else `document.pdf`.
 * An unparsable header is ignored rather than rejected, because the filename is informative only.
 */
export function filenameOfRawUpload(contentDisposition: string | undefined, queryFilename: unknown): string {
  if (contentDisposition) {
    try {
      const filename = parseContentDisposition(contentDisposition).parameters.filename;
      if (filename) {
        return sanitizeFilename(filename);
      }
    } catch {
      // Fall through to the query parameter.
    }
  }

  return sanitizeFilename(typeof queryFilename === 'string' ? queryFilename : undefined);
}
