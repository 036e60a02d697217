import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { MetricsService } from '@secusign/metrics';
import { RetryLaterError, WEBHOOK_DELIVER_QUEUE } from './webhook-queue';

/**
 * Publishes the `webhook.deliver` queue's depth in `secusign_queue_jobs` and its job outcomes in
 * `secusign_queue_jobs_total`. A job rescheduled through RetryLaterError counts as `retried`.
 */
@Injectable()
export class WebhookQueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectQueue(WEBHOOK_DELIVER_QUEUE) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.metrics.registerQueue({ name: WEBHOOK_DELIVER_QUEUE, counts: () => this.queue.getJobCounts() });
    this.queue.on('completed', () => this.metrics.jobs.inc({ queue: WEBHOOK_DELIVER_QUEUE, outcome: 'completed' }));
    this.queue.on('failed', (_job, error: Error) =>
      this.metrics.jobs.inc({ queue: WEBHOOK_DELIVER_QUEUE, outcome: error instanceof RetryLaterError || error?.name === 'RetryLaterError' ? 'retried' : 'failed' }),
    );
  }
}
