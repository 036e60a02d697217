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

/**
 * Source of an authentication attempt: the client IP, the username of the Basic credentials (if
 * any) and the kind of account the route authenticates.
 */
export interface AuthAttempt {
  ip: string;
  username: string | null;
  /**
   * `client`: the username is a public client_id and the secret is 32 random bytes, so failures
   * count per IP and per (IP, username) only. `admin`: the password is chosen by a person, so
   * failures also count per username from any IP.
   */
  account: 'client' | 'admin';
}

/**
 * Slows down credential guessing on HTTP Basic by counting failures in Redis per client IP, per
 * (IP, username) and, for the administrator, per username. Once a count reaches
 * `AUTH_FAILURE_LIMIT` within `AUTH_FAILURE_WINDOW_SECONDS`, every request that matches it gets
 * 429 `rate_limited` for one window, even with valid credentials.
 *
 * Client credentials are never blocked per client_id alone: a client_id is not a secret, so
 * anyone could otherwise lock a client out, and a secret of 32 random bytes cannot be guessed
 * even from many IPs. A client with valid credentials from an unblocked IP always passes.
 *
 * NOTE: the per-username count of the admin account still lets whoever sends wrong admin
 * passwords from many IPs lock the administrator out for a window. It is kept because the
 * admin password is chosen by a person and may be guessable.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    private readonly redis: LimitsRedis,
    private readonly config: AppConfig,
  ) {}

  /** Throws a 429 `rate_limited` error while one of the attempt's keys is blocked. */
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
      throw new CommonError(CommonErrorCode.RateLimited, `Too many failed authentications from this address${attempt.account === 'admin' ? ' or for this username' : ''}; retry in ${retryAfter} seconds.`, undefined, {
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
      const usernameHash = createHash('sha256').update(attempt.username).digest('hex').slice(0, 32);
      keys.push(`auth-failures:ip-user:${attempt.ip}:${usernameHash}`);
      if (attempt.account === 'admin') {
        keys.push(`auth-failures:user:${usernameHash}`);
      }
    }

    return keys;
  }
}
