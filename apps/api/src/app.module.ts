import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { LoggerModule } from 'nestjs-pino';
import { ClientsModule } from '@secusign/clients';
import { AppConfig, ConfigModule } from '@secusign/config';
import { createOrmOptions } from '@secusign/database';
import { ProblemFilter } from '@secusign/errors';
import { EvidenceModule } from '@secusign/evidence';
import { IdempotencyModule } from '@secusign/http';
import { IdentityProvidersModule } from '@secusign/identity-providers';
import { HealthModule } from '@secusign/health';
import { LimitsModule, WorkflowThrottlerGuard } from '@secusign/limits';
import { LogContextInterceptor } from '@secusign/logging';
import { MetricsHttpModule, MetricsModule } from '@secusign/metrics';
import { SignatoriesModule } from '@secusign/signatories';
import { DocumentsModule, TransactionsModule } from '@secusign/transactions';
import { WorkflowPageModule } from '@secusign/workflow-page';
import { WorkflowModule } from '@secusign/workflow';
import { WebhooksModule } from '@secusign/webhooks';
import { EvidenceExportModule } from '@secusign/evidence-export';
import { DownloadsModule } from '@secusign/downloads';
import { workerImports } from '../../worker/src/worker.module';
import { createLoggerOptions } from './logging';

export interface AppModuleOptions {
  /** Also run the queue processors in this process (what `npm start` does). */
  withWorker: boolean;
}

/** Modules shared by the HTTP API and the worker: configuration, logging, database, queues, domains. */
export function coreImports(config: AppConfig): DynamicModule['imports'] {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot(createLoggerOptions(config)),
    MikroOrmModule.forRoot({ ...createOrmOptions(config), autoLoadEntities: true, registerRequestContext: true }),
    BullModule.forRoot({ redis: config.redisUrl, prefix: config.queuePrefix }),
    MetricsModule,
    LimitsModule,
    EvidenceModule,
    ClientsModule,
    TransactionsModule,
    DocumentsModule,
    SignatoriesModule,
    WorkflowModule.forRoot(config),
    IdentityProvidersModule,
    WebhooksModule,
    EvidenceExportModule,
    DownloadsModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [...(coreImports(config) ?? []), IdempotencyModule, HealthModule, MetricsHttpModule, WorkflowPageModule, ...(options.withWorker ? workerImports() : [])],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: WorkflowThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: LogContextInterceptor },
      ],
    };
  }
}
