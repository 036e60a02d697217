import { Logger } from '@nestjs/common';
import { NotificationDeliveryError, SmsMessage, SmsSender } from '../senders';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Sender used when the message names none: an E.164 number or an alphanumeric sender ID. */
  defaultFrom: string;
  /** Base URL of the REST API, `https://api.twilio.com` in production. */
  apiUrl: string;
}

/** Time allowed for one API call. */
const TWILIO_TIMEOUT_MS = 15_000;

/** Alphanumeric sender IDs: 1 to 11 letters, digits or spaces, with at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/**
 * Sends SMS through the Twilio Programmable Messaging API: `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * with a form-encoded `To`, `From` and `Body` and HTTP Basic authentication by account SID and auth token.
 */
export class TwilioSmsSender extends SmsSender {
  private readonly logger = new Logger(TwilioSmsSender.name);

  constructor(private readonly options: TwilioOptions) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const url = `${this.options.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    const form = new URLSearchParams({
      To: `+${message.to.replace(/^\+/, '')}`,
      From: senderOf(message.sender, this.options.defaultFrom),
      Body: message.body,
    });
    const authorization = `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`;

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(TWILIO_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NotificationDeliveryError('twilio', `The Twilio API could not be reached: ${reason}`, { cause: error });
    }

    const body = (await response.json().catch(() => null)) as { sid?: string; code?: number } | null;
    if (response.status !== 201 && response.status !== 200) {
      // Twilio's `message` field may quote the phone number, so only its numeric error code is kept.
      throw new NotificationDeliveryError('twilio', `The Twilio API rejected the message with HTTP ${response.status}, error code ${body?.code ?? 'none'}`);
    }
    this.logger.log({ message_sid: body?.sid ?? null }, 'SMS accepted by Twilio');
  }
}

/** Returns the client's sender ID when Twilio accepts it as an alphanumeric sender, else the configured sender. */
function senderOf(requested: string | null, defaultFrom: string): string {
  return requested && ALPHANUMERIC_SENDER.test(requested) ? requested : defaultFrom;
}
