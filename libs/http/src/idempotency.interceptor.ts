import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, of } from 'rxjs';
import { requestScopeOf } from '@secusign/auth';
import { AppConfig } from '@secusign/config';
import { CommonError, CommonErrorCode } from '@secusign/errors';
import { canonicalJson } from '@secusign/evidence';
import { StreamedBodyHasher } from './idempotency-body-hasher';
import { IdempotencyStore, PENDING_REQUEST_HASH, StoredResponse } from './idempotency.store';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Printable ASCII (space to tilde), 1 to 255 characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;
/** Larger responses are not stored, and a retry runs the request again. */
const MAX_STORED_RESPONSE_BYTES = 1024 * 1024;
/** Slack over the upload limit for multipart framing when a retry's body is read for comparison. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

type BodyFingerprint = { kind: 'known'; hash: string } | { kind: 'streamed'; hasher: StreamedBodyHasher };

/**
 * Makes POST requests that carry an `Idempotency-Key` header safe to retry. The first request
 * with a key runs and its response is stored; a retry with the same key and the same method,
 * URL and body gets that response again with `Idempotent-Replayed: true` and runs nothing.
 *
 * Keys are scoped to the caller that the authentication guard identified (a client, the
 * administrator, or `anonymous:<path>`). The same key with another body is 422
 * `idempotency_key_reused`; a key whose first request is still running is 409
 * `idempotency_key_in_progress`. 5xx responses are not stored, so the request can be retried.
 *
 * JSON bodies are hashed in canonical form (key order and whitespace do not matter). Other
 * bodies (PDF uploads, multipart forms) are hashed while their handler streams them, so the
 * hash is known only when the response is ready. A request whose handler did not read the
 * whole body (a 413, or a rejection before the upload) is not stored either.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) {
      return next.handle();
    }
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new CommonError(CommonErrorCode.InvalidIdempotencyKey, `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters.`);
    }

    const scope = requestScopeOf(request);
    const fingerprint = fingerprintBody(request);
    const claim = await this.store.claim(scope, key, fingerprint.kind === 'known' ? requestHashOf(request, fingerprint.hash) : PENDING_REQUEST_HASH);

    if (claim.outcome === 'in_progress') {
      throw new CommonError(
        CommonErrorCode.IdempotencyKeyInProgress,
        `A request with this ${IDEMPOTENCY_KEY_HEADER} is still in progress. Retry once it has completed.`,
      );
    }
    if (claim.outcome === 'completed') {
      const requestHash = fingerprint.kind === 'known' ? requestHashOf(request, fingerprint.hash) : await this.readStreamedHash(request, fingerprint.hasher);
      if (requestHash !== claim.requestHash) {
        throw new CommonError(
          CommonErrorCode.IdempotencyKeyReused,
          `This ${IDEMPOTENCY_KEY_HEADER} was already used for a request with another method, URL or body. Use a new key for a new request.`,
        );
      }
      replay(response, claim.response);

      // The response is already sent, and the router's reply of `undefined` adds nothing to it.
      return of(undefined);
    }

    this.recordResponse(request, response, async (stored) => {
      const requestHash = await this.finalRequestHash(request, fingerprint);
      if (stored === null || stored.statusCode >= 500 || requestHash === null) {
        await this.store.release(scope, key);
      } else {
        await this.store.complete(scope, key, requestHash, stored);
      }
    }, () => this.store.release(scope, key));

    return next.handle();
  }

  /** Request hash once the response is ready, or null when the handler left part of a streamed body unread. */
  private async finalRequestHash(request: Request, fingerprint: BodyFingerprint): Promise<string | null> {
    if (fingerprint.kind === 'known') {
      return requestHashOf(request, fingerprint.hash);
    }
    await fingerprint.hasher.settled();
    const digest = fingerprint.hasher.digest();

    return digest === null ? null : requestHashOf(request, digest);
  }

  /**
   * Reads a retry's streamed body to compare it with the stored request. A body over the upload
   * limit cannot match a stored request, so reading stops there and null (no match) is returned.
   */
  private async readStreamedHash(request: Request, hasher: StreamedBodyHasher): Promise<string | null> {
    const limit = this.config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES;
    const complete = await new Promise<boolean>((resolve, reject) => {
      const onData = () => {
        if (hasher.length > limit) {
          cleanup();
          request.pause();
          resolve(false);
        }
      };
      const onEnd = () => {
        cleanup();
        resolve(true);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        request.off('data', onData).off('end', onEnd).off('error', onError);
      };
      request.on('data', onData).on('end', onEnd).on('error', onError);
    });
    if (!complete) {
      return null;
    }
    await hasher.settled();
    const digest = hasher.digest();

    return digest === null ? null : requestHashOf(request, digest);
  }

  /**
   * Captures the response as it is written and calls `onEnd` before the last bytes go out, so a
   * retry sent right after the response finds the record completed. `onAbort` runs when the
   * connection closes before the response ends.
   */
  private recordResponse(request: Request, response: Response, onEnd: (stored: StoredResponse | null) => Promise<void>, onAbort: () => Promise<void>): void {
    const logger = this.logger;
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    const originalWrite = response.write;
    const originalEnd = response.end;

    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') {
        return;
      }
      const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size <= MAX_STORED_RESPONSE_BYTES) {
        chunks.push(buffer);
      }
    };

    response.write = function write(this: Response, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);

      return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Response['write'];

    response.end = function end(this: Response, ...args: unknown[]) {
      ended = true;
      response.write = originalWrite;
      response.end = originalEnd;
      collect(args[0], args[1]);
      const stored: StoredResponse | null =
        size > MAX_STORED_RESPONSE_BYTES
          ? null
          : {
              statusCode: response.statusCode,
              body: Buffer.concat(chunks).toString('base64'),
              contentType: headerValue(response.getHeader('content-type')),
              location: headerValue(response.getHeader('location')),
            };
      onEnd(stored)
        .catch((error: unknown) => logger.error({ err: error, path: request.path }, 'failed to store the idempotent response'))
        .finally(() => (originalEnd as (...endArgs: unknown[]) => Response).apply(response, args));

      return response;
    } as Response['end'];

    // NOTE: a handler that still completes after its client disconnected has its key released
    // here, so a retry runs the request again. Holding the key instead would answer 409 to
    // every retry of an interrupted upload until the lease ends.
    response.once('close', () => {
      if (!ended) {
        onAbort().catch((error: unknown) => logger.error({ err: error, path: request.path }, 'failed to release an idempotency key'));
      }
    });
  }
}

