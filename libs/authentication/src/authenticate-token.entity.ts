import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { OtpTokenState } from './otp-policy';

export type OtpChannel = 'sms' | 'email';

/**
 * One one-time password sent to a signatory. Only the HMAC of the code is stored. Once
 * verified it allows signing for a short window; the signature it allowed is linked to it
 * through `documentRevisionId`, which never changes afterwards.
 */
@Entity({ tableName: 'authenticate_tokens' })
export class AuthenticateToken implements OtpTokenState {
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @Property({ type: 'uuid' })
  transactionUid!: string;

  @Property({ type: 'uuid' })
  signatoryUid!: string;

  @Property({ type: 'text' })
  channel!: OtpChannel;

  /** Destination as shown to people, such as `+33 6•• •• •1 33` or `j•••@example.com`. */
  @Property({ type: 'text' })
  maskedDestination!: string;

  /** Hex HMAC-SHA256 of `<uid>:<code>`, see `hashOtpCode`. */
  @Property({ type: 'text', hidden: true })
  codeHash!: string;

  @Property({ type: 'integer' })
  failedAttempts: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when the provider rejected the message; such a token never verifies and does not count against the limits. */
  @Property({ type: 'timestamptz', nullable: true })
  deliveryFailedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lockedAt: Date | null = null;

  /** End of the signing window opened by verification. */
  @Property({ type: 'timestamptz', nullable: true })
  signingExpiresAt: Date | null = null;

  /** When the signatory consented and asked to sign with this token. */
  @Property({ type: 'timestamptz', nullable: true })
  consentedAt: Date | null = null;

  /** The signed revision this token allowed. */
  @Property({ type: 'bigint', nullable: true })
  documentRevisionId: string | null = null;
}
