import { Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { AppConfig } from '@secusign/config';
import { createOrmOptions } from './orm-options';

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serializes migrations. */
const MIGRATION_LOCK_KEY = 7_345_112_019;

/**
 * Arbitrary but fixed key of the advisory lock that serializes database creation. It is taken on
 * the maintenance database `postgres`, which every process can reach before the target exists.
 */
const CREATE_DATABASE_LOCK_KEY = 7_345_112_020;

/** SQLSTATE codes of a database that another process created first: `duplicate_database`, `unique_violation` on `pg_database`. */
const DATABASE_EXISTS_CODES = new Set(['42P04', '23505']);

/**
 * Creates the database named in `databaseUrl` when it does not exist yet. The check and the
 * `CREATE DATABASE` run under an advisory lock on the maintenance database, so processes that
 * start together create it once. A server without that lock (a pooler in transaction mode) can
 * still race, so an "already exists" error from the CREATE counts as success.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  try {
    await admin.connect();
    await admin.query('SELECT pg_advisory_lock($1)', [CREATE_DATABASE_LOCK_KEY]);
    try {
      const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (existing.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
          if (!DATABASE_EXISTS_CODES.has(error.code ?? '')) {
            throw error;
          }
        });
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [CREATE_DATABASE_LOCK_KEY]).catch(() => undefined);
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Creating the database "${name}" failed on the maintenance database ${url.host}/postgres: ${detail}. Check DATABASE_URL, or create the database by hand.`, { cause: error });
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Applies pending migrations under a session-level advisory lock, so processes that start
 * together run them once: the others wait, then find nothing left to apply.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrations(config: Pick<AppConfig, 'databaseUrl' | 'env'>, logger = new Logger('Migrations')): Promise<string[]> {
  await ensureDatabase(config.databaseUrl);

  const target = describeDatabase(config.databaseUrl);
  const lock = new Client({ connectionString: config.databaseUrl });
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const orm = await MikroORM.init(createOrmOptions(config));
    try {
      const applied = await orm.getMigrator().up();
      const names = applied.map((migration) => migration.name);
      logger.log(names.length ? `applied ${names.length} migration(s) to ${target}: ${names.join(', ')}` : `database schema of ${target} is up to date`);

      return names;
    } finally {
      await orm.close(true);
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Applying migrations to the database ${target} failed: ${detail}`, { cause: error });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

/** Host and database name of a connection URL, without the user or password. */
function describeDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl);

  return `"${decodeURIComponent(url.pathname.replace(/^\//, ''))}" on ${url.host}`;
}
