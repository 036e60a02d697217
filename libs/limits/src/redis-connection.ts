import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@secusign/config';

/** Minimum time between two warnings about an unreachable Redis, so an outage does not flood the logs. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * Redis connection shared by the rate limiters. Keys live under `{QUEUE_PREFIX}:limits:`, so
 * processes that share a Redis and a prefix share their counters.
 */
@Injectable()
export class LimitsRedis implements OnModuleDestroy {
  readonly client: Redis;
  private readonly logger = new Logger(LimitsRedis.name);
  private lastWarningAt = 0;
  private suppressedWarnings = 0;

  constructor(config: AppConfig) {
    this.client = new Redis(config.redisUrl, { keyPrefix: `${config.queuePrefix}:limits:`, lazyConnect: true, maxRetriesPerRequest: 1 });
    // Errors surface through the failed commands; without a listener ioredis prints each reconnection error.
    this.client.on('error', () => undefined);
  }

  /**
   * Logs that a limiter could not reach Redis and let the request through: rate limits fail
   * open, so a Redis outage does not turn into an API outage.
   */
  warnUnavailable(limiter: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) {
      this.suppressedWarnings += 1;

      return;
    }
    this.logger.warn({ limiter, err: error, suppressed_warnings: this.suppressedWarnings }, 'rate limiter cannot reach Redis; request allowed without a limit');
    this.lastWarningAt = now;
    this.suppressedWarnings = 0;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'wait' || this.client.status === 'end') {
      return;
    }
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
