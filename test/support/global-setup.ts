import { randomBytes } from 'node:crypto';
import { runMigrations } from '../../libs/database/src/migrate';

/**
 * Creates this run's own database (so parallel runs never collide), migrates it once,
 * and hands its URL to the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const name = `secusign_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  base.pathname = `/${name}`;
  process.env.DATABASE_URL = base.toString();
  process.env.SECUSIGN_TEST_DATABASE = name;
  process.env.SECUSIGN_TEST_RUN = name;
  await runMigrations({ databaseUrl: base.toString(), env: 'test' }, { log: () => undefined } as never);
  // MikroORM keeps entity metadata on globalThis, which Jest hands to every test file run in
  // this process. A stale copy from the migration run breaks the next app's discovery.
  delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
}
