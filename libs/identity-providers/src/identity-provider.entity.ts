import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A partner that checks signatories' identities for the advanced level and reports each check
 * as an approval signed with its P-256 key. Only the public key is stored.
 */
@Entity({ tableName: 'identity_providers' })
export class IdentityProvider {
  /** Also the `kid` that the provider puts in the header of its approvals. */
  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  /** Administrator's label for the provider. */
  @Property({ type: 'text' })
  name!: string;

  /** P-256 public key, PEM SubjectPublicKeyInfo. */
  @Property({ type: 'text' })
  publicKey!: string;

  /** RFC 7638 SHA-256 thumbprint of the public key as a JWK, base64url. */
  @Property({ type: 'text' })
  keyThumbprint!: string;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
