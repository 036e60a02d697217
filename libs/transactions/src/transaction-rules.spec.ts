import { assertTransactionAction, statusesAllowing, TransactionAction, transactionRuleViolation } from './transaction-rules';
import { TransactionError, TransactionErrorCode } from './transaction.errors';
import { TransactionStatus } from './transaction-status';

const { Created, Sent, Completed, Cancelled } = TransactionStatus;
const NOT_EDITABLE = TransactionErrorCode.NotEditable;

/** Expected outcome of every action in every status: null when allowed, else the error code. */
const EXPECTED: Record<TransactionAction, Record<TransactionStatus, TransactionErrorCode | null>> = {
  [TransactionAction.UpdateFields]: { [Created]: null, [Sent]: NOT_EDITABLE, [Completed]: NOT_EDITABLE, [Cancelled]: NOT_EDITABLE },
  [TransactionAction.UploadDocument]: { [Created]: null, [Sent]: NOT_EDITABLE, [Completed]: NOT_EDITABLE, [Cancelled]: NOT_EDITABLE },
  [TransactionAction.AddSignatory]: { [Created]: null, [Sent]: NOT_EDITABLE, [Completed]: NOT_EDITABLE, [Cancelled]: NOT_EDITABLE },
  [TransactionAction.UpdateSignatory]: { [Created]: null, [Sent]: NOT_EDITABLE, [Completed]: NOT_EDITABLE, [Cancelled]: NOT_EDITABLE },
  [TransactionAction.RemoveSignatory]: { [Created]: null, [Sent]: NOT_EDITABLE, [Completed]: NOT_EDITABLE, [Cancelled]: NOT_EDITABLE },
  [TransactionAction.Send]: {
    [Created]: null,
    [Sent]: TransactionErrorCode.AlreadySent,
    [Completed]: TransactionErrorCode.AlreadyCompleted,
    [Cancelled]: TransactionErrorCode.AlreadyCancelled,
  },
  [TransactionAction.Cancel]: {
    [Created]: null,
    [Sent]: null,
    [Completed]: TransactionErrorCode.AlreadyCompleted,
    [Cancelled]: TransactionErrorCode.AlreadyCancelled,
  },
  [TransactionAction.Delete]: {
    [Created]: null,
    [Sent]: TransactionErrorCode.NotDeletable,
    [Completed]: TransactionErrorCode.NotDeletable,
    [Cancelled]: null,
  },
  [TransactionAction.Complete]: {
    [Created]: TransactionErrorCode.NotSent,
    [Sent]: null,
    [Completed]: TransactionErrorCode.AlreadyCompleted,
    [Cancelled]: TransactionErrorCode.AlreadyCancelled,
  },
};

const CASES = Object.values(TransactionAction).flatMap((action) =>
  Object.values(TransactionStatus).map((status) => ({ action, status, expected: EXPECTED[action][status] })),
);

describe('transactionRuleViolation', () => {
  it('covers every action and every status', () => {
    expect(CASES).toHaveLength(Object.values(TransactionAction).length * Object.values(TransactionStatus).length);
  });

  it.each(CASES.filter((testCase) => testCase.expected === null))('allows $action while $status', ({ action, status }) => {
    expect(transactionRuleViolation(action, status)).toBeNull();
    expect(() => assertTransactionAction(action, status)).not.toThrow();
  });

  it.each(CASES.filter((testCase) => testCase.expected !== null))('rejects $action while $status with $expected', ({ action, status, expected }) => {
    const violation = transactionRuleViolation(action, status);

    expect(violation).toBeInstanceOf(TransactionError);
    expect(violation?.code).toBe(expected);
    expect(violation?.status).toBe(409);
    expect(violation?.extensions).toEqual({ current_status: status });
    expect(violation?.message).toContain(status === Created ? 'not been sent' : `${status}`);
    expect(() => assertTransactionAction(action, status)).toThrow(violation?.message);
  });
});

describe('statusesAllowing', () => {
  it('lists the statuses each transition starts from', () => {
    expect(statusesAllowing(TransactionAction.Send)).toEqual([Created]);
    expect(statusesAllowing(TransactionAction.Cancel)).toEqual([Created, Sent]);
    expect(statusesAllowing(TransactionAction.Delete)).toEqual([Created, Cancelled]);
    expect(statusesAllowing(TransactionAction.Complete)).toEqual([Sent]);
  });
});

describe(TransactionError.name, () => {
  it('lists what a transaction lacks before sending', () => {
    const error = TransactionError.notReady(['document', 'signatories']);

    expect(error.status).toBe(422);
    expect(error.code).toBe(TransactionErrorCode.NotReady);
    expect(error.extensions).toEqual({ missing: ['document', 'signatories'] });
    expect(error.message).toBe('The transaction cannot be sent yet: upload a PDF document and add 1 to 4 signatories first.');
  });
});
