import { DomainError } from '@secusign/errors';

/** Stable codes of the errors the webhooks domain raises; each is the last segment of a problem `type`. */
export enum WebhookErrorCode {
  /** Not an absolute http(s) URL. */
  UrlInvalid = 'webhook_url_invalid',
  /** The host is, or resolves to, an address webhooks may not reach (loopback, private, metadata...). */
  UrlNotAllowed = 'webhook_url_not_allowed',
  /** The host name does not resolve, so the address cannot be checked. */
  UrlUnresolvable = 'webhook_url_unresolvable',
}

const STATUS_OF_CODE: Record<WebhookErrorCode, number> = {
  [WebhookErrorCode.UrlInvalid]: 400,
  [WebhookErrorCode.UrlNotAllowed]: 422,
  [WebhookErrorCode.UrlUnresolvable]: 422,
};

/** A webhook URL that cannot be saved or called; `errors.webhook_url` repeats the reason for form display. */
export class WebhookUrlError extends DomainError {
  readonly status: number;

  constructor(code: WebhookErrorCode, message: string) {
    super(code, message, { webhook_url: [message] });
    this.status = STATUS_OF_CODE[code];
  }
}
