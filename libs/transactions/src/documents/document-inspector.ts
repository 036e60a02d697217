import { Injectable } from '@nestjs/common';
import { DocumentRejectedError, DocumentRejectionReason, inspectAndNormalize, type NormalizedDocument } from '@secusign/signature';
import { DocumentError, DocumentErrorCode } from './document.errors';

const CODE_OF_REASON: Record<DocumentRejectionReason, DocumentErrorCode> = {
  [DocumentRejectionReason.Empty]: DocumentErrorCode.Empty,
  [DocumentRejectionReason.NotPdf]: DocumentErrorCode.NotPdf,
  [DocumentRejectionReason.Damaged]: DocumentErrorCode.Damaged,
  [DocumentRejectionReason.PasswordProtected]: DocumentErrorCode.PasswordProtected,
  [DocumentRejectionReason.CertifiedNoChanges]: DocumentErrorCode.CertifiedNoChanges,
};

/**
 * Parses an upload with the signature engine, which counts pages, finds signatures and repairs
 * or decrypts what it can. The engine's rejections become DocumentErrors with their own code.
 */
@Injectable()
export class DocumentInspector {
  async inspect(bytes: Buffer): Promise<NormalizedDocument> {
    try {
      return await inspectAndNormalize(bytes);
    } catch (error) {
      if (error instanceof DocumentRejectedError) {
        throw new DocumentError(CODE_OF_REASON[error.reason], withFinalPeriod(error.message));
      }
      throw error;
    }
  }
}

function withFinalPeriod(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
