import { Migration } from '@mikro-orm/migrations';

/**
 * Identity providers and the approvals they sign. The unique (provider, jti) pair makes a
 * replayed approval fail on insert, even when the copies arrive at the same time.
 */
export class Migration20261204223000_identity_providers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table identity_providers (
        uid uuid primary key,
        name text not null,
        public_key text not null,
        key_thumbprint text not null,
        disabled_at timestamptz null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );`);
    this.addSql('create index identity_providers_created_idx on identity_providers (created_at desc, uid desc);');

    this.addSql(`
      create table identity_approvals (
        uid uuid primary key,
        identity_provider_uid uuid not null references identity_providers (uid),
        jti text not null,
        signatory_uid uuid not null references signatories (uid) on delete cascade,
        transaction_uid uuid not null references transactions (uid) on delete cascade,
        issued_at timestamptz not null,
        verification jsonb null,
        jws text not null,
        created_at timestamptz not null,
        unique (identity_provider_uid, jti)
      );`);
    this.addSql('create index identity_approvals_signatory_idx on identity_approvals (signatory_uid);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists identity_approvals;');
    this.addSql('drop table if exists identity_providers;');
  }
}
