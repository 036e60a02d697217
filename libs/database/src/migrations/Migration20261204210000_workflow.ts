import { Migration } from '@mikro-orm/migrations';

/** One-time-password tokens of the signing workflow and the development message outbox. */
export class Migration20261204210000_workflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table authenticate_tokens (
        uid uuid primary key,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        signatory_uid uuid not null references signatories (uid) on delete cascade,
        channel text not null check (channel in ('sms', 'email')),
        masked_destination text not null,
        code_hash text not null,
        failed_attempts int not null default 0 check (failed_attempts >= 0),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        delivery_failed_at timestamptz null,
        verified_at timestamptz null,
        locked_at timestamptz null,
        signing_expires_at timestamptz null,
        consented_at timestamptz null,
        document_revision_id bigint null references document_revisions (id),
        check (signing_expires_at is null or verified_at is not null),
        check (consented_at is null or verified_at is not null)
      );`);
    this.addSql('create index authenticate_tokens_signatory_idx on authenticate_tokens (signatory_uid, created_at desc);');
    this.addSql('create unique index authenticate_tokens_revision_idx on authenticate_tokens (document_revision_id) where document_revision_id is not null;');

    this.addSql(`
      create table outbox_messages (
        id bigserial primary key,
        channel text not null check (channel in ('sms', 'email')),
        recipient text not null,
        sender text not null,
        subject text null,
        body text not null,
        created_at timestamptz not null
      );`);
    this.addSql('create index outbox_messages_recipient_idx on outbox_messages (recipient, id desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists outbox_messages;');
    this.addSql('drop table if exists authenticate_tokens;');
  }
}
