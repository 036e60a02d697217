import { TransactionError, TransactionErrorCode } from './transaction.errors';
import { TransactionStatus } from './transaction-status';

/** Everything a caller can do to a transaction whose outcome depends on its status. */
export enum TransactionAction {
  UpdateFields = 'update_fields',
  UploadDocument = 'upload_document',
  AddSignatory = 'add_signatory',
  UpdateSignatory = 'update_signatory',
  RemoveSignatory = 'remove_signatory',
  Send = 'send',
  Cancel = 'cancel',
  Delete = 'delete',
  Complete = 'complete',
}

/** Status each transition leads to; the other actions leave the status as it is. */
export const TRANSITION_TARGETS = {
  [TransactionAction.Send]: TransactionStatus.Sent,
  [TransactionAction.Cancel]: TransactionStatus.Cancelled,
  [TransactionAction.Complete]: TransactionStatus.Completed,
} as const;

export type TransitionAction = keyof typeof TRANSITION_TARGETS;

const EDIT_DESCRIPTIONS: Record<TransactionAction.UpdateFields | TransactionAction.UploadDocument | TransactionAction.AddSignatory | TransactionAction.UpdateSignatory | TransactionAction.RemoveSignatory, string> = {
  [TransactionAction.UpdateFields]: 'its name and webhook_url can no longer be changed',
  [TransactionAction.UploadDocument]: 'its document can no longer be replaced',
  [TransactionAction.AddSignatory]: 'signatories can no longer be added',
  [TransactionAction.UpdateSignatory]: 'its signatories can no longer be changed',
  [TransactionAction.RemoveSignatory]: 'its signatories can no longer be removed',
};

/**
 * Returns the error that `status` raises against `action`, or null when the status allows it.
 * Pure: services call it before a compare-and-set and guards call it to answer 409 early.
 */
export function transactionRuleViolation(action: TransactionAction, status: TransactionStatus): TransactionError | null {
  switch (action) {
    case TransactionAction.UpdateFields:
    case TransactionAction.UploadDocument:
    case TransactionAction.AddSignatory:
    case TransactionAction.UpdateSignatory:
    case TransactionAction.RemoveSignatory:
      return status === TransactionStatus.Created
        ? null
        : TransactionError.forStatus(
            TransactionErrorCode.NotEditable,
            `The transaction is "${status}", so ${EDIT_DESCRIPTIONS[action]}; only a "created" transaction can be changed.`,
            status,
          );
    case TransactionAction.Send:
      return sendViolation(status);
    case TransactionAction.Cancel:
      return cancelViolation(status);
    case TransactionAction.Delete:
      return deleteViolation(status);
    case TransactionAction.Complete:
      return completeViolation(status);
  }
}

/** Throws the error of `transactionRuleViolation` when there is one. */
export function assertTransactionAction(action: TransactionAction, status: TransactionStatus): void {
  const violation = transactionRuleViolation(action, status);
  if (violation) {
    throw violation;
  }
}

/** Statuses from which `action` is allowed. */
export function statusesAllowing(action: TransactionAction): TransactionStatus[] {
  return Object.values(TransactionStatus).filter((status) => transactionRuleViolation(action, status) === null);
}

function sendViolation(status: TransactionStatus): TransactionError | null {
  switch (status) {
    case TransactionStatus.Created:
      return null;
    case TransactionStatus.Sent:
      return TransactionError.forStatus(TransactionErrorCode.AlreadySent, 'The transaction has already been sent.', status);
    case TransactionStatus.Completed:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCompleted, 'The transaction is completed and cannot be sent again.', status);
    case TransactionStatus.Cancelled:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCancelled, 'The transaction is cancelled and cannot be sent.', status);
  }
}

function cancelViolation(status: TransactionStatus): TransactionError | null {
  switch (status) {
    case TransactionStatus.Created:
    case TransactionStatus.Sent:
      return null;
    case TransactionStatus.Completed:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCompleted, 'The transaction is completed and can no longer be cancelled.', status);
    case TransactionStatus.Cancelled:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCancelled, 'The transaction is already cancelled.', status);
  }
}

function deleteViolation(status: TransactionStatus): TransactionError | null {
  switch (status) {
    case TransactionStatus.Created:
    case TransactionStatus.Cancelled:
      return null;
    case TransactionStatus.Sent:
    case TransactionStatus.Completed:
      return TransactionError.forStatus(
        TransactionErrorCode.NotDeletable,
        `The transaction is "${status}" and cannot be deleted; only "created" and "cancel" transactions can be (cancel a sent one first).`,
        status,
      );
  }
}

function completeViolation(status: TransactionStatus): TransactionError | null {
  switch (status) {
    case TransactionStatus.Sent:
      return null;
    case TransactionStatus.Created:
      return TransactionError.forStatus(TransactionErrorCode.NotSent, 'The transaction has not been sent, so it cannot be completed.', status);
    case TransactionStatus.Completed:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCompleted, 'The transaction is already completed.', status);
    case TransactionStatus.Cancelled:
      return TransactionError.forStatus(TransactionErrorCode.AlreadyCancelled, 'The transaction is cancelled and cannot be completed.', status);
  }
}
