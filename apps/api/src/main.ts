import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, loadEnvFile } from '@secusign/config';
import { runMigrations } from '@secusign/database';
import { createApp } from './bootstrap';
import { installStartupLogger } from './logging';
import { installGracefulShutdown } from './shutdown';

/**
 * Starts the HTTP API. `--migrate` applies migrations first (under an advisory lock);
 * `--with-worker` also runs the queue processors in this process. SIGTERM drains requests and
 * finishes active jobs before the process exits.
 */
async function main(): Promise<void> {
  installStartupLogger();
  loadEnvFile();
  const config = AppConfig.fromEnvironment();
  installStartupLogger(config);
  const args = new Set(process.argv.slice(2));
  const logger = new Logger('Main');

  if (args.has('--migrate')) {
    await runMigrations(config);
  }
  const app = await createApp(config, { withWorker: args.has('--with-worker') });
  installGracefulShutdown(app, config.shutdownTimeoutMs);
  await app.listen(config.port);
  logger.log(`SecuSign API listening on port ${config.port} (${config.publicUrl})${args.has('--with-worker') ? ' with the queue worker' : ''}`);
}

main().catch((error: unknown) => {
  new Logger('Main').fatal(error);
  process.exit(1);
});
