import { Client } from 'pg';

/** Drops the run's database, unless KEEP_TEST_DATABASE=1 keeps it for debugging. */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.SECUSIGN_TEST_DATABASE;
  if (!name || process.env.KEEP_TEST_DATABASE === '1') {
    return;
  }
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
