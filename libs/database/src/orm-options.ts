import { Logger } from '@nestjs/common';
import { DefaultLogger, LogContext, LoggerNamespace } from '@mikro-orm/core';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { AppConfig } from '@secusign/config';
import { MIGRATIONS } from './migrations';

/**
 * MikroORM logger that writes through Nest's `Logger`, so its lines (the migrator's
 * "Applied '…'" among them) take the process's JSON format instead of coloured text on stdout.
 */
class NestMikroOrmLogger extends DefaultLogger {
  private readonly nestLogger = new Logger('MikroORM');

  override log(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    if (!this.isEnabled(namespace as LoggerNamespace, context)) {
      return;
    }
    const line = `[${namespace}] ${message.replace(/\s+/g, ' ').trim()}`;
    if (context?.level === 'error') {
      this.nestLogger.error(line);
    } else if (context?.level === 'warning') {
      this.nestLogger.warn(line);
    } else {
      this.nestLogger.log(line);
    }
  }
}

/** MikroORM options shared by the app, the worker and `npm run migrate`. */
export function createOrmOptions(config: Pick<AppConfig, 'databaseUrl' | 'env'>) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: config.databaseUrl,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    colors: false,
    loggerFactory: (options) => new NestMikroOrmLogger(options),
    pool: { min: 0, max: 10 },
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
  });
}
