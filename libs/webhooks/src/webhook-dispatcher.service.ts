import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppConfig } from '@secusign/config';
import { MetricsService } from '@secusign/metrics';
import { formatTimestamp } from '@secusign/database';
import { DomainEvent } from '@secusign/evidence';
import { WebhookDelivery, WebhookDeliveryTrigger } from './webhook-delivery.entity';
import { WebhookMessage } from './webhook-message.entity';
import { RetryLaterError } from './webhook-queue';
import { WebhookSecretSource } from './webhook-secret-source';
import { WebhookAttemptResult, WebhookSender } from './webhook-sender';

/** Shortest and longest wait of an event behind an earlier pending event of its transaction. */
const ORDER_WAIT_MIN_MS = 200;
const ORDER_WAIT_MAX_MS = 5 * 60_000;
/** Wait while the relay that enqueued a job has not committed its message row yet. */
const RELAY_COMMIT_WAIT_MS = 200;
/** Retry delays vary by ±20% so that receivers recovering from an outage are not hit in lockstep. */
const JITTER_RATIO = 0.2;

/** Body of a webhook request: the event, its per-transaction sequence and the transaction. */
export interface WebhookBody {
  id: string;
  type: string;
  created_at: string;
  sequence: number;
  data: Record<string, unknown>;
}

export type AutomaticDeliveryOutcome = 'succeeded' | 'failed' | 'already_finished' | 'no_message';

