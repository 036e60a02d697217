import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { MetricsService } from '@secusign/metrics';
import { SIGNATURE_QUEUE } from './signature-job';

/** Publishes the signature queue's depth by state in `secusign_queue_jobs`. */
@Injectable()
export class SignatureQueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectQueue(SIGNATURE_QUEUE) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.metrics.registerQueue({ name: SIGNATURE_QUEUE, counts: () => this.queue.getJobCounts() });
  }
}
