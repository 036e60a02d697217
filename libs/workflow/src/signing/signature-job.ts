import type { BullModuleOptions } from '@nestjs/bull';
import type { JobOptions } from 'bull';

/** Queue of signature jobs. */
export const SIGNATURE_QUEUE = 'signatures';

/** Stable name of the job that applies one signatory's signature. */
export const SIGNATURE_APPLY_JOB = 'signature.apply';

export interface SignatureApplyPayload {
  transactionUid: string;
  signatoryUid: string;
  /** The verified token the signatory consented with; it is linked to the signature. */
  tokenUid: string;
}

export type SignatureApplyResult =
  | { outcome: 'signed'; revisionSequence: number; signatureLevel: 'simple' | 'advanced'; transactionCompleted: boolean }
  | { outcome: 'already_signed' }
  | { outcome: 'skipped'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a payload read back from Redis; throws on anything but three UUIDs. */
export function parseSignatureApplyPayload(data: unknown): SignatureApplyPayload {
  const candidate = (data ?? {}) as Record<string, unknown>;
  const invalid = (['transactionUid', 'signatoryUid', 'tokenUid'] as const).filter((field) => typeof candidate[field] !== 'string' || !UUID.test(candidate[field] as string));
  if (invalid.length > 0) {
    throw new Error(`Invalid ${SIGNATURE_APPLY_JOB} payload: ${invalid.join(', ')} must be UUIDs`);
  }

  return { transactionUid: candidate.transactionUid as string, signatoryUid: candidate.signatoryUid as string, tokenUid: candidate.tokenUid as string };
}

/**
 * Options of every signature job. The job id is the signatory uid, so a second request for the
 * same signatory while one is queued or running collapses into it. Retries back off
 * exponentially: 2 s, 4 s, 8 s ... for 8 attempts.
 */
export function signatureJobOptions(signatoryUid: string): JobOptions {
  return {
    jobId: signatoryUid,
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/**
 * Queue settings. A worker renews its job lock every `lockDuration / 2`. When a worker dies,
 * its job runs again once the lock has expired and the next stalled-job check has run, so
 * within 15 + 5 seconds.
 */
export const SIGNATURE_QUEUE_OPTIONS: BullModuleOptions = {
  name: SIGNATURE_QUEUE,
  settings: { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 },
};
