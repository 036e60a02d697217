import { Migration } from '@mikro-orm/migrations';

/** Indexes for the lazy expiry of idempotency records and the newest-first list of clients. */
export class Migration20261204211500_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index idempotency_records_created_idx on idempotency_records (created_at);');
    this.addSql('create index clients_created_idx on clients (created_at desc, uid desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists clients_created_idx;');
    this.addSql('drop index if exists idempotency_records_created_idx;');
  }
}
