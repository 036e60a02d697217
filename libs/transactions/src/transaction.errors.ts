import { DomainError } from '@secusign/errors';
import { TransactionStatus } from './transaction-status';

/** Stable codes of the errors the transactions domain raises; each is the last segment of a problem `type`. */
export enum TransactionErrorCode {
  /** Fields, document and signatories change only while the transaction is `created`. */
  NotEditable = 'transaction_not_editable',
  AlreadySent = 'transaction_already_sent',
  AlreadyCompleted = 'transaction_already_completed',
  AlreadyCancelled = 'transaction_already_cancelled',
  /** Completing needs a `sent` transaction. */
  NotSent = 'transaction_not_sent',
  /** DELETE is allowed only while `created` or `cancel`. */
  NotDeletable = 'transaction_not_deletable',
  /** Another request changed the transaction between this request's read and its write. */
  ConcurrentlyModified = 'transaction_concurrently_modified',
  /** Sending needs a document and 1–4 signatories; the problem lists what is missing. */
  NotReady = 'transaction_not_ready',
}

const STATUS_OF_CODE: Record<TransactionErrorCode, number> = {
  [TransactionErrorCode.NotEditable]: 409,
  [TransactionErrorCode.AlreadySent]: 409,
  [TransactionErrorCode.AlreadyCompleted]: 409,
  [TransactionErrorCode.AlreadyCancelled]: 409,
  [TransactionErrorCode.NotSent]: 409,
  [TransactionErrorCode.NotDeletable]: 409,
  [TransactionErrorCode.ConcurrentlyModified]: 409,
  [TransactionErrorCode.NotReady]: 422,
};

/** What a transaction still lacks before it can be sent. */
export type MissingSendRequirement = 'document' | 'signatories';

/** An action the transaction's status or content forbids. 409 carries `current_status`. */
export class TransactionError extends DomainError {
  readonly status: number;

  constructor(code: TransactionErrorCode, message: string, extensions?: Record<string, unknown>) {
    super(code, message, undefined, extensions);
    this.status = STATUS_OF_CODE[code];
  }

  static forStatus(code: TransactionErrorCode, message: string, currentStatus: TransactionStatus): TransactionError {
    return new TransactionError(code, message, { current_status: currentStatus });
  }

  static notReady(missing: MissingSendRequirement[]): TransactionError {
    const reasons = missing.map((item) => (item === 'document' ? 'upload a PDF document' : 'add 1 to 4 signatories'));

    return new TransactionError(TransactionErrorCode.NotReady, `The transaction cannot be sent yet: ${reasons.join(' and ')} first.`, { missing });
  }

  static concurrentlyModified(currentStatus: TransactionStatus): TransactionError {
    return TransactionError.forStatus(
      TransactionErrorCode.ConcurrentlyModified,
      `Another request changed the transaction while this one ran (its status is now "${currentStatus}"); read it again and retry.`,
      currentStatus,
    );
  }
}
