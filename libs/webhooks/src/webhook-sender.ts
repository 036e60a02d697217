import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { WebhookNetwork } from './webhook-network';
import { signWebhook, StandardWebhookHeaders } from './webhook-signer';
import { WebhookUrlPolicy } from './webhook-url-policy';

export interface WebhookRequest {
  url: string;
  /** The event uid: the `webhook-id` header, the same on every attempt. */
  id: string;
  body: string;
  secrets: string[];
}

/** Result of one attempt; `error` is set unless a 2xx status came back. */
export interface WebhookAttemptResult {
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** Maximum response body read, so a receiver cannot make the worker buffer without limit. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_ERROR_LENGTH = 500;

/**
 * Sends one signed webhook request. Only a 2xx status counts as delivered; redirects are
 * reported as failures and never followed, and the whole exchange is bounded by
 * `WEBHOOK_TIMEOUT_MS`.
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly config: AppConfig,
    private readonly policy: WebhookUrlPolicy,
    private readonly network: WebhookNetwork,
  ) {}

  async send(request: WebhookRequest): Promise<WebhookAttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    try {
      // Checked here for IP literals, which net.connect never passes to the agent's lookup.
      const url = await this.policy.assertReachable(request.url);
      const headers = signWebhook(request.id, new Date(), request.body, request.secrets);
      const response = await this.post(url, request.body, headers);

      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { succeeded: true, statusCode: response.statusCode, durationMs: elapsed(), error: null };
      }
      const redirect = response.statusCode >= 300 && response.statusCode < 400 ? ` (redirect to ${response.location ?? 'no location'} not followed)` : '';

      return { succeeded: false, statusCode: response.statusCode, durationMs: elapsed(), error: `HTTP ${response.statusCode}${redirect}`.slice(0, MAX_ERROR_LENGTH) };
    } catch (error) {
      return { succeeded: false, statusCode: null, durationMs: elapsed(), error: describeError(error).slice(0, MAX_ERROR_LENGTH) };
    }
  }

  private post(url: URL, body: string, headers: StandardWebhookHeaders): Promise<{ statusCode: number; location?: string }> {
    const timeoutMs = this.config.webhookTimeoutMs;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise((resolve, reject) => {
      const outgoing = send(url, {
        method: 'POST',
        agent: this.network.createAgent(url.protocol === 'https:' ? 'https:' : 'http:'),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'SecuSign-Webhooks/1',
        },
      });
      const deadline = setTimeout(() => outgoing.destroy(new WebhookTimeoutError(timeoutMs)), timeoutMs);

      outgoing.on('response', (response: IncomingMessage) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            // The status is known; the rest of the body is not needed.
            response.destroy();
          }
        });
        const finish = () => {
          clearTimeout(deadline);
          resolve({ statusCode: response.statusCode ?? 0, location: response.headers.location });
        };
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      });
      outgoing.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      outgoing.end(body);
    });
  }
}

export class WebhookTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const code = (error as NodeJS.ErrnoException).code;

  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
