import { SignatoryStatus } from '@secusign/signatories';
import { TransactionStatus } from '@secusign/transactions';
import { signatureProgress, StepInput, workflowSteps, workflowViolation } from './workflow-rules';

function steps(overrides: Partial<StepInput>): ReturnType<typeof workflowSteps> {
  return workflowSteps({ transactionStatus: TransactionStatus.Sent, signatoryStatus: SignatoryStatus.Identified, authorization: 'unverified', ...overrides });
}

describe('workflowViolation', () => {
  it.each([
    [TransactionStatus.Created, SignatoryStatus.Identified, 'transaction_not_sent'],
    [TransactionStatus.Cancelled, SignatoryStatus.Authenticated, 'transaction_cancelled'],
    [TransactionStatus.Completed, SignatoryStatus.Signed, 'transaction_completed'],
    [TransactionStatus.Sent, SignatoryStatus.Created, 'signatory_not_identified'],
    [TransactionStatus.Sent, SignatoryStatus.Signed, 'signatory_already_signed'],
  ])('rejects a %s transaction with a %s signatory', (transactionStatus, signatoryStatus, code) => {
    const violation = workflowViolation('request_code', transactionStatus, signatoryStatus);

    expect(violation?.code).toBe(code);
    expect(violation?.status).toBe(409);
    expect(violation?.extensions).toEqual({ transaction_status: transactionStatus, signatory_status: signatoryStatus });
  });

  it.each([SignatoryStatus.Identified, SignatoryStatus.Authenticated])('allows a %s signatory of a sent transaction', (signatoryStatus) => {
    expect(workflowViolation('request_code', TransactionStatus.Sent, signatoryStatus)).toBeNull();
    expect(workflowViolation('verify_code', TransactionStatus.Sent, signatoryStatus)).toBeNull();
    expect(workflowViolation('sign', TransactionStatus.Sent, signatoryStatus)).toBeNull();
  });

  it('reports a cancelled transaction before the signatory status', () => {
    expect(workflowViolation('sign', TransactionStatus.Cancelled, SignatoryStatus.Created)?.code).toBe('transaction_cancelled');
  });
});

describe('workflowSteps', () => {
  it('waits for the identity provider', () => {
    expect(steps({ signatoryStatus: SignatoryStatus.Created })).toEqual({ identification: 'current', authentication: 'pending', signature: 'pending' });
  });

  it('asks an identified signatory for a code', () => {
    expect(steps({})).toEqual({ identification: 'done', authentication: 'current', signature: 'pending' });
  });

  it('opens the signature step while the code allows signing', () => {
    expect(steps({ signatoryStatus: SignatoryStatus.Authenticated, authorization: 'valid' })).toEqual({ identification: 'done', authentication: 'done', signature: 'current' });
  });

  it('asks again for a code once the signing window closed', () => {
    expect(steps({ signatoryStatus: SignatoryStatus.Authenticated, authorization: 'expired' })).toEqual({ identification: 'done', authentication: 'current', signature: 'pending' });
  });

  it('keeps the signature step open while the signature is applied', () => {
    const input = { signatoryStatus: SignatoryStatus.Authenticated, authorization: 'consented' as const };

    expect(steps(input).signature).toBe('current');
    expect(signatureProgress({ transactionStatus: TransactionStatus.Sent, ...input })).toBe('in_progress');
  });

  it('marks every step done once signed, whatever the transaction', () => {
    const done = { identification: 'done', authentication: 'done', signature: 'done' };

    expect(steps({ signatoryStatus: SignatoryStatus.Signed })).toEqual(done);
    expect(steps({ transactionStatus: TransactionStatus.Completed, signatoryStatus: SignatoryStatus.Signed })).toEqual(done);
    expect(signatureProgress({ transactionStatus: TransactionStatus.Completed, signatoryStatus: SignatoryStatus.Signed, authorization: 'consented' })).toBe('done');
  });

  it.each([TransactionStatus.Created, TransactionStatus.Cancelled])('blocks the steps of a %s transaction', (transactionStatus) => {
    expect(steps({ transactionStatus })).toEqual({ identification: 'done', authentication: 'blocked', signature: 'blocked' });
    expect(steps({ transactionStatus, signatoryStatus: SignatoryStatus.Created })).toEqual({ identification: 'blocked', authentication: 'blocked', signature: 'blocked' });
  });
});
