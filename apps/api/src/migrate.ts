import 'reflect-metadata';
import { AppConfig, loadEnvFile } from '@secusign/config';
import { runMigrations } from '@secusign/database';

/** `npm run migrate`: applies pending migrations and exits; the release step of a deployment. */
async function main(): Promise<void> {
  loadEnvFile();
  await runMigrations(AppConfig.fromEnvironment());
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
