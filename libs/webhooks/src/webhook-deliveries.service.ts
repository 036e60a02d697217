import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { formatTimestamp } from '@secusign/database';
import { CommonError } from '@secusign/errors';
import { decodeCursor, Page, PageQuery, toPage } from '@secusign/http';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookMessage } from './webhook-message.entity';

/** A delivery attempt as the API returns it. */
export interface WebhookDeliveryBody {
  id: string;
  event_id: string;
  event_type: string;
  sequence: number;
  attempt: number;
  trigger: 'automatic' | 'manual';
  url: string;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  /** Status of the event's delivery as a whole: `pending`, `succeeded` or `failed`. */
  event_status: string;
  next_retry_at: string | null;
  created_at: string;
}

/** Lists and retries the delivery attempts of a transaction that the caller already owns. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Attempts of `transactionUid`, newest first. */
  async list(transactionUid: string, query: PageQuery): Promise<Page<WebhookDeliveryBody>> {
    const em = this.orm.em.fork();
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const deliveries = await em.find(
      WebhookDelivery,
      after
        ? { transactionUid, $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, uid: { $lt: after.uid } }] }
        : { transactionUid },
      { orderBy: [{ createdAt: 'desc' }, { uid: 'desc' }], limit: query.limit + 1 },
    );
    const messages = await em.find(WebhookMessage, { eventUid: { $in: [...new Set(deliveries.map((delivery) => delivery.eventUid))] } });
    const messageOf = new Map(messages.map((message) => [message.eventUid, message]));

    return toPage(
      deliveries,
      query.limit,
      (delivery) => ({ createdAt: delivery.createdAt, uid: delivery.uid }),
      (delivery) => toDeliveryBody(delivery, messageOf.get(delivery.eventUid)),
    );
  }

  /** Sends the event of delivery `deliveryUid` again and returns the new attempt. */
  async retry(transactionUid: string, deliveryUid: string): Promise<WebhookDeliveryBody> {
    const em = this.orm.em.fork();
    const delivery = isUuid(deliveryUid) ? await em.findOne(WebhookDelivery, { uid: deliveryUid, transactionUid }) : null;
    if (!delivery) {
      throw CommonError.notFound('Webhook delivery', deliveryUid);
    }
    const message = await em.findOneOrFail(WebhookMessage, { eventUid: delivery.eventUid });
    const attempt = await this.dispatcher.retryManually(message);
    const updated = await this.orm.em.fork().findOneOrFail(WebhookMessage, { eventUid: delivery.eventUid });

    return toDeliveryBody(attempt, updated);
  }
}

function toDeliveryBody(delivery: WebhookDelivery, message: WebhookMessage | undefined): WebhookDeliveryBody {
  return {
    id: delivery.uid,
    event_id: delivery.eventUid,
    event_type: message?.type ?? 'unknown',
    sequence: message?.sequence ?? 0,
    attempt: delivery.attempt,
    trigger: delivery.trigger,
    url: delivery.url,
    succeeded: delivery.succeeded,
    status_code: delivery.statusCode,
    duration_ms: delivery.durationMs,
    error: delivery.error,
    event_status: message?.status ?? 'unknown',
    next_retry_at: formatTimestamp(delivery.nextRetryAt),
    created_at: formatTimestamp(delivery.createdAt),
  };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
