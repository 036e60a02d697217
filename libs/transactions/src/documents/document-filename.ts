import { parse as parseContentDisposition } from 'content-disposition';

export const DEFAULT_DOCUMENT_FILENAME = 'document.pdf';
/** Maximum length of a stored filename in characters (code points), `.pdf` included. */
export const MAX_FILENAME_LENGTH = 200;
const PDF_EXTENSION = '.pdf';

/**
 * Characters removed from filenames: C0 and C1 control characters, lone surrogates, and the
 * Unicode bidirectional and format controls (LRM, RLM, ALM, LRE…RLO, LRI…PDI). A right-to-left
 * override makes `‮fdp.exe` display as `exe.pdf`.
 */
const UNSAFE_FILENAME_CHARACTER = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Cleans a client-supplied filename for storage and for the download's Content-Disposition:
 * keeps the last path segment, removes control and bidirectional formatting characters, trims
 * it, and makes it end in `.pdf` within 200 characters. Returns `document.pdf` when nothing
 * usable remains.
 */
export function sanitizeFilename(candidate: string | null | undefined): string {
  if (!candidate) {
    return DEFAULT_DOCUMENT_FILENAME;
  }
  const cleaned = candidate.replace(UNSAFE_FILENAME_CHARACTER, '');
  const lastSegment = (cleaned.split(/[/\\]/).pop() ?? '').trim();
  if (lastSegment === '' || lastSegment === '.' || lastSegment === '..') {
    return DEFAULT_DOCUMENT_FILENAME;
  }

  return withPdfExtension(lastSegment);
}

/**
 * Returns `filename` ending in `.pdf` (any case) and at most 200 characters long, appending the
 * extension when it is missing, so a download is never saved as another file type.
 */
export function withPdfExtension(filename: string): string {
  const hasExtension = filename.toLowerCase().endsWith(PDF_EXTENSION);
  const characters = Array.from(filename);
  if (hasExtension && characters.length <= MAX_FILENAME_LENGTH) {
    return filename;
  }
  const base = hasExtension ? characters.slice(0, -PDF_EXTENSION.length) : characters;

  return `${base.slice(0, MAX_FILENAME_LENGTH - PDF_EXTENSION.length).join('').trimEnd()}${PDF_EXTENSION}`;
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
