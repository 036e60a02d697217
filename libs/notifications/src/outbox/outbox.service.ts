import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { formatTimestamp } from '@secusign/database';
import { EmailMessage, EmailSender, normalizeRecipient, SmsMessage, SmsSender } from '../senders';
import { OutboxMessage } from './outbox-message.entity';

/** Outbox message as `GET /admin/outbox` returns it. */
export interface OutboxMessageBody {
  channel: 'sms' | 'email';
  to: string;
  subject: string | null;
  body: string;
  created_at: string;
}

/** Maximum messages one `GET /admin/outbox` returns. */
const OUTBOX_PAGE_SIZE = 100;

/** Stores and lists outbox messages, each write in its own database transaction. */
@Injectable()
export class OutboxService {
  constructor(private readonly em: EntityManager) {}

  async store(message: Pick<OutboxMessage, 'channel' | 'recipient' | 'sender' | 'subject' | 'body'>): Promise<void> {
    const em = this.em.fork();
    const row = em.create(OutboxMessage, { ...message, recipient: normalizeRecipient(message.recipient), createdAt: new Date() });
    await em.persistAndFlush(row);
  }

  /** Lists the newest messages first, for one recipient when `to` is given. */
  async list(to?: string): Promise<OutboxMessageBody[]> {
    const em = this.em.fork();
    const where = to ? { recipient: normalizeRecipient(to) } : {};
    const rows = await em.find(OutboxMessage, where, { orderBy: { id: 'desc' }, limit: OUTBOX_PAGE_SIZE });

    return rows.map((row) => ({
      channel: row.channel,
      to: row.recipient,
      subject: row.subject,
      body: row.body,
      created_at: formatTimestamp(row.createdAt),
    }));
  }
}

@Injectable()
export class OutboxSmsSender extends SmsSender {
  constructor(private readonly outbox: OutboxService) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    await this.outbox.store({ channel: 'sms', recipient: message.to, sender: message.sender ?? 'SecuSign', subject: null, body: message.body });
  }
}

@Injectable()
export class OutboxEmailSender extends EmailSender {
  constructor(private readonly outbox: OutboxService) {
    super();
  }

  async send(message: EmailMessage): Promise<void> {
    await this.outbox.store({ channel: 'email', recipient: message.to, sender: message.senderName, subject: message.subject, body: message.text });
  }
}
