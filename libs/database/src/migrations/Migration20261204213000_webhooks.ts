import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook delivery state: one `webhook_messages` row per domain event that has a URL to go to,
 * and one `webhook_deliveries` row per HTTP attempt, automatic or manual.
 */
export class Migration20261204213000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_messages (
        event_uid uuid primary key references domain_events (uid) on delete cascade,
        client_uid uuid not null references clients (uid),
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        sequence int not null,
        type text not null,
        url text not null,
        status text not null check (status in ('pending', 'succeeded', 'failed')),
        attempt_count int not null default 0,
        next_attempt_at timestamptz null,
        finished_at timestamptz null,
        created_at timestamptz not null,
        unique (transaction_uid, sequence)
      );`);
    this.addSql("create index webhook_messages_pending_idx on webhook_messages (transaction_uid, sequence) where status = 'pending';");

    this.addSql(`
      create table webhook_deliveries (
        uid uuid primary key,
        event_uid uuid not null references webhook_messages (event_uid) on delete cascade,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        attempt int not null,
        trigger text not null check (trigger in ('automatic', 'manual')),
        url text not null,
        succeeded boolean not null,
        status_code int null,
        duration_ms int not null,
        error text null,
        next_retry_at timestamptz null,
        created_at timestamptz not null
      );`);
    this.addSql('create index webhook_deliveries_transaction_idx on webhook_deliveries (transaction_uid, created_at desc, uid desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists webhook_deliveries;');
    this.addSql('drop table if exists webhook_messages;');
  }
}
