/** A text message to one phone number. */
export interface SmsMessage {
  /** E.164 digits, with or without the leading `+`. */
  to: string;
  /** Sender shown on the phone: an alphanumeric sender ID (at most 11 characters) or null for the platform's default. */
  sender: string | null;
  body: string;
}

/** A plain-text email to one address. */
export interface EmailMessage {
  to: string;
  /** Display name of the `From` header; the address is `EMAIL_FROM`. */
  senderName: string;
  subject: string;
  text: string;
}

/** Sends SMS through the provider that `SMS_PROVIDER` selects. Also the injection token. */
export abstract class SmsSender {
  /** Sends one message; rejects with NotificationDeliveryError when the provider refuses it. */
  abstract send(message: SmsMessage): Promise<void>;
}

/** Sends email through the provider that `EMAIL_PROVIDER` selects. Also the injection token. */
export abstract class EmailSender {
  /** Sends one message; rejects with NotificationDeliveryError when the server refuses it. */
  abstract send(message: EmailMessage): Promise<void>;
}

/** Raised when a provider did not accept a message; `message` never contains the recipient or the body. */
export class NotificationDeliveryError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NotificationDeliveryError';
  }
}

/** Outbox key of a recipient: an email address in lower case, or the digits of a phone number. */
export function normalizeRecipient(recipient: string): string {
  const trimmed = recipient.trim();

  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/\D/g, '');
}
