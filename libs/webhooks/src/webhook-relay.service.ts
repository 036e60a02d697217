import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bull';
import { WEBHOOK_DELIVER_QUEUE, WebhookDeliverJob, webhookJobOptions } from './webhook-queue';

/** Poll period of the outbox. */
const RELAY_INTERVAL_MS = 1000;
const RELAY_BATCH_SIZE = 100;
/** Period of the sweep that re-adds pending messages whose job disappeared. */
const SWEEP_INTERVAL_MS = 60_000;
/** A pending message this long past its due time is considered to have lost its job. */
const SWEEP_GRACE_MS = 5 * 60_000;

interface OutboxRow {
  uid: string;
  client_uid: string;
  transaction_uid: string;
  sequence: number;
  type: string;
  webhook_url: string | null;
}

/**
 * Moves committed domain events into the `webhook.deliver` queue. Rows are locked with
 * `FOR UPDATE SKIP LOCKED`, so several workers share the outbox, and marked relayed in the same
 * database transaction after `queue.add` succeeded. A crash between the add and the commit
 * leaves the row unrelayed, so the next pass adds the same job id again. Bull ignores that add
 * while the first job exists, and the processor ignores the job once the message is delivered.
 */
@Injectable()
export class WebhookRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastSweep = 0;

  constructor(
    private readonly orm: MikroORM,
    @InjectQueue(WEBHOOK_DELIVER_QUEUE) private readonly queue: Queue<WebhookDeliverJob>,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log('webhook relay started');
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    await this.running;
    this.logger.log('webhook relay stopped');
  }

  /** Relays one batch; returns how many domain events it marked relayed. */
  async relayBatch(): Promise<number> {
    const em = this.orm.em.fork();

    return em.transactional(async (transactionEm) => {
      const rows = await transactionEm.execute<OutboxRow[]>(
        `select e.uid, e.client_uid, e.transaction_uid, e.sequence, e.type, t.webhook_url
           from domain_events e join transactions t on t.uid = e.transaction_uid
          where e.relayed_at is null
          order by e.created_at, e.transaction_uid, e.sequence
          limit ?
          for update of e skip locked`,
        [RELAY_BATCH_SIZE],
      );
      if (rows.length === 0) {
        return 0;
      }

      const deliverable = rows.filter((row) => row.webhook_url);
      for (const row of deliverable) {
        await transactionEm.execute(
          `insert into webhook_messages (event_uid, client_uid, transaction_uid, sequence, type, url, status, attempt_count, created_at)
           values (?, ?, ?, ?, ?, ?, 'pending', 0, now())
           on conflict (event_uid) do nothing`,
          [row.uid, row.client_uid, row.transaction_uid, row.sequence, row.type, row.webhook_url],
        );
      }
      for (const row of deliverable) {
        await this.queue.add({ eventUid: row.uid }, webhookJobOptions(row.uid));
      }
      await transactionEm.execute('update domain_events set relayed_at = now() where uid in (?)', [rows.map((row) => row.uid)]);
      this.logger.debug({ relayed: rows.length, enqueued: deliverable.length }, 'domain events relayed');

      return rows.length;
    });
  }

  /** Re-adds pending messages long past due, whose job was lost (a worker that died too often). */
  async sweep(): Promise<number> {
    const rows = await this.orm.em.fork().execute<{ event_uid: string }[]>(
      `select event_uid from webhook_messages
        where status = 'pending' and coalesce(next_attempt_at, created_at) < now() - make_interval(secs => ?)
        limit 1000`,
      [SWEEP_GRACE_MS / 1000],
    );
    for (const row of rows) {
      await this.queue.add({ eventUid: row.event_uid }, webhookJobOptions(row.event_uid));
    }
    if (rows.length > 0) {
      this.logger.warn({ count: rows.length }, 'pending webhook messages re-added to the queue');
    }

    return rows.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let relayed = 0;
    try {
      relayed = await this.relayBatch();
      if (Date.now() - this.lastSweep > SWEEP_INTERVAL_MS) {
        this.lastSweep = Date.now();
        await this.sweep();
      }
    } catch (error) {
      this.logger.error({ err: error }, 'webhook relay pass failed; retrying');
    }
    // A full batch suggests a backlog: continue at once.
    this.schedule(relayed >= RELAY_BATCH_SIZE ? 0 : RELAY_INTERVAL_MS);
  }
}
