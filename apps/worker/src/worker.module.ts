import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { WebhookWorkerModule } from '@secusign/webhooks';
import { SigningModule } from '@secusign/workflow';
import { coreImports } from '../../api/src/app.module';

/** Queue processors without the HTTP layer, for `npm run start:worker`. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [...(coreImports(config) ?? []), ...workerImports()] };
  }
}

/** Modules that hold queue processors; the API imports them too when it runs with the worker. */
export function workerImports(): NonNullable<DynamicModule['imports']> {
  return [WebhookWorkerModule, SigningModule];
}
