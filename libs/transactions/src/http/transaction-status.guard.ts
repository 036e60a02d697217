import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Client } from '@secusign/clients';
import { TransactionAction } from '../transaction-rules';
import { TransactionsService } from '../transactions.service';

const REQUIRED_ACTION = Symbol('secusign.transactionAction');

interface RequiredAction {
  action: TransactionAction;
  /** Route parameter that contains the transaction uid. */
  param: string;
}

/**
 * Rejects with 404 or 409 before the handler runs (and so before it reads the request body) when the
 * calling client's transaction does not exist or its status forbids `action`. Declare it after
 * `ClientAuth()`, whose guard must run first. The handler still checks again under a lock,
 * because the status may change between this guard and the write.
 */
export function RequireTransactionAction(action: TransactionAction, param = 'uid'): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRED_ACTION, { action, param } satisfies RequiredAction), UseGuards(TransactionStatusGuard));
}

@Injectable()
export class TransactionStatusGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly transactions: TransactionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<RequiredAction | undefined>(REQUIRED_ACTION, [context.getHandler(), context.getClass()]);
    if (!required) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const client = request.user as Client | undefined;
    if (!client) {
      throw new Error('RequireTransactionAction() needs ClientAuth() to run first.');
    }
    await this.transactions.assertActionAllowed(client.uid, String(request.params[required.param]), required.action);

    return true;
  }
}
