import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { Client } from '@secusign/clients';
import { TransactionStatus } from './transaction-status';

/** Rewrite applied to an upload before storing it. */
export type DocumentNormalization = 'none' | 'repaired' | 'decrypted';

/** A document to be signed by 1–4 signatories, owned by one client. */
@Entity({ tableName: 'transactions' })
export class Transaction {
  /** Lets filters name a transaction by its uid where a relation is expected. */
  [PrimaryKeyProp]?: 'uid';

  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @ManyToOne(() => Client, { ref: true, fieldName: 'client_uid' })
  client!: Ref<Client>;

  @Enum({ items: () => TransactionStatus, nativeEnumName: undefined, type: 'text' })
  status: TransactionStatus = TransactionStatus.Created;

  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  @Property({ type: 'text', nullable: true })
  webhookUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  documentFilename: string | null = null;

  @Property({ type: 'bigint', nullable: true })
  documentSize: number | null = null;

  @Property({ type: 'integer', nullable: true })
  documentPages: number | null = null;

  /** SHA-256 of the stored document (after normalization). */
  @Property({ type: 'text', nullable: true })
  documentSha256: string | null = null;

  /** SHA-256 of the bytes as uploaded, kept when normalization rewrote them. */
  @Property({ type: 'text', nullable: true })
  documentOriginalSha256: string | null = null;

  /** Storage key of the stored document: the normalized file when the upload was normalized. */
  @Property({ type: 'text', nullable: true })
  documentStorageKey: string | null = null;

  /** Storage key of the upload as received; null when it was stored without normalization. */
  @Property({ type: 'text', nullable: true })
  documentOriginalStorageKey: string | null = null;

  /** Size in bytes of the upload as received; null when it was stored without normalization. */
  @Property({ type: 'bigint', nullable: true })
  documentOriginalSize: number | null = null;

  @Property({ type: 'text', nullable: true })
  documentNormalization: DocumentNormalization | null = null;

  /** Inspection findings for the upload: signatures, form fields, JavaScript, encryption. */
  @Property({ type: 'json', nullable: true })
  documentInspection: Record<string, unknown> | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  documentUploadedAt: Date | null = null;

  /** Placement of the signature-certificate page, decided when the transaction is sent. */
  @Property({ type: 'text', nullable: true })
  certificatePage: 'appended' | 'in_evidence' | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  /** Set by DELETE; a deleted transaction is 404 everywhere but its audit trail remains. */
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
