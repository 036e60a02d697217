import { decidePageKind } from './page-model';

describe('decidePageKind', () => {
  it.each([
    ['cancel', 'signed', 'cancelled'],
    ['cancel', 'identified', 'cancelled'],
    ['completed', 'signed', 'already_signed'],
    ['sent', 'signed', 'already_signed'],
    ['completed', 'identified', 'completed'],
    ['created', 'identified', 'not_sent'],
    ['created', 'created', 'not_sent'],
    ['sent', 'created', 'identity_pending'],
    ['sent', 'identified', 'sign'],
    ['sent', 'authenticated', 'sign'],
  ])('transaction %s with signatory %s shows %s', (transactionStatus, signatoryStatus, expected) => {
    expect(decidePageKind(transactionStatus, signatoryStatus)).toBe(expected);
  });
});
