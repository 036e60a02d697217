import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A message kept by the `outbox` provider instead of being sent, for development and tests.
 * It contains the message body, one-time codes included, which is why production rejects
 * the `outbox` provider.
 */
@Entity({ tableName: 'outbox_messages' })
export class OutboxMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  channel!: 'sms' | 'email';

  /** Email address in lower case or phone digits without `+`, see `normalizeRecipient`. */
  @Property({ type: 'text' })
  recipient!: string;

  /** SMS sender ID or email display name. */
  @Property({ type: 'text' })
  sender!: string;

  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
