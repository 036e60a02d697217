import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { Transaction } from '@secusign/transactions';
import { SignatoryStatus } from './signatory-status';

export type SignatoryLanguage = 'FR' | 'EN' | 'DE' | 'ES' | 'IT';
export type AuthenticationMethod = 'sms' | 'email';
export type SignatureLevel = 'simple' | 'advanced';

/** A person who signs a transaction's document. */
@Entity({ tableName: 'signatories' })
export class Signatory {
  /** Lets filters name a signatory by its uid where a relation is expected. */
  [PrimaryKeyProp]?: 'uid';

  @PrimaryKey({ type: 'uuid' })
  uid: string = randomUUID();

  @ManyToOne(() => Transaction, { ref: true, fieldName: 'transaction_uid' })
  transaction!: Ref<Transaction>;

  /** Order of creation within the transaction; it picks the signature field and block. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  firstname!: string;

  @Property({ type: 'text' })
  lastname!: string;

  @Property({ type: 'text' })
  email!: string;

  /** E.164 digits without the leading `+`. */
  @Property({ type: 'text' })
  phone!: string;

  @Property({ type: 'text' })
  language!: SignatoryLanguage;

  @Property({ type: 'text' })
  authentication!: AuthenticationMethod;

  @Property({ type: 'text' })
  signatureLevel!: SignatureLevel;

  @Property({ type: 'uuid', nullable: true })
  identityProviderUid: string | null = null;

  @Property({ type: 'text' })
  status!: SignatoryStatus;

  @Property({ type: 'timestamptz', nullable: true })
  identifiedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  authenticatedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  signedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
