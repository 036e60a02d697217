import { Logger } from '@nestjs/common';
import { OnQueueCompleted, OnQueueFailed, OnQueueStalled, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { MetricsService } from '@secusign/metrics';
import { SignatureApplier } from './signature-applier.service';
import { parseSignatureApplyPayload, SIGNATURE_APPLY_JOB, SIGNATURE_QUEUE, SignatureApplyResult } from './signature-job';

/** Runs `signature.apply` jobs, one at a time per worker process. */
@Processor(SIGNATURE_QUEUE)
export class SignatureApplyProcessor {
  private readonly logger = new Logger(SignatureApplyProcessor.name);

  constructor(
    private readonly applier: SignatureApplier,
    private readonly metrics: MetricsService,
  ) {}

  @Process(SIGNATURE_APPLY_JOB)
  async apply(job: Job<unknown>): Promise<SignatureApplyResult> {
    const payload = parseSignatureApplyPayload(job.data);
    const attempt = job.attemptsMade + 1;
    const ids = { job_id: String(job.id), attempt, transaction_uid: payload.transactionUid, signatory_uid: payload.signatoryUid };
    if (attempt > 1) {
      this.logger.warn(ids, 'retrying signature job');
    }

    return this.applier.apply(payload, { jobId: String(job.id), attempt });
  }

  @OnQueueCompleted()
  onCompleted(): void {
    this.metrics.jobs.inc({ queue: SIGNATURE_QUEUE, outcome: 'completed' });
  }

  /** Logs a job whose worker stopped renewing its lock (after a crash, say); Bull puts it back in the queue to run again. */
  @OnQueueStalled()
  onStalled(job: Job<Partial<Record<string, unknown>>>): void {
    const ids = { job_id: String(job.id), transaction_uid: job.data?.transactionUid, signatory_uid: job.data?.signatoryUid };
    this.logger.warn(ids, 'signature job stalled because its worker stopped; retrying it');
  }

  @OnQueueFailed()
  onFailed(job: Job<Partial<Record<string, unknown>>>, error: Error): void {
    const attempts = job.opts.attempts ?? 1;
    const ids = { job_id: String(job.id), attempt: job.attemptsMade, transaction_uid: job.data?.transactionUid, signatory_uid: job.data?.signatoryUid, err: error };
    const retried = job.attemptsMade < attempts;
    this.metrics.jobs.inc({ queue: SIGNATURE_QUEUE, outcome: retried ? 'retried' : 'failed' });
    if (retried) {
      this.logger.warn(ids, `signature job failed; Bull retries it with backoff (attempt ${job.attemptsMade} of ${attempts})`);
    } else {
      this.logger.error(ids, `signature job failed after ${attempts} attempts; the signatory may press sign again`);
    }
  }
}
