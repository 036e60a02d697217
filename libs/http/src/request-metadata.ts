import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { RequestMetadata } from '@secusign/evidence';

/** Extracts the caller's IP address and user agent for the audit trail. */
export function requestMetadataOf(request: Request): RequestMetadata {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent')?.slice(0, 512) ?? null };
}

/** Injects the request's audit metadata into a handler parameter. */
export const RequestMeta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMetadata =>
  requestMetadataOf(context.switchToHttp().getRequest<Request>()),
);
