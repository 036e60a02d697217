import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { CommonError, CommonErrorCode } from '@secusign/errors';
import { LimitsRedis } from './redis-connection';

/** Names of the two workflow throttlers, also part of their Redis keys. */
export const WORKFLOW_THROTTLER_PER_IP = 'workflow-ip';
export const WORKFLOW_THROTTLER_PER_SIGNATORY = 'workflow-signatory';

/** Paths of the signing page's JSON API, the only routes this guard limits. */
const WORKFLOW_PATH = /^\/api\/v1\/workflow\//;

/**
 * Limits the unauthenticated signing API (`/api/v1/workflow/*`) per client IP and per
 * signatory uid, with counters in Redis. Other routes pass untouched. Past a limit the
 * response is a 429 `rate_limited` problem with `Retry-After`.
 */
@Injectable()
export class WorkflowThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly limitsRedis: LimitsRedis,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();

    return !WORKFLOW_PATH.test(request.originalUrl ?? request.url);
  }

  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(requestProps);
    } catch (error) {
      if (error instanceof CommonError) {
        throw error;
      }
      this.limitsRedis.warnUnavailable(requestProps.throttler.name ?? 'workflow', error);

      return true;
    }
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    if (name === WORKFLOW_THROTTLER_PER_SIGNATORY) {
      const request = context.switchToHttp().getRequest<Request>();
      const signatoryUid = request.params?.signatoryUid;

      return `signatory:${typeof signatoryUid === 'string' ? signatoryUid : 'none'}`;
    }

    return `ip:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new CommonError(CommonErrorCode.RateLimited, `Too many requests to the signing API; retry in ${detail.timeToBlockExpire} seconds.`, undefined, {
      retry_after: detail.timeToBlockExpire,
    });
  }
}
