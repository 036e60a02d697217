import { randomUUID } from 'node:crypto';
import { ConsoleLogger, Logger, RequestMethod } from '@nestjs/common';
import { Logger as PinoNestLogger, Params, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '@secusign/config';
import { redactUrl } from '@secusign/logging';

/** Field names whose values pino replaces by `[redacted]` at the top level of a line or one level down. */
const SENSITIVE_FIELDS = [
  'authorization',
  'password',
  'secret',
  'client_secret',
  'webhook_secret',
  'secret_hash',
  'secretHash',
  'private_key',
  'privateKey',
  'master_key',
  'masterKey',
  'code',
  'otp',
  'token',
  'phone',
  'email',
  'to',
  'destination',
];

/**
 * Paths pino removes from every line: credentials, one-time codes and contact details
 * must never reach the logs, even inside a logged error or request. pino's `*` matches one
 * level, so each field is listed at the top level and one level down.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
];

export function createLoggerOptions(config: AppConfig): Params {
  return {
    // The access log line carries the ids that guards and interceptors assign during the request.
    assignResponse: true,
    // Every route, in the path syntax of Express 5; nestjs-pino's default `*` logs a conversion warning at boot.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);

        return id;
      },
      customLogLevel: (_request, response, error) => accessLogLevel(response.statusCode, error),
      serializers: {
        // Download tokens in the path are credentials, so redactUrl replaces them. It also drops the query string.
        req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}

/**
 * Points Nest's static `Logger` at a JSON writer before any application exists, so startup and
 * migration lines are JSON like the rest. With a configuration it is pino with the app's options:
 * nestjs-pino keeps one pino instance per process, and the app's `LoggerModule` reuses it. Without
 * one (the configuration failed to load) it is Nest's `ConsoleLogger` in JSON mode.
 */
export function installStartupLogger(config?: AppConfig): void {
  if (!config) {
    Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));

    return;
  }
  const params = createLoggerOptions(config);
  Logger.overrideLogger(new PinoNestLogger(new PinoLogger(params), params));
}

/** Level of a request's access line: error for failures and 5xx, warn for 4xx, info otherwise. */
function accessLogLevel(statusCode: number, error: unknown): 'error' | 'warn' | 'info' {
  if (error || statusCode >= 500) {
    return 'error';
  }
  if (statusCode >= 400) {
    return 'warn';
  }

  return 'info';
}
