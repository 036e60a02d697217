import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@secusign/config';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { LimitsRedis } from './redis-connection';
import { RedisThrottlerStorage } from './redis-throttler-storage';
import { WORKFLOW_THROTTLER_PER_IP, WORKFLOW_THROTTLER_PER_SIGNATORY } from './workflow-throttler.guard';

/** The Redis connection and the throttler storage, imported by the throttler's options factory. */
@Module({
  providers: [LimitsRedis, RedisThrottlerStorage],
  exports: [LimitsRedis, RedisThrottlerStorage],
})
class LimitsStorageModule {}

/**
 * Rate limits backed by Redis: the workflow throttlers (applied by WorkflowThrottlerGuard, which
 * the HTTP app registers as a global guard) and the authentication failure limiter.
 */
@Global()
@Module({
  imports: [
    LimitsStorageModule,
    ThrottlerModule.forRootAsync({
      imports: [LimitsStorageModule],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => {
        const { perIp, perSignatory, windowMs } = config.workflowRateLimit;

        return {
          storage,
          // Retry-After comes with the 429 problem; the per-throttler headers would only repeat it.
          setHeaders: false,
          throttlers: [
            { name: WORKFLOW_THROTTLER_PER_IP, limit: perIp, ttl: windowMs },
            { name: WORKFLOW_THROTTLER_PER_SIGNATORY, limit: perSignatory, ttl: windowMs },
          ],
        };
      },
      inject: [AppConfig, RedisThrottlerStorage],
    }),
  ],
  providers: [AuthFailureLimiter],
  exports: [LimitsStorageModule, AuthFailureLimiter, ThrottlerModule],
})
export class LimitsModule {}
