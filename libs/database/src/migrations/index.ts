import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204200000_foundation } from './Migration20261204200000_foundation';
import { Migration20261204210000_workflow } from './Migration20261204210000_workflow';
import { Migration20261204211500_idempotency } from './Migration20261204211500_idempotency';
import { Migration20261204213000_webhooks } from './Migration20261204213000_webhooks';
import { Migration20261204223000_identity_providers } from './Migration20261204223000_identity_providers';
import { Migration20261204230000_revision_hash_state } from './Migration20261204230000_revision_hash_state';
import { Migration20261204233000_document_original } from './Migration20261204233000_document_original';

/**
 * Every migration, in order. Listed explicitly so the compiled app and the TypeScript tests
 * run the same set without scanning folders.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261204200000_foundation', class: Migration20261204200000_foundation },
  { name: 'Migration20261204210000_workflow', class: Migration20261204210000_workflow },
  { name: 'Migration20261204211500_idempotency', class: Migration20261204211500_idempotency },
  { name: 'Migration20261204213000_webhooks', class: Migration20261204213000_webhooks },
  { name: 'Migration20261204223000_identity_providers', class: Migration20261204223000_identity_providers },
  { name: 'Migration20261204230000_revision_hash_state', class: Migration20261204230000_revision_hash_state },
  { name: 'Migration20261204233000_document_original', class: Migration20261204233000_document_original },
];
