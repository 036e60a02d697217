import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { Client } from '@secusign/clients';
import { AuthAttempt, AuthFailureLimiter } from '@secusign/limits';
import { assignLogContext } from '@secusign/logging';
import { parseBasicAuthorization } from './basic-credentials';
import { setRequestScope } from './request-scope';
import { AuthError, BASIC_CHALLENGE } from './auth-error';
import { ADMIN_BASIC_STRATEGY, AdminPrincipal, CLIENT_BASIC_STRATEGY } from './strategies';

/** Rejects with a 401 problem and the Basic challenge; errors other than failed credentials (a database outage) pass through. */
function rejectUnauthenticated(error: unknown, context: ExecutionContext): never {
  if (error && !(error instanceof AuthError)) {
    throw error;
  }
  context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', BASIC_CHALLENGE);
  throw new AuthError();
}

function authAttemptOf(context: ExecutionContext, account: AuthAttempt['account']): AuthAttempt {
  const request = context.switchToHttp().getRequest<Request>();

  return { ip: request.ip ?? request.socket.remoteAddress ?? 'unknown', username: parseBasicAuthorization(request.headers.authorization)?.username ?? null, account };
}

/**
 * Runs a Basic authentication under the failure limiter: a blocked attempt (see
 * `AuthFailureLimiter` for the keys of each account kind) gets 429 before its credentials are
 * checked, and each 401 counts as a failure.
 */
async function authenticateWithinLimits(limiter: AuthFailureLimiter, context: ExecutionContext, account: AuthAttempt['account'], authenticate: () => Promise<boolean>): Promise<boolean> {
  const attempt = authAttemptOf(context, account);
  await limiter.assertAllowed(attempt);
  try {
    return await authenticate();
  } catch (error) {
    if (error instanceof AuthError) {
      await limiter.recordFailure(attempt);
    }
    throw error;
  }
}

/** Authenticates a client system; the `Client` becomes `request.user`. */
@Injectable()
export class ClientAuthGuard extends AuthGuard(CLIENT_BASIC_STRATEGY) {
  constructor(private readonly limiter: AuthFailureLimiter) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return authenticateWithinLimits(this.limiter, context, 'client', async () => (await super.canActivate(context)) as boolean);
  }

  override handleRequest<TUser = Client>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error || !user) {
      rejectUnauthenticated(error, context);
    }
    setRequestScope(context.switchToHttp().getRequest<Request>(), (user as Client).uid);
    assignLogContext({ client_uid: (user as Client).uid });

    return user as TUser;
  }
}

/** Authenticates the administrator from the configured credentials. */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_BASIC_STRATEGY) {
  constructor(private readonly limiter: AuthFailureLimiter) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return authenticateWithinLimits(this.limiter, context, 'admin', async () => (await super.canActivate(context)) as boolean);
  }

  override handleRequest<TUser = AdminPrincipal>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error || !user) {
      rejectUnauthenticated(error, context);
    }
    setRequestScope(context.switchToHttp().getRequest<Request>(), 'admin');
    assignLogContext({ actor: 'admin' });

    return user as TUser;
  }
}
