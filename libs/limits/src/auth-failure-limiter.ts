import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { CommonError, CommonErrorCode } from '@secusign/errors';
import { LimitsRedis } from './redis-connection';

/**
 * Counts a failure on each key; a key whose count passes the limit gets a block key that lasts
 * one window. KEYS: counter and block key pairs. ARGV: window ms, limit.
 */
const RECORD_FAILURE_SCRIPT = `
for i = 1, #KEYS, 2 do
  local failures = redis.call('INCR', KEYS[i])
  if failures == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  if failures >= tonumber(ARGV[2]) then redis.call('SET', KEYS[i + 1], '1', 'PX', ARGV[1]) end
end
return 0
`;

/** Source of an authentication attempt: the client IP and the username of the Basic credentials, if any. */
export interface AuthAttempt {
  ip: string;
  username: string | null;
}

/**
 * Slows down credential guessing on HTTP Basic by counting failures per client IP and per
 * username in Redis. Once either count reaches `AUTH_FAILURE_LIMIT` within
 * `AUTH_FAILURE_WINDOW_SECONDS`, every request from that IP or for that username gets 429
 * `rate_limited` for one window, even with valid credentials.
 *
 * NOTE: whoever knows a client_id can block that client for a window by sending wrong
 * secrets; the per-username count trades that risk for protection against guessing from many IPs.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    private readonly redis: LimitsRedis,
    private readonly config: AppConfig,
  ) {}

  /** Throws a 429 `rate_limited` error while the IP or the username is blocked. */
  async assertAllowed(attempt: AuthAttempt): Promise<void> {
    let remainingMs: number;
    try {
      const pipeline = this.redis.client.pipeline();
      for (const key of this.keysOf(attempt)) {
        pipeline.pttl(`${key}:block`);
      }
      const results = (await pipeline.exec()) ?? [];
      remainingMs = Math.max(0, ...results.map(([error, value]) => (error ? 0 : Number(value))));
    } catch (error) {
      this.redis.warnUnavailable('auth-failures', error);

      return;
    }
    if (remainingMs > 0) {
      const retryAfter = Math.ceil(remainingMs / 1000);
      throw new CommonError(CommonErrorCode.RateLimited, `Too many failed authentications from this address or for this username; retry in ${retryAfter} seconds.`, undefined, {
        retry_after: retryAfter,
      });
    }
  }

  async recordFailure(attempt: AuthAttempt): Promise<void> {
    const keys = this.keysOf(attempt).flatMap((key) => [`${key}:count`, `${key}:block`]);
    const { limit, windowMs } = this.config.authFailureLimit;
    try {
      await this.redis.client.eval(RECORD_FAILURE_SCRIPT, keys.length, ...keys, windowMs, limit);
    } catch (error) {
      this.redis.warnUnavailable('auth-failures', error);
    }
  }

  /** Redis keys of an attempt. The username is hashed: a mistyped password pasted as a username must not be stored. */
  private keysOf(attempt: AuthAttempt): string[] {
    const keys = [`auth-failures:ip:${attempt.ip}`];
    if (attempt.username) {
      keys.push(`auth-failures:user:${createHash('sha256').update(attempt.username).digest('hex').slice(0, 32)}`);
    }

    return keys;
  }
}
