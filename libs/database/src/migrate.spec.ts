import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureDatabase, runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const silentLogger = { log: () => undefined } as never;

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;

  return url.toString();
}

async function onMaintenanceDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(SERVER_URL);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('runMigrations on a missing database', () => {
  const name = `secusign_migrate_${Date.now()}_${randomBytes(3).toString('hex')}`;

  afterAll(async () => {
    await onMaintenanceDatabase((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
  });

  it('creates and migrates it once when run concurrently', async () => {
    const runs = await Promise.allSettled(Array.from({ length: 6 }, () => runMigrations({ databaseUrl: databaseUrl(name), env: 'test' }, silentLogger)));

    expect(runs.filter((run) => run.status === 'rejected')).toEqual([]);
    const appliedNames = runs.flatMap((run) => (run.status === 'fulfilled' ? run.value : []));
    expect(appliedNames.sort()).toEqual(MIGRATIONS.map((migration) => migration.name).sort());

    const client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      const rows = await client.query<{ name: string; count: string }>('SELECT name, count(*) AS count FROM mikro_orm_migrations GROUP BY name ORDER BY name');
      expect(rows.rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name).sort());
      expect(rows.rows.filter((row) => row.count !== '1')).toEqual([]);
    } finally {
      await client.end();
    }
  });
});

describe('ensureDatabase', () => {
  const name = `secusign_ensure_${Date.now()}_${randomBytes(3).toString('hex')}`;

  afterAll(async () => {
    await onMaintenanceDatabase((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('creates a database once under concurrent calls', async () => {
    const runs = await Promise.allSettled(Array.from({ length: 8 }, () => ensureDatabase(databaseUrl(name))));

    expect(runs.filter((run) => run.status === 'rejected')).toEqual([]);
    const found = await onMaintenanceDatabase((client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    expect(found.rowCount).toBe(1);
  });

  it('names the database and the server when it fails', async () => {
    const url = new URL(SERVER_URL);
    url.port = '1';
    url.pathname = '/secusign_unreachable';

    await expect(ensureDatabase(url.toString())).rejects.toThrow(/"secusign_unreachable".*:1\/postgres/);
  });
});
