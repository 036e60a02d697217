import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Outcome labels of a queue job. */
export type JobOutcome = 'completed' | 'failed' | 'retried';

/** Source of queue depths, registered by each module that owns a Bull queue. */
export interface QueueDepthSource {
  name: string;
  counts(): Promise<Partial<Record<'waiting' | 'active' | 'delayed' | 'failed', number>>>;
}

/**
 * Prometheus metrics of the process. One registry per application instance, so tests that
 * boot several apps in one process do not share counters.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'secusign_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'secusign_queue_jobs_total',
    help: 'Queue jobs finished, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly signaturesApplied = new Counter({
    name: 'secusign_signatures_applied_total',
    help: 'PAdES signatures applied to documents, by signature level',
    labelNames: ['level'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'secusign_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, failed, gave_up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly codesSent = new Counter({
    name: 'secusign_otp_codes_sent_total',
    help: 'One-time passwords sent, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  private readonly queueSources: QueueDepthSource[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'secusign_' });
    const sources = this.queueSources;
    new Gauge({
      name: 'secusign_queue_jobs',
      help: 'Jobs in each queue, by state, read from Redis at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const source of sources) {
          const counts = await source.counts();
          for (const [state, count] of Object.entries(counts)) {
            this.set({ queue: source.name, state }, count ?? 0);
          }
        }
      },
    });
  }

  registerQueue(source: QueueDepthSource): void {
    this.queueSources.push(source);
  }

  /** Queues registered in this process, for the health check. */
  registeredQueues(): readonly QueueDepthSource[] {
    return this.queueSources;
  }
}
