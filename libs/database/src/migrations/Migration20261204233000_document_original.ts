import { Migration } from '@mikro-orm/migrations';

/**
 * Keeps the upload as received beside the normalized file that is prepared and signed, so
 * `?version=original` can serve it. Both columns stay null when the upload needed no normalization.
 */
export class Migration20261204233000_document_original extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table transactions add column document_original_storage_key text null, add column document_original_size bigint null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table transactions drop column if exists document_original_storage_key, drop column if exists document_original_size;');
  }
}
