import { DomainError } from '@secusign/errors';

/** Problem codes of the signatory's workflow; each state that forbids an action has its own. */
export enum WorkflowErrorCode {
  TransactionNotSent = 'transaction_not_sent',
  TransactionCancelled = 'transaction_cancelled',
  TransactionCompleted = 'transaction_completed',
  /** The identity provider has not approved the signatory yet (advanced level). */
  SignatoryNotIdentified = 'signatory_not_identified',
  SignatoryAlreadySigned = 'signatory_already_signed',
  /** A verified code still allows signing, so a new one is not needed. */
  SignatoryAlreadyAuthenticated = 'signatory_already_authenticated',
  /** The signatory consented and the signature is being applied. */
  SignatureInProgress = 'signature_in_progress',
}

/** An action that the transaction's or the signatory's status forbids; always 409 with both statuses. */
export class WorkflowError extends DomainError {
  readonly status = 409;

  constructor(code: WorkflowErrorCode, message: string, extensions?: Record<string, unknown>) {
    super(code, message, undefined, extensions);
  }
}
