import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Controller, Get, OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '@secusign/config';
import { MetricsService } from '@secusign/metrics';

/** Time a queue's job counts may take before the queue counts as down. */
const QUEUE_CHECK_TIMEOUT_MS = 2000;

/** Liveness and readiness of the process and what it depends on. */
@ApiTags('operations')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Checks PostgreSQL, Redis, the Bull queues of this process and document storage' })
  @ApiOkResponse({ description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ description: 'At least one dependency is down; the body names it under `error`' })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.checkRedis(),
      () => this.checkQueues(),
      () => this.checkStorage(),
    ]);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  private async checkRedis() {
    const indicator = this.indicators.check('redis');
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') {
        await this.redis.connect();
      }
      await this.redis.ping();

      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Reads each registered queue's job counts from Redis; the report lists them per queue. */
  private async checkQueues() {
    const indicator = this.indicators.check('queues');
    const report: Record<string, unknown> = {};
    let down = false;
    for (const queue of this.metrics.registeredQueues()) {
      try {
        report[queue.name] = await withTimeout(queue.counts(), QUEUE_CHECK_TIMEOUT_MS, `reading the ${queue.name} queue`);
      } catch (error) {
        down = true;
        report[queue.name] = { message: error instanceof Error ? error.message : String(error) };
      }
    }

    return down ? indicator.down(report) : indicator.up(report);
  }

  /** Writes and removes a small file, which fails on a full or read-only volume. */
  private async checkStorage() {
    const indicator = this.indicators.check('storage');
    const directory = join(this.config.storageDir, '.health');
    const probe = join(directory, `${randomUUID()}.tmp`);
    try {
      await mkdir(directory, { recursive: true });
      await writeFile(probe, 'ok');
      await rm(probe, { force: true });

      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${operation} timed out after ${timeoutMs} ms`)), timeoutMs);
  });

  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
