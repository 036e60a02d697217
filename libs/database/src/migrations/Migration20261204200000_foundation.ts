import { Migration } from '@mikro-orm/migrations';

/** Clients, transactions, signatories, document revisions, the audit trail, the domain-event outbox and idempotency records. */
export class Migration20261204200000_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table clients (
        uid uuid primary key,
        client_id text not null unique,
        name text not null,
        secret_hash text not null,
        webhook_secret_encrypted text not null,
        previous_webhook_secret_encrypted text null,
        previous_webhook_secret_expires_at timestamptz null,
        display_name text null,
        primary_color text null,
        logo_url text null,
        sms_sender text null,
        disabled_at timestamptz null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );`);

    this.addSql(`
      create table transactions (
        uid uuid primary key,
        client_uid uuid not null references clients (uid),
        status text not null check (status in ('created', 'sent', 'completed', 'cancel')),
        name text null,
        webhook_url text null,
        document_filename text null,
        document_size bigint null,
        document_pages int null,
        document_sha256 text null,
        document_original_sha256 text null,
        document_storage_key text null,
        document_normalization text null,
        document_inspection jsonb null,
        document_uploaded_at timestamptz null,
        certificate_page text null check (certificate_page in ('appended', 'in_evidence')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        sent_at timestamptz null,
        completed_at timestamptz null,
        cancelled_at timestamptz null,
        deleted_at timestamptz null
      );`);
    this.addSql('create index transactions_client_created_idx on transactions (client_uid, created_at desc, uid desc) where deleted_at is null;');

    this.addSql(`
      create table signatories (
        uid uuid primary key,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        position int not null,
        firstname text not null,
        lastname text not null,
        email text not null,
        phone text not null,
        language text not null check (language in ('FR', 'EN', 'DE', 'ES', 'IT')),
        authentication text not null check (authentication in ('sms', 'email')),
        signature_level text not null check (signature_level in ('simple', 'advanced')),
        identity_provider_uid uuid null,
        status text not null check (status in ('created', 'identified', 'authenticated', 'signed')),
        identified_at timestamptz null,
        authenticated_at timestamptz null,
        signed_at timestamptz null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        deleted_at timestamptz null
      );`);
    this.addSql('create index signatories_transaction_idx on signatories (transaction_uid, position) where deleted_at is null;');

    this.addSql(`
      create table document_revisions (
        id bigserial primary key,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        sequence int not null,
        kind text not null check (kind in ('prepared', 'signed')),
        signatory_uid uuid null references signatories (uid),
        storage_key text not null,
        sha256 text not null,
        size bigint not null,
        created_at timestamptz not null,
        unique (transaction_uid, sequence)
      );`);
    this.addSql('create unique index document_revisions_signatory_idx on document_revisions (signatory_uid) where signatory_uid is not null;');

    this.addSql(`
      create table audit_events (
        id bigserial primary key,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        sequence int not null,
        type text not null,
        actor_type text not null,
        actor_id text null,
        ip text null,
        user_agent text null,
        data jsonb not null default '{}',
        created_at timestamptz not null,
        previous_hash text not null,
        hash text not null,
        unique (transaction_uid, sequence)
      );`);

    this.addSql(`
      create table domain_events (
        uid uuid primary key,
        client_uid uuid not null references clients (uid),
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        sequence int not null,
        type text not null,
        payload jsonb not null,
        created_at timestamptz not null,
        relayed_at timestamptz null,
        unique (transaction_uid, sequence)
      );`);
    this.addSql('create index domain_events_unrelayed_idx on domain_events (created_at) where relayed_at is null;');

    this.addSql(`
      create table idempotency_records (
        scope text not null,
        key text not null,
        request_hash text not null,
        status_code int null,
        response_body text null,
        response_content_type text null,
        response_location text null,
        created_at timestamptz not null,
        completed_at timestamptz null,
        primary key (scope, key)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists idempotency_records;');
    this.addSql('drop table if exists domain_events;');
    this.addSql('drop table if exists audit_events;');
    this.addSql('drop table if exists document_revisions;');
    this.addSql('drop table if exists signatories;');
    this.addSql('drop table if exists transactions;');
    this.addSql('drop table if exists clients;');
  }
}
