import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A client system (a bank, a lessor, an HR tool) that creates transactions through the API. */
@Entity({ tableName: 'clients' })
export class Client {
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  /** Public half of the Basic credentials. */
  @Property({ type: 'text', unique: true })
  clientId!: string;

  /** Administrator's label for the client. */
  @Property({ type: 'text' })
  name!: string;

  /** scrypt hash of the client secret, in the format written by `hashSecret`. */
  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  /** Webhook signing secret, AES-256-GCM encrypted under the master key. */
  @Property({ type: 'text', hidden: true })
  webhookSecretEncrypted!: string;

  /** Secret replaced by the last rotation; it keeps signing until `previousWebhookSecretExpiresAt`. */
  @Property({ type: 'text', nullable: true, hidden: true })
  previousWebhookSecretEncrypted: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  previousWebhookSecretExpiresAt: Date | null = null;

  /** Branding shown to signatories and used as the sender name of messages. */
  @Property({ type: 'text', nullable: true })
  displayName: string | null = null;

  @Property({ type: 'text', nullable: true })
  primaryColor: string | null = null;

  @Property({ type: 'text', nullable: true })
  logoUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  smsSender: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
