import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { decryptSecret, encryptSecret } from '@secusign/auth';
import { AppConfig } from '@secusign/config';

/** How long a key is remembered. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
/**
 * How long a request may hold its key before another request with that key may take it over,
 * so a process that died mid-request does not block the key for a whole day.
 * NOTE: an upload that streams for longer than this can run twice if it is retried meanwhile.
 */
export const IDEMPOTENCY_LEASE_MINUTES = 10;
/** Minimum time between two sweeps of expired records by one process. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Response kept for replays. */
export interface StoredResponse {
  statusCode: number;
  /** Body bytes, base64. */
  body: string;
  contentType: string | null;
  location: string | null;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'in_progress' }
  | { outcome: 'completed'; requestHash: string; response: StoredResponse };

interface RecordRow {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_content_type: string | null;
  response_location: string | null;
  completed_at: Date | null;
  expired: boolean;
  abandoned: boolean;
}

/** Request hash of a record whose streamed body has not been fully read yet. */
export const PENDING_REQUEST_HASH = 'pending';

/**
 * Rows of `idempotency_records`, keyed by (scope, key). A request claims its key by inserting
 * the row, so two concurrent requests with one key cannot both run: the primary key lets only
 * one insert succeed. Response bodies are encrypted with the master key because some of them
 * carry secrets shown once, such as a new client's `client_secret`.
 */
@Injectable()
export class IdempotencyStore {
  private readonly logger = new Logger(IdempotencyStore.name);
  private lastSweep = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  /**
   * Claims (scope, key) for a new request, or returns the record that already holds it.
   * Expired records and abandoned in-progress records are replaced.
   */
  async claim(scope: string, key: string, requestHash: string): Promise<ClaimResult> {
    this.sweepExpired();
    const em = this.em();

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const inserted = await em.execute<{ key: string }[]>(
        'insert into idempotency_records (scope, key, request_hash, created_at) values (?, ?, ?, now()) on conflict do nothing returning key',
        [scope, key, requestHash],
      );
      if (inserted.length === 1) {
        return { outcome: 'claimed' };
      }

      const [row] = await em.execute<RecordRow[]>(
        `select request_hash, status_code, response_body, response_content_type, response_location, completed_at,
                created_at < now() - make_interval(hours => ?) as expired,
                completed_at is null and created_at < now() - make_interval(mins => ?) as abandoned
           from idempotency_records where scope = ? and key = ?`,
        [IDEMPOTENCY_RETENTION_HOURS, IDEMPOTENCY_LEASE_MINUTES, scope, key],
      );
      if (!row) {
        continue;
      }
      if (row.expired || row.abandoned) {
        // The condition is checked again in the delete, so a row that a concurrent request has
        // just claimed or completed is kept.
        await em.execute(
          `delete from idempotency_records
            where scope = ? and key = ?
              and (created_at < now() - make_interval(hours => ?) or (completed_at is null and created_at < now() - make_interval(mins => ?)))`,
          [scope, key, IDEMPOTENCY_RETENTION_HOURS, IDEMPOTENCY_LEASE_MINUTES],
          'run',
        );
        continue;
      }
      if (row.completed_at === null || row.status_code === null) {
        return { outcome: 'in_progress' };
      }

      return {
        outcome: 'completed',
        requestHash: row.request_hash,
        response: {
          statusCode: row.status_code,
          body: row.response_body === null ? '' : decryptSecret(row.response_body, this.config.masterKey, recordContext(scope, key)),
          contentType: row.response_content_type,
          location: row.response_location,
        },
      };
    }

    return { outcome: 'in_progress' };
  }

  /** Stores the response of a claimed key so retries replay it. */
  async complete(scope: string, key: string, requestHash: string, response: StoredResponse): Promise<void> {
    await this.em().execute(
      `update idempotency_records
          set request_hash = ?, status_code = ?, response_body = ?, response_content_type = ?, response_location = ?, completed_at = now()
        where scope = ? and key = ? and completed_at is null`,
      [requestHash, response.statusCode, encryptSecret(response.body, this.config.masterKey, recordContext(scope, key)), response.contentType, response.location, scope, key],
      'run',
    );
  }

  /** Releases a claimed key without storing anything, so the request can be retried. */
  async release(scope: string, key: string): Promise<void> {
    await this.em().execute('delete from idempotency_records where scope = ? and key = ? and completed_at is null', [scope, key], 'run');
  }

  /** Deletes expired records now and then, in the background. */
  private sweepExpired(): void {
    if (Date.now() - this.lastSweep < SWEEP_INTERVAL_MS) {
      return;
    }
    this.lastSweep = Date.now();
    this.em()
      .execute('delete from idempotency_records where created_at < now() - make_interval(hours => ?)', [IDEMPOTENCY_RETENTION_HOURS], 'run')
      .catch((error: unknown) => this.logger.error({ err: error }, 'failed to delete expired idempotency records'));
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

function recordContext(scope: string, key: string): string {
  return `idempotency:${scope}:${key}`;
}
