import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Transaction } from './transaction.entity';

/**
 * One stored revision produced by the signature engine: sequence 0 is the prepared document
 * (certificate page and empty fields), then one signed revision per signatory.
 */
@Entity({ tableName: 'document_revisions' })
export class DocumentRevision {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Transaction, { ref: true, fieldName: 'transaction_uid' })
  transaction!: Ref<Transaction>;

  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'text' })
  kind!: 'prepared' | 'signed';

  /** Signatory whose signature produced this revision; null for the prepared one. */
  @Property({ type: 'uuid', nullable: true })
  signatoryUid: string | null = null;

  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'bigint' })
  size!: number;

  /**
   * Serialized SHA-256 state after hashing all of this revision's bytes (see
   * `computeRevisionHashState` in the signature engine); null for rows stored before it existed.
   */
  @Property({ type: 'blob', nullable: true })
  hashState: Buffer | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
