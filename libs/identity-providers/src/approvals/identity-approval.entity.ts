import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An identity provider's signed statement that it checked a signatory's identity. The compact
 * JWS is kept as received, so the approval can be verified again later with the provider's key.
 */
@Entity({ tableName: 'identity_approvals' })
export class IdentityApproval {
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @Property({ type: 'uuid' })
  identityProviderUid!: string;

  /** JWT ID claim; unique per provider, which is what rejects a replay. */
  @Property({ type: 'text' })
  jti!: string;

  @Property({ type: 'uuid' })
  signatoryUid!: string;

  @Property({ type: 'uuid' })
  transactionUid!: string;

  /** The `iat` claim. */
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;

  /** The optional `verification` claim, as the provider sent it. */
  @Property({ type: 'json', nullable: true })
  verification: Record<string, unknown> | null = null;

  @Property({ type: 'text' })
  jws!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
