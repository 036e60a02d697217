import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Kind of actor that caused an audit event. */
export type AuditActorType = 'client' | 'admin' | 'signatory' | 'identity_provider' | 'system';

/**
 * One entry of a transaction's append-only audit trail. `hash` is the SHA-256 of the
 * canonical JSON of the event including `previousHash`, so altering any event breaks the chain.
 */
@Entity({ tableName: 'audit_events' })
export class AuditEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  transactionUid!: string;

  /** 1-based position in the transaction's trail. */
  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  actorType!: AuditActorType;

  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  @Property({ type: 'text', nullable: true })
  ip: string | null = null;

  @Property({ type: 'text', nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'json' })
  data: Record<string, unknown> = {};

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'text' })
  previousHash!: string;

  @Property({ type: 'text' })
  hash!: string;
}
