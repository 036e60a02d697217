import { formatTimestamp } from '@secusign/database';
import type { DownloadLinksBody } from '@secusign/downloads';
import type { DocumentNormalization, Transaction } from './transaction.entity';
import type { TransactionStatus } from './transaction-status';

/** The `document` member of a transaction body. */
export interface TransactionDocumentBody {
  filename: string | null;
  size: number;
  pages: number | null;
  sha256: string;
  certificate_page: 'appended' | 'in_evidence' | null;
  normalization: DocumentNormalization;
  original_sha256: string;
}

/**
 * A transaction as the API returns it and as domain events carry it. Completed transactions
 * also carry the download links.
 */
export interface TransactionBody extends Partial<DownloadLinksBody> {
  uid: string;
  status: TransactionStatus;
  name: string | null;
  webhook_url: string | null;
  document: TransactionDocumentBody | null;
  signatories: object[];
  created_at: string;
  sent_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
}

/** Builds the public body of `transaction`; `signatories` are already serialized by the signatories module. */
export function toTransactionBody(transaction: Transaction, signatories: object[], downloadLinks: DownloadLinksBody | null = null): TransactionBody {
  return {
    uid: transaction.uid,
    status: transaction.status,
    name: transaction.name,
    webhook_url: transaction.webhookUrl,
    document: toDocumentBody(transaction),
    signatories,
    created_at: formatTimestamp(transaction.createdAt),
    sent_at: formatTimestamp(transaction.sentAt),
    completed_at: formatTimestamp(transaction.completedAt),
    cancelled_at: formatTimestamp(transaction.cancelledAt),
    ...(downloadLinks ?? {}),
  };
}

function toDocumentBody(transaction: Transaction): TransactionDocumentBody | null {
  if (transaction.documentSha256 === null || transaction.documentSize === null) {
    return null;
  }

  return {
    filename: transaction.documentFilename,
    // bigint columns come back from PostgreSQL as strings.
    size: Number(transaction.documentSize),
    pages: transaction.documentPages,
    sha256: transaction.documentSha256,
    certificate_page: transaction.certificatePage,
    normalization: transaction.documentNormalization ?? 'none',
    original_sha256: transaction.documentOriginalSha256 ?? transaction.documentSha256,
  };
}
