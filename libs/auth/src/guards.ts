import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { Client } from '@secusign/clients';
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

/** Authenticates a client system; the `Client` becomes `request.user`. */
@Injectable()
export class ClientAuthGuard extends AuthGuard(CLIENT_BASIC_STRATEGY) {
  override handleRequest<TUser = Client>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error || !user) {
      rejectUnauthenticated(error, context);
    }
    setRequestScope(context.switchToHttp().getRequest<Request>(), (user as Client).uid);

    return user as TUser;
  }
}

/** Authenticates the administrator from the configured credentials. */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_BASIC_STRATEGY) {
  override handleRequest<TUser = AdminPrincipal>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error || !user) {
      rejectUnauthenticated(error, context);
    }
    setRequestScope(context.switchToHttp().getRequest<Request>(), 'admin');

    return user as TUser;
  }
}
