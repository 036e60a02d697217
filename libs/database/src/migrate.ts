import { Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { AppConfig } from '@secusign/config';
import { createOrmOptions } from './orm-options';

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serializes migrations. */
const MIGRATION_LOCK_KEY = 7_345_112_019;

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // 42P04: another process created it between our check and our CREATE.
        if (error.code !== '42P04') {
          throw error;
        }
      });
    }
  } finally {
    await admin.end();
  }
}

/**
 * Applies pending migrations under a session-level advisory lock, so processes that start
 * together run them once: the others wait, then find nothing left to apply.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrations(config: Pick<AppConfig, 'databaseUrl' | 'env'>, logger = new Logger('Migrations')): Promise<string[]> {
  await ensureDatabase(config.databaseUrl);

  const lock = new Client({ connectionString: config.databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const orm = await MikroORM.init(createOrmOptions(config));
    try {
      const applied = await orm.getMigrator().up();
      const names = applied.map((migration) => migration.name);
      logger.log(names.length ? `applied ${names.length} migration(s): ${names.join(', ')}` : 'database schema is up to date');

      return names;
    } finally {
      await orm.close(true);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
