import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type WebhookMessageStatus = 'pending' | 'succeeded' | 'failed';

/**
 * Delivery state of one domain event sent to a transaction's webhook URL. Events of a
 * transaction go out in `sequence` order: one waits while an earlier one is `pending`.
 */
@Entity({ tableName: 'webhook_messages' })
export class WebhookMessage {
  /** The domain event uid, also the `webhook-id` header and the body's `id`. */
  @PrimaryKey({ type: 'uuid' })
  eventUid!: string;

  @Property({ type: 'uuid' })
  clientUid!: string;

  @Property({ type: 'uuid' })
  transactionUid!: string;

  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'text' })
  type!: string;

  /** The transaction's webhook URL when the event was relayed. */
  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text' })
  status: WebhookMessageStatus = 'pending';

  /** Automatic attempts made so far; manual retries are not counted. */
  @Property({ type: 'integer' })
  attemptCount = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
