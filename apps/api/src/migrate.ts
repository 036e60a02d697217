import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, loadEnvFile } from '@secusign/config';
import { runMigrations } from '@secusign/database';
import { installStartupLogger } from './logging';

/** `npm run migrate`: applies pending migrations and exits; the release step of a deployment. */
async function main(): Promise<void> {
  installStartupLogger();
  loadEnvFile();
  const config = AppConfig.fromEnvironment();
  installStartupLogger(config);
  await runMigrations(config);
}

main().catch((error: unknown) => {
  new Logger('Migrations').fatal(error);
  process.exit(1);
});
