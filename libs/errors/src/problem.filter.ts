import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DriverException } from '@mikro-orm/core';
import { redactUrl } from '@secusign/logging';
import { isClientDisconnect } from './client-disconnect';
import { CommonErrorCode, DomainError, problemType } from './domain-error';
import { ProblemDetails, titleOf } from './problem-details';

const HTTP_CODES: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.ValidationFailed,
  401: CommonErrorCode.Unauthorized,
  404: CommonErrorCode.RouteNotFound,
  405: CommonErrorCode.MethodNotAllowed,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  429: CommonErrorCode.RateLimited,
};

/**
 * Turns every error into an `application/problem+json` response.
 * Domain errors keep their code; Nest HTTP exceptions get a generic code for their status;
 * anything else becomes a 500 whose `error_id` is logged with the stack.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();

    if (response.headersSent) {
      this.logAfterResponseStarted(exception, request, response);
      response.end();

      return;
    }
    const problem = this.toProblem(exception, request);
    if (exception instanceof DomainError && exception.extensions?.retry_after !== undefined) {
      response.setHeader('Retry-After', String(exception.extensions.retry_after));
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  /**
   * Logs an error that a handler raised while it was streaming its response. A client that
   * closed the connection (a cancelled download) is logged at debug because the server did
   * nothing wrong. Any other error is logged at error level with the stack.
   */
  private logAfterResponseStarted(exception: unknown, request: Request, response: Response): void {
    const fields = { path: redactUrl(request.originalUrl), method: request.method, status: response.statusCode };
    if (isClientDisconnect(exception, response)) {
      const code = (exception as { code: string }).code;
      this.logger.debug({ ...fields, code }, 'client closed the connection before the response was complete');

      return;
    }
    this.logger.error({ ...fields, err: redactDriverError(exception) }, 'error raised after the response started');
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails & Record<string, unknown> {
    const instance = request.originalUrl?.split('?')[0];

    if (exception instanceof DomainError) {
      return {
        type: problemType(exception.code),
        title: titleOf(exception.code),
        status: exception.status,
        detail: exception.message,
        instance,
        ...(exception.errors ? { errors: exception.errors } : {}),
        ...(exception.extensions ?? {}),
      };
    }
    // The JSON body parser maps its own errors to problems (createJsonBodyParser); other
    // middleware may still pass an `http-errors` error meant for the client.
    const exposedError = asExposedHttpError(exception);
    if (exposedError) {
      const code = HTTP_CODES[exposedError.status] ?? CommonErrorCode.ValidationFailed;

      return { type: problemType(code), title: titleOf(code), status: exposedError.status, detail: exposedError.message, instance };
    }
    if (exception instanceof HttpException && exception.getStatus() !== HttpStatus.INTERNAL_SERVER_ERROR) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status] ?? (status >= 500 ? CommonErrorCode.ServiceUnavailable : CommonErrorCode.ValidationFailed);
      const body = exception.getResponse();
      const { message, statusCode: _statusCode, ...extensions } = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      if (typeof extensions.error === 'string') {
        // Nest's own `error: "Not Found"` repeats the title.
        delete extensions.error;
      }
      const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);

      // Extra members (such as the health check's per-dependency report) stay in the problem
      // body, but never replace the problem's own members.
      return { ...extensions, type: problemType(code), title: titleOf(code), status, detail, instance };
    }

    const errorId = randomUUID();
    this.logger.error({ err: redactDriverError(exception), error_id: errorId, path: redactUrl(instance), method: request.method }, 'unhandled error');

    return {
      type: problemType(CommonErrorCode.InternalError),
      title: titleOf(CommonErrorCode.InternalError),
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: `An unexpected error occurred; quote error id ${errorId} when reporting it.`,
      instance,
      error_id: errorId,
    };
  }
}

/** Returns status and message of an `http-errors` error whose message is meant for the client (`expose`). */
function asExposedHttpError(exception: unknown): { status: number; message: string } | null {
  if (typeof exception !== 'object' || exception === null || exception instanceof HttpException) {
    return null;
  }
  const candidate = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500 && candidate.expose === true) {
    return { status: candidate.status, message: String(candidate.message ?? 'Bad request') };
  }

  return null;
}

/**
 * Replaces a database driver error by its code and the server's reason. MikroORM puts the
 * whole statement with its parameter values in the message, and those values can be
 * secret hashes, encrypted secrets or personal data.
 */
export function redactDriverError(exception: unknown): unknown {
  if (!(exception instanceof DriverException)) {
    return exception;
  }
  const reason = exception.message.split(' - ').pop() ?? exception.name;

  return { type: exception.name, code: exception.code, message: reason, stack: exception.stack?.split('\n').slice(1).join('\n') };
}
