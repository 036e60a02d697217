import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Client } from '@secusign/clients';
import { ProblemDetails } from '@secusign/errors';
import { AdminAuthGuard, ClientAuthGuard } from './guards';

const UNAUTHORIZED_DESCRIPTION = 'Missing or invalid credentials (problem type `urn:secusign:problem:unauthorized`, header `WWW-Authenticate: Basic realm="SecuSign"`)';

/** Requires client Basic credentials on a controller or route, and documents the scheme and the 401. */
export function ClientAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(ClientAuthGuard),
    ApiBasicAuth('client'),
    ApiUnauthorizedResponse({ description: `${UNAUTHORIZED_DESCRIPTION}, or the client is disabled`, type: ProblemDetails }),
  );
}

/** Requires the administrator's Basic credentials, and documents the scheme and the 401. */
export function AdminAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminAuthGuard), ApiBasicAuth('admin'), ApiUnauthorizedResponse({ description: UNAUTHORIZED_DESCRIPTION, type: ProblemDetails }));
}

/** Injects the authenticated `Client` of a route guarded by `ClientAuth()`. */
export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): Client => {
  const client = context.switchToHttp().getRequest<Request>().user as Client | undefined;
  if (!client) {
    throw new Error('@CurrentClient() used on a route without ClientAuth().');
  }

  return client;
});
