import { DomainError } from '@secusign/errors';

/** Problem codes of one-time-password authentication. */
export enum AuthenticationErrorCode {
  /** No code was sent, or none is waiting to be verified: request one first. */
  OtpRequired = 'otp_required',
  OtpExpired = 'otp_expired',
  OtpInvalid = 'otp_invalid',
  OtpLocked = 'otp_locked',
  OtpAlreadyVerified = 'otp_already_verified',
  OtpRateLimited = 'otp_rate_limited',
  OtpDeliveryFailed = 'otp_delivery_failed',
  /** The signing window opened by a verified code has closed: a new code is needed. */
  AuthenticationExpired = 'authentication_expired',
}

const STATUS: Record<AuthenticationErrorCode, number> = {
  [AuthenticationErrorCode.OtpRequired]: 409,
  [AuthenticationErrorCode.OtpExpired]: 409,
  [AuthenticationErrorCode.OtpInvalid]: 422,
  [AuthenticationErrorCode.OtpLocked]: 409,
  [AuthenticationErrorCode.OtpAlreadyVerified]: 409,
  [AuthenticationErrorCode.OtpRateLimited]: 429,
  [AuthenticationErrorCode.OtpDeliveryFailed]: 502,
  [AuthenticationErrorCode.AuthenticationExpired]: 409,
};

export class AuthenticationError extends DomainError {
  readonly status: number;

  constructor(code: AuthenticationErrorCode, message: string, extensions?: Record<string, unknown>) {
    super(code, message, undefined, extensions);
    this.status = STATUS[code];
  }

  static rateLimited(retryAfterSeconds: number, reason: 'cooldown' | 'rate_limit'): AuthenticationError {
    const message =
      reason === 'cooldown'
        ? `A code was sent moments ago; request another one in ${retryAfterSeconds} seconds.`
        : `Too many codes were requested in the last hour; request another one in ${retryAfterSeconds} seconds.`;

    return new AuthenticationError(AuthenticationErrorCode.OtpRateLimited, message, { retry_after: retryAfterSeconds });
  }
}
