import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig } from '@secusign/config';
import { ADMIN_PASSWORD, ADMIN_USERNAME, TestApp } from '../support/test-app';

const ROOT = resolve(__dirname, '..', '..');

/** The API with its queue worker, started as its own operating-system process from the TypeScript sources. */
export interface AppProcess extends TestApp {
  child: ChildProcess;
  /** Everything the process wrote to stdout (pino's JSON lines). */
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code, or the signal that killed the process. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));

  return port;
}

/**
 * Starts `apps/api/src/main.ts --with-worker` on a free loopback port with the run's database,
 * its own queue prefix and storage folder (unless `environment` sets them) and any
 * `extraArguments` (such as `--migrate`), and waits until
 * `/health` returns 200. The `TestApp` fields let the shared test helpers call it; `app` is not
 * available because the application lives in the other process.
 */
export async function startAppProcess(environment: Record<string, string> = {}, extraArguments: string[] = []): Promise<AppProcess> {
  const port = await freePort();
  const storageDir = environment.STORAGE_DIR ?? mkdtempSync(join(tmpdir(), 'secusign-storage-'));
  const variables: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `secusign-test-${randomBytes(4).toString('hex')}`,
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'info',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...environment,
  };
  const child = spawn(process.execPath, ['-r', './test/workflow/ts-register.js', 'apps/api/src/main.ts', '--with-worker', ...extraArguments], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;

  const appProcess: AppProcess = {
    app: undefined as never,
    config: AppConfig.fromEnvironment(variables),
    baseUrl,
    storageDir,
    child,
    stdout,
    stderr,
    exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!environment.STORAGE_DIR) {
        rmSync(storageDir, { recursive: true, force: true });
      }
    },
  };
  await waitUntilHealthy(appProcess);

  return appProcess;
}

async function waitUntilHealthy(appProcess: AppProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (appProcess.child.exitCode !== null || appProcess.child.signalCode !== null) {
      throw new Error(`the app process exited before it was healthy; stderr: ${appProcess.stderr.join('')}\nstdout tail: ${appProcess.stdout.join('').slice(-4000)}`);
    }
    const status = await fetch(`${appProcess.baseUrl}/health`).then(
      (response) => response.status,
      () => null,
    );
    if (status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the app process was not healthy after ${timeoutMs} ms (last status ${status}); stderr: ${appProcess.stderr.join('')}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}
