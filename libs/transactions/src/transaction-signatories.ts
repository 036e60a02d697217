import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Read access to transactions' signatories. The signatories module provides it: signatories
 * depend on transactions for the status rules, so transactions reach signatories only through
 * this abstract class, which is also the dependency-injection token.
 */
export abstract class TransactionSignatories {
  /** Counts the transaction's signatories that are not deleted. */
  abstract count(em: EntityManager, transactionUid: string): Promise<number>;

  /** Returns the public bodies of each transaction's signatories, in signing-position order. */
  abstract bodiesByTransaction(em: EntityManager, transactionUids: string[]): Promise<Map<string, object[]>>;
}
