import { Migration } from '@mikro-orm/migrations';

/**
 * SHA-256 intermediate state of each stored document revision, so signing the next revision
 * hashes only the bytes it appends. Null for rows written before this column existed, which
 * the signing worker hashes in full.
 */
export class Migration20261204230000_revision_hash_state extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table document_revisions add column hash_state bytea null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table document_revisions drop column if exists hash_state;');
  }
}
