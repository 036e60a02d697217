import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@secusign/config';
import { AuthenticateToken, OtpChannel } from './authenticate-token.entity';
import { AuthenticationError, AuthenticationErrorCode } from './authentication.errors';
import { Clock } from './clock';
import { deriveOtpKey, generateOtpCode, hashOtpCode, otpCodeMatches } from './otp-code';
import { codeStateOf, decideSend, OTP_POLICY, OtpPolicy, registerFailedAttempt, secondsBeforeNextSend } from './otp-policy';

export interface IssueOtpInput {
  transactionUid: string;
  signatoryUid: string;
  channel: OtpChannel;
  maskedDestination: string;
}

/** A new token and its code in clear, which exists only in memory until it is sent. */
export interface IssuedOtp {
  token: AuthenticateToken;
  code: string;
}

export type OtpVerification =
  | { outcome: 'verified'; token: AuthenticateToken }
  | { outcome: 'invalid'; token: AuthenticateToken; attemptsLeft: number }
  | { outcome: 'locked'; token: AuthenticateToken };

/** OTP state of a signatory, for the workflow view. */
export interface OtpSummary {
  latest: AuthenticateToken | null;
  cooldownSeconds: number;
}

/**
 * Issues and verifies one-time passwords. Each method takes the EntityManager of the caller's
 * database transaction, so the caller decides what else commits with it.
 */
@Injectable()
export class OtpService {
  private readonly key: Buffer;
  readonly policy: OtpPolicy = OTP_POLICY;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = deriveOtpKey(config.masterKey);
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * Creates a token with a fresh code after checking the resend cooldown and the hourly cap.
   * Lock the signatory row first (`select … for update`), so two concurrent requests cannot
   * both pass the limits. Throws AuthenticationError `otp_rate_limited` with `retry_after`.
   */
  async issue(em: EntityManager, input: IssueOtpInput): Promise<IssuedOtp> {
    const now = this.clock.now();
    const decision = decideSend(await this.recentSends(em, input.signatoryUid, now), now, this.policy);
    if (!decision.allowed) {
      throw AuthenticationError.rateLimited(decision.retryAfterSeconds, decision.reason);
    }

    const code = generateOtpCode();
    const token = new AuthenticateToken();
    token.transactionUid = input.transactionUid;
    token.signatoryUid = input.signatoryUid;
    token.channel = input.channel;
    token.maskedDestination = input.maskedDestination;
    token.codeHash = hashOtpCode(this.key, token.uid, code);
    token.createdAt = now;
    token.expiresAt = new Date(now.getTime() + this.policy.codeTtlMs);
    em.persist(token);
    await em.flush();

    return { token, code };
  }

  /** Marks a token whose message the provider rejected, so it neither verifies nor counts against the limits. */
  async markDeliveryFailed(em: EntityManager, tokenUid: string): Promise<void> {
    await em.nativeUpdate(AuthenticateToken, { uid: tokenUid }, { deliveryFailedAt: this.clock.now() });
  }

  /**
   * Checks a code against the signatory's latest token, which it locks. A wrong code counts;
   * the last allowed wrong code locks the token. The outcome is returned rather than thrown so
   * the caller commits the new count before responding. Throws for a token that cannot take
   * codes: none, expired, locked or already verified.
   */
  async verify(em: EntityManager, signatoryUid: string, code: string): Promise<OtpVerification> {
    const now = this.clock.now();
    const token = await em.findOne(
      AuthenticateToken,
      { signatoryUid, deliveryFailedAt: null },
      { orderBy: { createdAt: 'desc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!token) {
      throw new AuthenticationError(AuthenticationErrorCode.OtpRequired, 'No code was sent to this signatory; request one first.');
    }

    switch (codeStateOf(token, now)) {
      case 'verified':
        throw new AuthenticationError(AuthenticationErrorCode.OtpAlreadyVerified, 'This code was already verified.');
      case 'locked':
        throw new AuthenticationError(AuthenticationErrorCode.OtpLocked, 'Too many wrong codes were entered; request a new code.');
      case 'expired':
        throw new AuthenticationError(AuthenticationErrorCode.OtpExpired, 'The code has expired; request a new code.');
      case 'undelivered':
        throw new AuthenticationError(AuthenticationErrorCode.OtpRequired, 'The last code could not be delivered; request a new code.');
      case 'pending':
        break;
    }

    if (otpCodeMatches(this.key, token.uid, code, token.codeHash)) {
      token.verifiedAt = now;
      token.signingExpiresAt = new Date(now.getTime() + this.policy.signingWindowMs);
      await em.flush();

      return { outcome: 'verified', token };
    }

    const failure = registerFailedAttempt(token, this.policy);
    token.failedAttempts = failure.failedAttempts;
    if (failure.locked) {
      token.lockedAt = now;
    }
    await em.flush();

    return failure.locked ? { outcome: 'locked', token } : { outcome: 'invalid', token, attemptsLeft: failure.attemptsLeft };
  }

  /** Latest delivered token of a signatory and the seconds before another code may be sent. */
  async summary(em: EntityManager, signatoryUid: string): Promise<OtpSummary> {
    const now = this.clock.now();
    const latest = await em.findOne(AuthenticateToken, { signatoryUid, deliveryFailedAt: null }, { orderBy: { createdAt: 'desc' } });
    const cooldownSeconds = secondsBeforeNextSend(await this.recentSends(em, signatoryUid, now), now, this.policy);

    return { latest, cooldownSeconds };
  }

  /** Latest verified token of a signatory, the one that may allow signing. */
  async latestVerified(em: EntityManager, signatoryUid: string, options: { lock?: boolean } = {}): Promise<AuthenticateToken | null> {
    return em.findOne(
      AuthenticateToken,
      { signatoryUid, verifiedAt: { $ne: null } },
      { orderBy: { verifiedAt: 'desc' }, ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
    );
  }

  /** Binds a token to the signed revision it allowed; a token is bound once. */
  async linkToRevision(em: EntityManager, tokenUid: string, documentRevisionId: string): Promise<void> {
    await em.nativeUpdate(AuthenticateToken, { uid: tokenUid, documentRevisionId: null }, { documentRevisionId });
  }

  private async recentSends(em: EntityManager, signatoryUid: string, now: Date): Promise<Date[]> {
    const since = new Date(now.getTime() - this.policy.rateWindowMs);
    const tokens = await em.find(
      AuthenticateToken,
      { signatoryUid, deliveryFailedAt: null, createdAt: { $gt: since } },
      { fields: ['createdAt'], orderBy: { createdAt: 'desc' } },
    );

    return tokens.map((token) => token.createdAt);
  }
}
