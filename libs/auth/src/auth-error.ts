import { DomainError } from '@secusign/errors';

/** Value of `WWW-Authenticate` on every 401 (RFC 7617). */
export const BASIC_CHALLENGE = 'Basic realm="SecuSign"';

export enum AuthErrorCode {
  Unauthorized = 'unauthorized',
}

/** Missing, malformed or wrong credentials, or a disabled client; always 401 so causes cannot be told apart. */
export class AuthError extends DomainError {
  readonly status = 401;

  constructor(message = 'Valid HTTP Basic credentials are required.') {
    super(AuthErrorCode.Unauthorized, message);
  }
}