/**
 * Sends webhook messages and records each attempt. Automatic attempts follow the retry
 * schedule and the per-transaction order; manual retries send once at the client's request.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecretSource,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Makes the next automatic attempt for `eventUid`. Throws RetryLaterError when the job must
   * run again later: after a failed attempt with retries left, or while an earlier event of
   * the transaction is pending.
   */
  async deliverAutomatic(eventUid: string, jobId?: string | number): Promise<AutomaticDeliveryOutcome> {
    const em = this.orm.em.fork();
    const message = await em.findOne(WebhookMessage, { eventUid });

    if (!message) {
      return this.handleMissingMessage(em, eventUid);
    }
    if (message.status !== 'pending') {
      return 'already_finished';
    }
    const blocker = await this.findEarlierPending(em, message);
    if (blocker) {
      const due = blocker.nextAttemptAt ? blocker.nextAttemptAt.getTime() - Date.now() : 0;
      this.logger.debug({ event_uid: message.eventUid, transaction_uid: message.transactionUid, job_id: jobId, blocked_by: blocker.sequence }, 'webhook waits for an earlier event');
      throw new RetryLaterError(Math.min(Math.max(due, ORDER_WAIT_MIN_MS), ORDER_WAIT_MAX_MS), `waiting for event ${blocker.sequence} of the transaction`);
    }

    const attempt = message.attemptCount + 1;
    const result = await this.send(em, message);
    const schedule = this.config.webhookRetryScheduleMs;
    const retryDelay = !result.succeeded && attempt <= schedule.length ? withJitter(schedule[attempt - 1]) : null;
    const recorded = await this.recordAutomaticAttempt(em, message, attempt, result, retryDelay);
    const ids = { event_uid: message.eventUid, transaction_uid: message.transactionUid, job_id: jobId, attempt };

    if (!recorded) {
      // Another run (a manual retry, a stalled job taken up twice) finished or advanced the message.
      this.logger.warn(ids, 'webhook message changed during the attempt; result kept as a delivery record only');

      return 'already_finished';
    }
    if (result.succeeded) {
      this.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      this.logger.log({ ...ids, status_code: result.statusCode, duration_ms: result.durationMs }, 'webhook delivered');

      return 'succeeded';
    }
    if (retryDelay === null) {
      this.metrics.webhookDeliveries.inc({ outcome: 'gave_up' });
      this.logger.error({ ...ids, error: result.error }, 'webhook delivery failed for the last time; no retry left');

      return 'failed';
    }
    this.metrics.webhookDeliveries.inc({ outcome: 'failed' });
    this.logger.warn({ ...ids, error: result.error, retry_in_ms: retryDelay }, 'webhook delivery failed; retry scheduled');
    throw new RetryLaterError(retryDelay, result.error ?? 'delivery failed');
  }

  /**
   * Sends `message` once more at the client's request, whatever its status. Order and the retry
   * schedule do not apply; a success finishes a pending or failed message.
   */
  async retryManually(message: WebhookMessage): Promise<WebhookDelivery> {
    const em = this.orm.em.fork();
    const result = await this.send(em, message);
    const delivery = this.newDelivery(message, Math.max(message.attemptCount, 1), 'manual', result, null);

    await em.transactional(async (transactionEm) => {
      transactionEm.persist(delivery);
      if (result.succeeded) {
        await transactionEm.nativeUpdate(
          WebhookMessage,
          { eventUid: message.eventUid, status: { $ne: 'succeeded' } },
          { status: 'succeeded', finishedAt: new Date(), nextAttemptAt: null },
        );
      }
    });
    this.logger.log(
      { event_uid: message.eventUid, transaction_uid: message.transactionUid, succeeded: result.succeeded, status_code: result.statusCode, error: result.error },
      'manual webhook retry sent',
    );

    return delivery;
  }

  /** Builds the JSON body of the event; the same bytes on every attempt but the signature header. */
  async buildBody(em: EntityManager, eventUid: string): Promise<string> {
    const event = await em.findOneOrFail(DomainEvent, { uid: eventUid });
    const body: WebhookBody = {
      id: event.uid,
      type: event.type,
      created_at: formatTimestamp(event.createdAt),
      sequence: event.sequence,
      data: event.payload,
    };

    return JSON.stringify(body);
  }

  private async send(em: EntityManager, message: WebhookMessage): Promise<WebhookAttemptResult> {
    const body = await this.buildBody(em, message.eventUid);
    const secrets = await this.secrets.activeSecrets(message.clientUid);

    return this.sender.send({ url: message.url, id: message.eventUid, body, secrets });
  }

  /** Records the attempt and advances the message unless someone else advanced it first. */
  private async recordAutomaticAttempt(
    em: EntityManager,
    message: WebhookMessage,
    attempt: number,
    result: WebhookAttemptResult,
    retryDelay: number | null,
  ): Promise<boolean> {
    const now = new Date();
    const nextAttemptAt = retryDelay === null ? null : new Date(now.getTime() + retryDelay);
    const status = result.succeeded ? 'succeeded' : retryDelay === null ? 'failed' : 'pending';

    return em.transactional(async (transactionEm) => {
      const updated = await transactionEm.nativeUpdate(
        WebhookMessage,
        { eventUid: message.eventUid, status: 'pending', attemptCount: attempt - 1 },
        { status, attemptCount: attempt, nextAttemptAt, finishedAt: status === 'pending' ? null : now },
      );
      transactionEm.persist(this.newDelivery(message, attempt, 'automatic', result, nextAttemptAt));

      return updated === 1;
    });
  }

  private newDelivery(message: WebhookMessage, attempt: number, trigger: WebhookDeliveryTrigger, result: WebhookAttemptResult, nextRetryAt: Date | null): WebhookDelivery {
    const delivery = new WebhookDelivery();
    delivery.eventUid = message.eventUid;
    delivery.transactionUid = message.transactionUid;
    delivery.attempt = attempt;
    delivery.trigger = trigger;
    delivery.url = message.url;
    delivery.succeeded = result.succeeded;
    delivery.statusCode = result.statusCode;
    delivery.durationMs = result.durationMs;
    delivery.error = result.error;
    delivery.nextRetryAt = nextRetryAt;

    return delivery;
  }

  private async findEarlierPending(em: EntityManager, message: WebhookMessage): Promise<{ sequence: number; nextAttemptAt: Date | null } | null> {
    // An earlier event blocks while it is pending, or while the relay has not picked it up yet.
    const [row] = await em.execute<{ sequence: number; next_attempt_at: Date | null }[]>(
      `select e.sequence, m.next_attempt_at
         from domain_events e left join webhook_messages m on m.event_uid = e.uid
        where e.transaction_uid = ? and e.sequence < ? and (e.relayed_at is null or m.status = 'pending')
        order by e.sequence
        limit 1`,
      [message.transactionUid, message.sequence],
    );

    return row ? { sequence: row.sequence, nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null } : null;
  }

  private async handleMissingMessage(em: EntityManager, eventUid: string): Promise<AutomaticDeliveryOutcome> {
    // One statement reads both rows from one snapshot, so a relay commit between the caller's
    // read and this one cannot make a pending message look absent.
    const [event] = await em.execute<{ relayed_at: Date | null; has_message: boolean }[]>(
      `select e.relayed_at, m.event_uid is not null as has_message
         from domain_events e left join webhook_messages m on m.event_uid = e.uid
        where e.uid = ?`,
      [eventUid],
    );
    if (event && (event.relayed_at === null || event.has_message)) {
      // The relay adds the job before it commits the message row.
      this.logger.debug({ event_uid: eventUid }, 'webhook job ran before its relay committed');
      throw new RetryLaterError(RELAY_COMMIT_WAIT_MS, 'waiting for the relay to commit the message');
    }

    return 'no_message';
  }
}

/** Scales `delayMs` by a random factor in [1 - JITTER_RATIO, 1 + JITTER_RATIO]. */
export function withJitter(delayMs: number, random = Math.random): number {
  return Math.round(delayMs * (1 - JITTER_RATIO + 2 * JITTER_RATIO * random()));
}
