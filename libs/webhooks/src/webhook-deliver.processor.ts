import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { AutomaticDeliveryOutcome, WebhookDispatcher } from './webhook-dispatcher.service';
import { WEBHOOK_DELIVER_QUEUE, WebhookDeliverJob } from './webhook-queue';

/** Parallel deliveries per worker; events of one transaction still go out one at a time. */
const CONCURRENCY = 8;

/** Runs `webhook.deliver` jobs: one automatic attempt each, rescheduled through RetryLaterError. */
@Processor(WEBHOOK_DELIVER_QUEUE)
export class WebhookDeliverProcessor {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  @Process({ concurrency: CONCURRENCY })
  async deliver(job: Job<WebhookDeliverJob>): Promise<{ outcome: AutomaticDeliveryOutcome }> {
    if (typeof job.data?.eventUid !== 'string') {
      throw new Error(`webhook.deliver job ${job.id} has no eventUid`);
    }

    return { outcome: await this.dispatcher.deliverAutomatic(job.data.eventUid, job.id) };
  }
}
