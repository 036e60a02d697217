import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { assignLogContext, LogContext } from './log-context';

/** Log field of the generic `:uid` route parameter, chosen by the path prefix of the route. */
const UID_FIELDS: [RegExp, keyof LogContext][] = [
  [/^\/api\/v1\/transactions\//, 'transaction_uid'],
  [/^\/api\/v1\/admin\/clients\//, 'client_uid'],
  [/^\/api\/v1\/admin\/identity-providers\//, 'identity_provider_uid'],
];

/** Puts the uids named in the route parameters into the request's log lines. */
@Injectable()
export class LogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      assignLogContext(logContextOf(context.switchToHttp().getRequest<Request>()));
    }

    return next.handle();
  }
}

export function logContextOf(request: Pick<Request, 'params' | 'originalUrl'>): LogContext {
  const params = request.params ?? {};
  const fields: LogContext = {};
  if (typeof params.signatoryUid === 'string') {
    fields.signatory_uid = params.signatoryUid;
  }
  if (typeof params.identityProviderUid === 'string') {
    fields.identity_provider_uid = params.identityProviderUid;
  }
  if (typeof params.uid === 'string') {
    const field = UID_FIELDS.find(([prefix]) => prefix.test(request.originalUrl ?? ''))?.[1];
    if (field) {
      fields[field] = params.uid;
    }
  }

  return fields;
}
