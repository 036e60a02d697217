import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204200000_foundation } from './Migration20261204200000_foundation';

/**
 * Every migration, in order. Listed explicitly so the compiled app and the TypeScript tests
 * run the same set without scanning folders.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261204200000_foundation', class: Migration20261204200000_foundation },
];
