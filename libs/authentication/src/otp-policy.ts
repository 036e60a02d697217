/** Limits of one-time passwords. */
export interface OtpPolicy {
  /** Lifetime of a code, in milliseconds. */
  codeTtlMs: number;
  /** Wrong codes accepted before the token locks. */
  maxFailedAttempts: number;
  /** Minimum delay between two codes for one signatory, in milliseconds. */
  resendCooldownMs: number;
  /** Codes one signatory may receive within `rateWindowMs`. */
  maxCodesPerWindow: number;
  rateWindowMs: number;
  /** How long a verified code allows signing, in milliseconds. */
  signingWindowMs: number;
}

export const OTP_POLICY: OtpPolicy = Object.freeze({
  codeTtlMs: 5 * 60_000,
  maxFailedAttempts: 5,
  resendCooldownMs: 30_000,
  maxCodesPerWindow: 5,
  rateWindowMs: 60 * 60_000,
  signingWindowMs: 10 * 60_000,
});

/** Token fields that the rules read. */
export interface OtpTokenState {
  createdAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  deliveryFailedAt: Date | null;
  verifiedAt: Date | null;
  lockedAt: Date | null;
  signingExpiresAt: Date | null;
  consentedAt: Date | null;
}

export type SendDecision =
  | { allowed: true }
  | { allowed: false; reason: 'cooldown' | 'rate_limit'; retryAfterSeconds: number };

/**
 * Decides whether a new code may be sent, given when the signatory's previous codes were
 * sent (codes whose delivery failed excluded). When both the cooldown and the hourly cap
 * apply, the longer wait wins.
 */
export function decideSend(previousSends: readonly Date[], now: Date, policy: OtpPolicy = OTP_POLICY): SendDecision {
  const nowMs = now.getTime();
  const inWindow = previousSends.map((date) => date.getTime()).filter((time) => time > nowMs - policy.rateWindowMs && time <= nowMs);
  let decision: SendDecision = { allowed: true };

  if (inWindow.length >= policy.maxCodesPerWindow) {
    // The cap frees one slot when the oldest code that still counts leaves the window.
    const sorted = [...inWindow].sort((a, b) => b - a);
    const freedAt = sorted[policy.maxCodesPerWindow - 1] + policy.rateWindowMs;
    decision = { allowed: false, reason: 'rate_limit', retryAfterSeconds: secondsUntil(freedAt, nowMs) };
  }

  const latest = Math.max(...inWindow, Number.NEGATIVE_INFINITY);
  const cooldownEndsAt = latest + policy.resendCooldownMs;
  if (cooldownEndsAt > nowMs) {
    const retryAfterSeconds = secondsUntil(cooldownEndsAt, nowMs);
    if (decision.allowed || retryAfterSeconds > decision.retryAfterSeconds) {
      decision = { allowed: false, reason: 'cooldown', retryAfterSeconds };
    }
  }

  return decision;
}

/** Seconds before another code may be sent; 0 when one may be sent now. */
export function secondsBeforeNextSend(previousSends: readonly Date[], now: Date, policy: OtpPolicy = OTP_POLICY): number {
  const decision = decideSend(previousSends, now, policy);

  return decision.allowed ? 0 : decision.retryAfterSeconds;
}

/** State of a token for code entry. */
export type CodeState = 'pending' | 'expired' | 'locked' | 'verified' | 'undelivered';

export function codeStateOf(token: OtpTokenState, now: Date): CodeState {
  if (token.verifiedAt) {
    return 'verified';
  }
  if (token.lockedAt) {
    return 'locked';
  }
  if (token.deliveryFailedAt) {
    return 'undelivered';
  }

  return now.getTime() >= token.expiresAt.getTime() ? 'expired' : 'pending';
}

/** Outcome of a wrong code: the new count, what is left, and whether the token is now locked. */
export interface FailedAttempt {
  failedAttempts: number;
  attemptsLeft: number;
  locked: boolean;
}

export function registerFailedAttempt(token: Pick<OtpTokenState, 'failedAttempts'>, policy: OtpPolicy = OTP_POLICY): FailedAttempt {
  const failedAttempts = token.failedAttempts + 1;
  const attemptsLeft = Math.max(0, policy.maxFailedAttempts - failedAttempts);

  return { failedAttempts, attemptsLeft, locked: attemptsLeft === 0 };
}

export function attemptsLeftOf(token: Pick<OtpTokenState, 'failedAttempts'>, policy: OtpPolicy = OTP_POLICY): number {
  return Math.max(0, policy.maxFailedAttempts - token.failedAttempts);
}

/**
 * Whether a token allows signing now: `valid` within the signing window after verification,
 * `consented` once a signature was requested with it (it stays bound to that signature),
 * `expired` after the window, `unverified` before verification.
 */
export type SigningAuthorization = 'valid' | 'consented' | 'expired' | 'unverified';

export function signingAuthorizationOf(token: OtpTokenState, now: Date): SigningAuthorization {
  if (!token.verifiedAt || !token.signingExpiresAt) {
    return 'unverified';
  }
  if (token.consentedAt) {
    return 'consented';
  }

  return now.getTime() < token.signingExpiresAt.getTime() ? 'valid' : 'expired';
}

function secondsUntil(timeMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((timeMs - nowMs) / 1000));
}
