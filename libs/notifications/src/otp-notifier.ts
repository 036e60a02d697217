import { Injectable } from '@nestjs/common';
import { EmailSender, SmsSender } from './senders';
import { MessageLanguage, otpEmailText, otpSmsText } from './messages/otp-message';

export interface OtpNotification {
  channel: 'sms' | 'email';
  /** Phone digits for `sms`, email address for `email`. */
  destination: string;
  code: string;
  language: MessageLanguage;
  firstname: string;
  lastname: string;
  documentName: string | null;
  validityMinutes: number;
  /** Client branding: display name (emails and fallback SMS sender) and SMS sender ID. */
  senderName: string;
  smsSender: string | null;
}

/** Sends one-time codes to signatories in their language, under their client's name. */
@Injectable()
export class OtpNotifier {
  constructor(
    private readonly sms: SmsSender,
    private readonly email: EmailSender,
  ) {}

  async send(notification: OtpNotification): Promise<void> {
    const text = {
      language: notification.language,
      code: notification.code,
      senderName: notification.senderName,
      firstname: notification.firstname,
      lastname: notification.lastname,
      documentName: notification.documentName,
      validityMinutes: notification.validityMinutes,
    };

    if (notification.channel === 'sms') {
      await this.sms.send({ to: notification.destination, sender: notification.smsSender ?? notification.senderName, body: otpSmsText(text) });

      return;
    }
    const { subject, text: body } = otpEmailText(text);
    await this.email.send({ to: notification.destination, senderName: notification.senderName, subject, text: body });
  }
}
