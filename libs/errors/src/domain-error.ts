/**
 * Base of every error a domain raises on purpose. `code` is stable and machine-readable;
 * the problem filter turns it into an RFC 9457 response with `status`.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    /** Field → messages, for validation problems. */
    readonly errors?: Record<string, string[]>,
    /** Extra members of the problem body (`retry_after`, `current_status`...). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Problem type URI of a code; stable so clients can switch on it. */
export function problemType(code: string): string {
  return `urn:secusign:problem:${code}`;
}

/** Errors shared by every domain: request validation, authentication, missing resources. */
export enum CommonErrorCode {
  ValidationFailed = 'validation_failed',
  InvalidJson = 'invalid_json',
  Unauthorized = 'unauthorized',
  NotFound = 'not_found',
  RouteNotFound = 'route_not_found',
  MethodNotAllowed = 'method_not_allowed',
  UnsupportedMediaType = 'unsupported_media_type',
  PayloadTooLarge = 'payload_too_large',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IdempotencyKeyInProgress = 'idempotency_key_in_progress',
  InvalidIdempotencyKey = 'invalid_idempotency_key',
  InvalidCursor = 'invalid_cursor',
  RateLimited = 'rate_limited',
  ServiceUnavailable = 'service_unavailable',
  InternalError = 'internal_error',
}

const COMMON_STATUS: Record<CommonErrorCode, number> = {
  [CommonErrorCode.ValidationFailed]: 400,
  [CommonErrorCode.InvalidJson]: 400,
  [CommonErrorCode.Unauthorized]: 401,
  [CommonErrorCode.NotFound]: 404,
  [CommonErrorCode.RouteNotFound]: 404,
  [CommonErrorCode.MethodNotAllowed]: 405,
  [CommonErrorCode.UnsupportedMediaType]: 415,
  [CommonErrorCode.PayloadTooLarge]: 413,
  [CommonErrorCode.IdempotencyKeyReused]: 422,
  [CommonErrorCode.IdempotencyKeyInProgress]: 409,
  [CommonErrorCode.InvalidIdempotencyKey]: 400,
  [CommonErrorCode.InvalidCursor]: 400,
  [CommonErrorCode.RateLimited]: 429,
  [CommonErrorCode.ServiceUnavailable]: 503,
  [CommonErrorCode.InternalError]: 500,
};

export class CommonError extends DomainError {
  readonly status: number;

  constructor(code: CommonErrorCode, message: string, errors?: Record<string, string[]>, extensions?: Record<string, unknown>) {
    super(code, message, errors, extensions);
    this.status = COMMON_STATUS[code];
  }

  static notFound(resource: string, uid: string): CommonError {
    return new CommonError(CommonErrorCode.NotFound, `${resource} ${uid} was not found.`);
  }

  static validation(errors: Record<string, string[]>, message = 'The request body is invalid.'): CommonError {
    return new CommonError(CommonErrorCode.ValidationFailed, message, errors);
  }
}
