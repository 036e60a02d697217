import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type WebhookDeliveryTrigger = 'automatic' | 'manual';

/** One HTTP attempt to deliver a webhook message, kept for the client to inspect. */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @Property({ type: 'uuid' })
  eventUid!: string;

  @Property({ type: 'uuid' })
  transactionUid!: string;

  /** 1-based number of the automatic attempt; a manual retry repeats the last number. */
  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'text' })
  trigger!: WebhookDeliveryTrigger;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'boolean' })
  succeeded!: boolean;

  /** Null when no response came back (timeout, connection refused, blocked address). */
  @Property({ type: 'integer', nullable: true })
  statusCode: number | null = null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  /** When the next automatic attempt is due; null after a success or the last attempt. */
  @Property({ type: 'timestamptz', nullable: true })
  nextRetryAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
