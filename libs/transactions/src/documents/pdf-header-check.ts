import { Readable } from 'node:stream';
import { DocumentError } from './document.errors';

/** The `%PDF-` header must lie within this many leading bytes; readers tolerate junk before it. */
export const PDF_HEADER_WINDOW_BYTES = 1024;
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');

/**
 * Passes `source` through unchanged while checking that it is a PDF, so a wrong upload fails
 * after about 1024 bytes instead of being stored whole. The stream fails with `document_empty`
 * when the source has no bytes and with `document_not_pdf` when `%PDF-` is not within the
 * first 1024 bytes.
 */
export function withPdfHeaderCheck(source: AsyncIterable<Buffer | Uint8Array>): Readable {
  return Readable.from(checkPdfHeader(source), { objectMode: false });
}

async function* checkPdfHeader(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let headerChecked = false;

  for await (const chunk of source) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (!headerChecked) {
      head = Buffer.concat([head, bytes]);
      if (head.length >= PDF_HEADER_WINDOW_BYTES) {
        assertPdfHeader(head);
        headerChecked = true;
        head = Buffer.alloc(0);
      }
    }
    yield bytes;
  }

  if (!headerChecked) {
    if (head.length === 0) {
      throw DocumentError.empty();
    }
    assertPdfHeader(head);
  }
}

function assertPdfHeader(head: Buffer): void {
  if (!head.subarray(0, PDF_HEADER_WINDOW_BYTES).includes(PDF_HEADER)) {
    throw DocumentError.notPdf();
  }
}
