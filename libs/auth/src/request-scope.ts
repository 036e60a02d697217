import type { Request } from 'express';

const SCOPE = Symbol('secusign.requestScope');

type ScopedRequest = Request & { [SCOPE]?: string };

/**
 * Records who the authentication guard identified: a client uid, or `admin`.
 * Request-bound state such as idempotency records is partitioned by this scope.
 */
export function setRequestScope(request: Request, scope: string): void {
  (request as ScopedRequest)[SCOPE] = scope;
}

/** Scope set by an authentication guard, or `anonymous:<path>` for routes without credentials. */
export function requestScopeOf(request: Request): string {
  return (request as ScopedRequest)[SCOPE] ?? `anonymous:${request.path}`;
}
