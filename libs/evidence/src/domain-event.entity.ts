import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Event types clients receive by webhook. */
export type DomainEventType =
  | 'transaction.sent'
  | 'signatory.identified'
  | 'signatory.signed'
  | 'transaction.completed'
  | 'transaction.cancelled';

/**
 * Outbox row written in the same database transaction as the change it reports. A relay
 * publishes it afterwards, so an event exists if and only if its change was committed.
 */
@Entity({ tableName: 'domain_events' })
export class DomainEvent {
  /** Also the webhook `id`, stable across delivery retries. */
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @Property({ type: 'uuid' })
  clientUid!: string;

  @Property({ type: 'uuid' })
  transactionUid!: string;

  /** 1-based, per transaction: the order in which webhooks go out. */
  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'text' })
  type!: DomainEventType;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;
}
