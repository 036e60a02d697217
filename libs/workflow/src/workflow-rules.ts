import type { SigningAuthorization } from '@secusign/authentication';
import { SignatoryStatus } from '@secusign/signatories';
import { TransactionStatus } from '@secusign/transactions';
import { WorkflowError, WorkflowErrorCode } from './workflow.errors';

/** Actions a signatory takes through the workflow API. */
export type WorkflowAction = 'request_code' | 'verify_code' | 'sign';

/**
 * Returns the error that the statuses raise against a workflow action, or null when they
 * allow it. The transaction's status is checked first: a cancelled transaction is reported
 * as cancelled whatever the signatory did. Whether a code allows signing is the OTP rules' part.
 */
export function workflowViolation(action: WorkflowAction, transactionStatus: TransactionStatus, signatoryStatus: SignatoryStatus): WorkflowError | null {
  const statuses = { transaction_status: transactionStatus, signatory_status: signatoryStatus };

  switch (transactionStatus) {
    case TransactionStatus.Created:
      return new WorkflowError(WorkflowErrorCode.TransactionNotSent, 'The transaction has not been sent yet, so it cannot be signed.', statuses);
    case TransactionStatus.Cancelled:
      return new WorkflowError(WorkflowErrorCode.TransactionCancelled, 'The transaction was cancelled, so it can no longer be signed.', statuses);
    case TransactionStatus.Completed:
      return new WorkflowError(WorkflowErrorCode.TransactionCompleted, 'Every signatory has signed; the transaction is completed.', statuses);
    case TransactionStatus.Sent:
      break;
  }

  switch (signatoryStatus) {
    case SignatoryStatus.Created:
      return new WorkflowError(
        WorkflowErrorCode.SignatoryNotIdentified,
        `The identity provider has not confirmed the signatory's identity yet, so they cannot ${action === 'sign' ? 'sign' : 'authenticate'}.`,
        statuses,
      );
    case SignatoryStatus.Signed:
      return new WorkflowError(WorkflowErrorCode.SignatoryAlreadySigned, 'The signatory has already signed.', statuses);
    case SignatoryStatus.Identified:
    case SignatoryStatus.Authenticated:
      return null;
  }
}

/** Throws the error of `workflowViolation` when there is one. */
export function assertWorkflowAction(action: WorkflowAction, transactionStatus: TransactionStatus, signatoryStatus: SignatoryStatus): void {
  const violation = workflowViolation(action, transactionStatus, signatoryStatus);
  if (violation) {
    throw violation;
  }
}

/** `done`: passed; `current`: the signatory acts here now; `pending`: comes later; `blocked`: the transaction's status stops it. */
export type StepState = 'done' | 'current' | 'pending' | 'blocked';

export interface WorkflowSteps {
  identification: StepState;
  authentication: StepState;
  signature: StepState;
}

/** Progress of the signature itself, for the page's progress and done states. */
export type SignatureProgress = 'pending' | 'in_progress' | 'done';

export interface StepInput {
  transactionStatus: TransactionStatus;
  signatoryStatus: SignatoryStatus;
  /** Signing authorization of the latest verified code, or `unverified` when there is none. */
  authorization: SigningAuthorization;
}

/** Derives the three steps of the signing page from the statuses. */
export function workflowSteps(input: StepInput): WorkflowSteps {
  const identified = input.signatoryStatus !== SignatoryStatus.Created;

  if (input.signatoryStatus === SignatoryStatus.Signed) {
    return { identification: 'done', authentication: 'done', signature: 'done' };
  }
  if (input.transactionStatus !== TransactionStatus.Sent) {
    return { identification: identified ? 'done' : 'blocked', authentication: 'blocked', signature: 'blocked' };
  }
  if (!identified) {
    return { identification: 'current', authentication: 'pending', signature: 'pending' };
  }
  if (signingAllowed(input)) {
    return { identification: 'done', authentication: 'done', signature: 'current' };
  }

  return { identification: 'done', authentication: 'current', signature: 'pending' };
}

export function signatureProgress(input: StepInput): SignatureProgress {
  if (input.signatoryStatus === SignatoryStatus.Signed) {
    return 'done';
  }

  return input.signatoryStatus === SignatoryStatus.Authenticated && input.authorization === 'consented' ? 'in_progress' : 'pending';
}

function signingAllowed(input: StepInput): boolean {
  return input.signatoryStatus === SignatoryStatus.Authenticated && (input.authorization === 'valid' || input.authorization === 'consented');
}
