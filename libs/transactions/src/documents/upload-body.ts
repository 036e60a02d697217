import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { DocumentError, DocumentErrorCode } from './document.errors';

/** Form of an upload body: a multipart form or the raw PDF. */
export type UploadBodyKind = 'multipart' | 'pdf';

/** Room for the multipart boundaries, part headers and text fields around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 16 * 1024;
const MAX_PARTS = 16;

/** Returns the upload form of a Content-Type header, or null for any other type. */
export function uploadBodyKind(contentType: string | undefined): UploadBodyKind | null {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType === 'multipart/form-data') {
    return 'multipart';
  }
  if (mediaType === 'application/pdf') {
    return 'pdf';
  }

  return null;
}

/**
 * Rejects, from the headers alone, a body too large for `maxBytes` of PDF: 413 when the
 * declared Content-Length exceeds it (plus the multipart overhead for a form). The body is
 * left unread and the connection is closed after the response.
 */
export function assertDeclaredLength(request: Request, kind: UploadBodyKind, maxBytes: number): void {
  const declared = Number(request.headers['content-length']);
  const limit = kind === 'multipart' ? maxBytes + MULTIPART_OVERHEAD_BYTES : maxBytes;
  if (Number.isFinite(declared) && declared > limit) {
    closeConnectionAfterResponse(request);
    throw DocumentError.tooLarge(maxBytes);
  }
}

/**
 * Reads a raw `application/pdf` body through `consume`. When `consume` fails, the rest of the
 * body is not read and the connection closes after the error response.
 */
export async function receiveRawBody<T>(request: Request, consume: (body: Readable) => Promise<T>): Promise<T> {
  assertStillReceiving(request);
  const body = new PassThrough();
  const abort = () => body.destroy(incompleteUpload());
  request.once('error', abort);
  request.once('close', () => {
    if (!request.complete) {
      abort();
    }
  });
  request.pipe(body);

  try {
    return await consume(body);
  } catch (error) {
    stopReading(request, body);
    throw error;
  }
}

export interface MultipartOptions<T> {
  /** Text fields the form may carry; any other field is a 400. */
  allowedFields: readonly string[];
  /** Stores the `file` part; runs while the rest of the form is still being parsed. */
  consumeFile: (file: Readable, filename: string) => Promise<T>;
  /** Undoes `consumeFile` when the form turns out to be invalid after the file was stored. */
  discardFile: (stored: T) => Promise<void>;
}

export interface MultipartUpload<T> {
  fields: Record<string, string>;
  /** The value returned by `consumeFile`, or null when the form has no `file` part. */
  file: T | null;
}

/**
 * Parses a `multipart/form-data` body with busboy, streaming the part named `file` to
 * `consumeFile`. Rejects with 400 `invalid_multipart` a malformed body, a second file, a file
 * under another name and an unknown or oversized text field. On any failure the rest of the
 * body is not read, and a file already stored is discarded.
 */
export function receiveMultipart<T>(request: Request, options: MultipartOptions<T>): Promise<MultipartUpload<T>> {
  let parser: busboy.Busboy;
  try {
    assertStillReceiving(request);
  } catch (error) {
    return Promise.reject(error);
  }
  try {
    parser = busboy({
      headers: request.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: MAX_FIELD_BYTES, parts: MAX_PARTS, headerPairs: 20 },
    });
  } catch (error) {
    return Promise.reject(DocumentError.invalidMultipart(`The multipart body is invalid: ${(error as Error).message}.`));
  }

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let fileTask: Promise<T> | null = null;
    let activeFile: Readable | null = null;
    let failure: Error | null = null;
    let settling = false;

    const settle = async () => {
      if (settling) {
        return;
      }
      settling = true;
      const outcome = fileTask ? await fileTask.then((value) => ({ value }), (error: unknown) => ({ error })) : null;
      if (outcome && 'error' in outcome) {
        reject(failure ?? outcome.error);
      } else if (failure) {
        if (outcome) {
          await options.discardFile(outcome.value).catch(() => undefined);
        }
        reject(failure);
      } else {
        resolve({ fields, file: outcome?.value ?? null });
      }
    };
    const fail = (error: Error) => {
      if (failure) {
        return;
      }
      failure = error;
      stopReading(request, parser);
      if (activeFile && !activeFile.readableEnded) {
        activeFile.destroy(error);
      }
      void settle();
    };

    // After a failure the parser still emits the parts of the chunk it was given: ignore them,
    // because a file stored now would never be discarded.
    parser.on('file', (name, stream, info) => {
      if (failure) {
        stream.resume();
      } else if (name !== 'file') {
        stream.resume();
        fail(DocumentError.invalidMultipart(`The form has a file part named "${name}"; send the PDF in the part named "file".`, name));
      } else if (fileTask) {
        stream.resume();
        fail(DocumentError.invalidMultipart('The form has more than one "file" part; send exactly one PDF.', 'file'));
      } else {
        // The consumer gets a destroyed stream's error from its own reads. This listener only
        // keeps an error raised after the consumer stopped listening from crashing the process.
        stream.on('error', () => undefined);
        activeFile = stream;
        fileTask = options.consumeFile(stream, info.filename ?? '');
        fileTask.then(() => (activeFile = null), fail);
      }
    });
    parser.on('field', (name, value, info) => {
      if (failure) {
        return;
      } else if (name === 'file') {
        fail(DocumentError.invalidMultipart('The "file" part has no filename, so it is a text field; send the PDF as a file part.', 'file'));
      } else if (!options.allowedFields.includes(name)) {
        const allowed = ['file', ...options.allowedFields].map((part) => `"${part}"`).join(', ');
        fail(DocumentError.invalidMultipart(`The form has an unknown field "${name}"; send only these parts: ${allowed}.`, name));
      } else if (info.valueTruncated) {
        fail(DocumentError.invalidMultipart(`The field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`, name));
      } else {
        fields[name] = value;
      }
    });
    parser.on('partsLimit', () => fail(DocumentError.invalidMultipart(`The form has more than ${MAX_PARTS} parts.`)));
    parser.on('error', (error: Error) => fail(DocumentError.invalidMultipart(`The multipart body is invalid: ${error.message}.`)));
    parser.on('close', () => void settle());
    request.once('error', () => fail(incompleteUpload()));
    request.once('close', () => {
      if (!request.complete) {
        fail(incompleteUpload());
      }
    });
    request.pipe(parser);
  });
}

/**
 * Throws `upload_incomplete` when the client closed the connection before its body arrived.
 * Guards run before the body is read, so that can happen before any listener is attached, and
 * a closed request emits no more events: without this check the upload would wait forever.
 */
function assertStillReceiving(request: Request): void {
  if (!request.complete && (request.destroyed || request.socket.destroyed)) {
    throw incompleteUpload();
  }
}

function incompleteUpload(): DocumentError {
  return new DocumentError(DocumentErrorCode.UploadIncomplete, 'The request body ended before it was complete; send the upload again.');
}

/**
 * Stops reading the request body and leaves the rest unread on the socket. `Connection: close`
 * makes Node close the connection after the error response, so it never drains the body.
 */
function stopReading(request: Request, destination: NodeJS.WritableStream): void {
  request.unpipe(destination);
  request.pause();
  closeConnectionAfterResponse(request);
}

function closeConnectionAfterResponse(request: Request): void {
  if (request.res && !request.res.headersSent) {
    request.res.setHeader('Connection', 'close');
  }
}
