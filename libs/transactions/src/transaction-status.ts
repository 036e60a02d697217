/** Transaction status values of the public contract. */
export enum TransactionStatus {
  Created = 'created',
  Sent = 'sent',
  Completed = 'completed',
  Cancelled = 'cancel',
}
