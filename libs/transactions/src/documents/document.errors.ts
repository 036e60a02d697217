import { DomainError } from '@secusign/errors';

/** Stable codes of the errors raised by document uploads and downloads; each is the last segment of a problem `type`. */
export enum DocumentErrorCode {
  /** The upload has no bytes. */
  Empty = 'document_empty',
  /** No `%PDF-` header in the first 1024 bytes. */
  NotPdf = 'document_not_pdf',
  /** The PDF is damaged beyond repair. */
  Damaged = 'document_damaged',
  /** Opening the PDF needs a password, or its encryption forbids changes. */
  PasswordProtected = 'document_password_protected',
  /** A certification signature forbids any change, so signing would break it. */
  CertifiedNoChanges = 'document_certified_no_changes',
  /** The upload is larger than MAX_UPLOAD_MB. */
  TooLarge = 'document_too_large',
  /** The request body is neither `multipart/form-data` nor `application/pdf`. */
  UnsupportedMediaType = 'unsupported_media_type',
  /** The multipart body is malformed, lacks the `file` part, has two files or an unknown part. */
  InvalidMultipart = 'invalid_multipart',
  /** The request body ended before its declared length. */
  UploadIncomplete = 'upload_incomplete',
  /** The transaction has no document yet. */
  NotUploaded = 'document_not_uploaded',
  /** The signatory has not signed, so no revision carries their signature. */
  NotSignedYet = 'document_not_signed_yet',
  /** `?version=` has a value other than `original` or `current`. */
  InvalidVersion = 'invalid_document_version',
}

const STATUS_OF_CODE: Record<DocumentErrorCode, number> = {
  [DocumentErrorCode.Empty]: 422,
  [DocumentErrorCode.NotPdf]: 415,
  [DocumentErrorCode.Damaged]: 422,
  [DocumentErrorCode.PasswordProtected]: 422,
  [DocumentErrorCode.CertifiedNoChanges]: 422,
  [DocumentErrorCode.TooLarge]: 413,
  [DocumentErrorCode.UnsupportedMediaType]: 415,
  [DocumentErrorCode.InvalidMultipart]: 400,
  [DocumentErrorCode.UploadIncomplete]: 400,
  [DocumentErrorCode.NotUploaded]: 404,
  [DocumentErrorCode.NotSignedYet]: 404,
  [DocumentErrorCode.InvalidVersion]: 400,
};

/** An upload the domain rejects or a document that does not exist (yet). */
export class DocumentError extends DomainError {
  readonly status: number;

  constructor(code: DocumentErrorCode, message: string, errors?: Record<string, string[]>, extensions?: Record<string, unknown>) {
    super(code, message, errors, extensions);
    this.status = STATUS_OF_CODE[code];
  }

  static tooLarge(maxBytes: number): DocumentError {
    const megabytes = maxBytes / (1024 * 1024);

    return new DocumentError(DocumentErrorCode.TooLarge, `The document is larger than the maximum upload size of ${megabytes} MB (MAX_UPLOAD_MB).`, undefined, {
      max_bytes: maxBytes,
    });
  }

  static notPdf(): DocumentError {
    return new DocumentError(DocumentErrorCode.NotPdf, 'The file is not a PDF: no %PDF- header in its first 1024 bytes. Upload a PDF document.');
  }

  static empty(): DocumentError {
    return new DocumentError(DocumentErrorCode.Empty, 'The file is empty (0 bytes). Upload a PDF document.');
  }

  static invalidMultipart(message: string, field?: string): DocumentError {
    return new DocumentError(DocumentErrorCode.InvalidMultipart, message, field ? { [field]: [message] } : undefined);
  }
}
