import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuthModule } from '@secusign/auth';
import { AppConfig } from '@secusign/config';
import { OtpNotifier } from './otp-notifier';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { OutboxController } from './outbox/outbox.controller';
import { OutboxEmailSender, OutboxService, OutboxSmsSender } from './outbox/outbox.service';
import { EmailSender, SmsSender } from './senders';
import { SmtpEmailSender } from './smtp/smtp-email-sender';
import { TwilioSmsSender } from './twilio/twilio-sms-sender';

function createSmsSender(config: AppConfig, outbox: OutboxService): SmsSender {
  switch (config.smsProvider) {
    case 'outbox':
      return new OutboxSmsSender(outbox);
    case 'twilio': {
      const { accountSid, authToken, from, apiUrl } = config.twilio;
      if (!accountSid || !authToken || !from) {
        // AppConfig rejects this combination at boot; this guard keeps the types honest.
        throw new Error('SMS_PROVIDER is twilio but TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM is missing');
      }

      return new TwilioSmsSender({ accountSid, authToken, defaultFrom: from, apiUrl });
    }
  }
}

function createEmailSender(config: AppConfig, outbox: OutboxService): EmailSender {
  switch (config.emailProvider) {
    case 'outbox':
      return new OutboxEmailSender(outbox);
    case 'smtp':
      if (!config.smtp.url) {
        throw new Error('EMAIL_PROVIDER is smtp but SMTP_URL is missing');
      }

      return new SmtpEmailSender(config.smtp.url, config.smtp.from);
  }
}

/** SMS and email providers chosen by `SMS_PROVIDER` and `EMAIL_PROVIDER`, and the admin outbox listing. */
@Module({
  imports: [MikroOrmModule.forFeature([OutboxMessage]), AuthModule],
  controllers: [OutboxController],
  providers: [
    OutboxService,
    { provide: SmsSender, inject: [AppConfig, OutboxService], useFactory: createSmsSender },
    { provide: EmailSender, inject: [AppConfig, OutboxService], useFactory: createEmailSender },
    OtpNotifier,
  ],
  exports: [SmsSender, EmailSender, OtpNotifier, OutboxService],
})
export class NotificationsModule {}
