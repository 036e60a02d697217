import type { JobOptions, QueueOptions } from 'bull';

/** Bull queue that carries one job per webhook message; the job id is the event uid. */
export const WEBHOOK_DELIVER_QUEUE = 'webhook.deliver';

export interface WebhookDeliverJob {
  eventUid: string;
}

/**
 * Thrown by the delivery job to be run again after `delayMs`: after a failed attempt (the
 * retry schedule) or while an earlier event of the same transaction is still pending.
 * Bull persists the delay in Redis, so a worker restart keeps it.
 */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RetryLaterError';
  }
}

/** Delay after an unexpected error (database or Redis outage) before the job runs again. */
const UNEXPECTED_ERROR_DELAY_MS = 10_000;

export const WEBHOOK_QUEUE_OPTIONS: Omit<QueueOptions, 'redis' | 'prefix'> = {
  settings: {
    backoffStrategies: {
      webhook: (_attemptsMade: number, error?: Error) => (error instanceof RetryLaterError ? error.delayMs : UNEXPECTED_ERROR_DELAY_MS),
    },
    // A job whose worker died is taken up again; after that the relay's sweep re-adds it.
    maxStalledCount: 5,
  },
};

/**
 * Attempts are counted in `webhook_messages`, not by Bull: Bull only re-runs the job until the
 * processor completes it, so its limit is set beyond any real schedule.
 */
export function webhookJobOptions(eventUid: string): JobOptions {
  return {
    jobId: eventUid,
    attempts: 1_000_000,
    backoff: { type: 'webhook' },
    removeOnComplete: true,
    removeOnFail: true,
  };
}
