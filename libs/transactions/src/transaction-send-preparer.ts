import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transaction } from './transaction.entity';

/** What a preparer produced for one send attempt. */
export interface PreparedSend {
  /** Where the signature-certificate page goes; stored with the status change. */
  certificatePage: 'appended' | 'in_evidence' | null;
  /**
   * Records what was prepared (such as the prepared document revision) inside the database
   * transaction that marks the transaction as sent, after its compare-and-set succeeded.
   */
  commit(em: EntityManager): Promise<void>;
  /** Removes what was prepared (stored files) when the send does not happen. */
  discard(): Promise<void>;
}

/**
 * Runs before a transaction is sent, outside the database transaction because it may take a
 * while: the signature engine adds the certificate page and the empty signature fields here.
 * Also the dependency-injection token.
 */
export abstract class TransactionSendPreparer {
  abstract prepare(transaction: Transaction): Promise<PreparedSend>;
}

/**
 * Default preparer that changes nothing and stores nothing.
 * TODO: replace it in TransactionsModule's providers with the signature engine's preparer.
 */
@Injectable()
export class NoopTransactionSendPreparer extends TransactionSendPreparer {
  async prepare(): Promise<PreparedSend> {
    return { certificatePage: null, commit: async () => undefined, discard: async () => undefined };
  }
}
