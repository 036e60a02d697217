import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, loadEnvFile } from '@secusign/config';
import { installStartupLogger } from '../../api/src/logging';
import { installGracefulShutdown } from '../../api/src/shutdown';
import { WorkerModule } from './worker.module';

/**
 * Starts the queue worker alone; several may run beside several APIs. It does not migrate.
 * SIGTERM finishes the active jobs before the process exits.
 */
async function main(): Promise<void> {
  installStartupLogger();
  loadEnvFile();
  const config = AppConfig.fromEnvironment();
  installStartupLogger(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  installGracefulShutdown(app, config.shutdownTimeoutMs);
  new Logger('Worker').log('SecuSign worker started');
}

main().catch((error: unknown) => {
  new Logger('Worker').fatal(error);
  process.exit(1);
});
