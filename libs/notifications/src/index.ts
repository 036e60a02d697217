export * from './messages/otp-message';
export * from './notifications.module';
export * from './otp-notifier';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox.service';
export * from './senders';
export * from './smtp/smtp-email-sender';
export * from './twilio/twilio-sms-sender';
