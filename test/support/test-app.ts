import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { createApp } from '../../apps/api/src/bootstrap';

export const ADMIN_USERNAME = 'test-admin';
export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** `http://127.0.0.1:PORT`, where the app listens on loopback. */
  baseUrl: string;
  storageDir: string;
  close(): Promise<void>;
}

/**
 * Boots the real application (database, Redis queues, HTTP) on a free loopback port.
 * Each call gets its own queue prefix and storage folder; the database is the run's.
 */
export async function startTestApp(overrides: Record<string, string> = {}, options = { withWorker: true }): Promise<TestApp> {
  const storageDir = mkdtempSync(join(tmpdir(), 'secusign-storage-'));
  const environment: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `secusign-test-${randomBytes(4).toString('hex')}`,
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    STORAGE_DIR: storageDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...overrides,
  };
  const provisional = AppConfig.fromEnvironment(environment);
  const app = await createApp(provisional, { withWorker: options.withWorker });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  // PUBLIC_URL depends on the port, known only after listening; the served config keeps the
  // provisional value, so tests compare URLs with `config.publicUrl`.
  const config = provisional;

  return {
    app,
    config,
    baseUrl,
    storageDir,
    async close() {
      await app.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