/** Hash of a body read before the handler runs, or a hasher that follows a streamed body. */
function fingerprintBody(request: Request): BodyFingerprint {
  if (request.body !== undefined) {
    return { kind: 'known', hash: sha256(canonicalJson(request.body)) };
  }
  const contentLength = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (contentLength !== undefined && contentLength !== '0');
  if (!hasBody) {
    // Same hash as an empty JSON object, so an empty POST matches itself with or without a content type.
    return { kind: 'known', hash: sha256(canonicalJson({})) };
  }

  return { kind: 'streamed', hasher: new StreamedBodyHasher(request) };
}

function requestHashOf(request: Request, bodyHash: string): string {
  return sha256(`${request.method} ${request.originalUrl}\n${bodyHash}`);
}

function sha256(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

function headerValue(value: number | string | string[] | undefined): string | null {
  if (value === undefined) {
    return null;
  }

  return Array.isArray(value) ? value.join(', ') : String(value);
}

function replay(response: Response, stored: StoredResponse): void {
  response.status(stored.statusCode);
  if (stored.contentType) {
    response.setHeader('Content-Type', stored.contentType);
  }
  if (stored.location) {
    response.setHeader('Location', stored.location);
  }
  response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  response.end(Buffer.from(stored.body, 'base64'));
}
