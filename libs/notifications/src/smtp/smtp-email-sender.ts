import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { EmailMessage, EmailSender, NotificationDeliveryError } from '../senders';

/** Seconds nodemailer waits for the connection, the greeting and each command. */
const SMTP_TIMEOUT_MS = 15_000;

/** Sends email over SMTP with nodemailer, from `EMAIL_FROM` under the client's display name. */
export class SmtpEmailSender extends EmailSender {
  private readonly logger = new Logger(SmtpEmailSender.name);
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly fromAddress: string,
  ) {
    super();
    this.transport = createTransport(smtpUrl, {
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      const info = await this.transport.sendMail({
        from: { name: message.senderName, address: this.fromAddress },
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      this.logger.log({ message_id: info.messageId }, 'email accepted by the SMTP server');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NotificationDeliveryError('smtp', `The SMTP server did not accept the email: ${reason}`, { cause: error });
    }
  }
}
