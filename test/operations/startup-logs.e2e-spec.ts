import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS } from '../../libs/database/src/migrations';
import { AppProcess, startAppProcess } from './app-process';

function databaseUrlFor(name: string): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${name}`;

  return url.toString();
}

function nonJsonLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
}

describe('two processes started with --migrate on a missing database', () => {
  const databaseName = `secusign_startup_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const processes: AppProcess[] = [];
  let stdout: string;
  let stderr: string;

  beforeAll(async () => {
    const environment = { DATABASE_URL: databaseUrlFor(databaseName) };
    const started = await Promise.allSettled([startAppProcess(environment, ['--migrate']), startAppProcess(environment, ['--migrate'])]);
    for (const result of started) {
      if (result.status === 'fulfilled') {
        processes.push(result.value);
      }
    }
    for (const appProcess of processes) {
      await appProcess.close();
    }
    stdout = processes.map((appProcess) => appProcess.stdout.join('')).join('');
    stderr = processes.map((appProcess) => appProcess.stderr.join('')).join('');
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      throw (failure as PromiseRejectedResult).reason;
    }
  });

  afterAll(async () => {
    for (const appProcess of processes) {
      await appProcess.close();
    }
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  });

  it('both become healthy', () => {
    expect(processes).toHaveLength(2);
  });

  it('print only JSON lines on stdout', () => {
    expect(stdout.length).toBeGreaterThan(0);
    expect(nonJsonLines(stdout)).toEqual([]);
  });

  it('print only JSON lines on stderr', () => {
    expect(nonJsonLines(stderr)).toEqual([]);
  });

  it('log each applied migration once', () => {
    for (const migration of MIGRATIONS) {
      const appliedLines = stdout.split('\n').filter((line) => line.includes(`Applied '${migration.name}'`));
      expect(appliedLines).toHaveLength(1);
    }
  });
});
