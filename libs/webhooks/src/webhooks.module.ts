import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ClientsModule } from '@secusign/clients';
import { ClientWebhookSecrets } from './client-webhook-secrets.service';
import { TransactionOwnership } from './transaction-ownership';
import { WebhookDeliverProcessor } from './webhook-deliver.processor';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookMessage } from './webhook-message.entity';
import { WebhookNetwork } from './webhook-network';
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_QUEUE_OPTIONS } from './webhook-queue';
import { WebhookQueueMetrics } from './webhook-queue-metrics';
import { WebhookRelay } from './webhook-relay.service';
import { WebhookResolver } from './webhook-resolver';
import { WebhookSecretController } from './webhook-secret.controller';
import { WebhookSecretSource } from './webhook-secret-source';
import { WebhookSender } from './webhook-sender';
import { WebhookUrlPolicy } from './webhook-url-policy';

/**
 * Webhook URL policy, delivery listing, manual retries and secret rotation. Imported by the API
 * and the worker; `WebhookUrlPolicy` is exported for the modules that save webhook URLs.
 */
@Module({
  imports: [MikroOrmModule.forFeature([WebhookMessage, WebhookDelivery]), ClientsModule],
  controllers: [WebhookDeliveriesController, WebhookSecretController],
  providers: [
    WebhookResolver,
    WebhookUrlPolicy,
    WebhookNetwork,
    WebhookSender,
    ClientWebhookSecrets,
    { provide: WebhookSecretSource, useExisting: ClientWebhookSecrets },
    WebhookDispatcher,
    WebhookDeliveriesService,
    TransactionOwnership,
  ],
  exports: [WebhookUrlPolicy, WebhookResolver, WebhookNetwork, WebhookDispatcher, TransactionOwnership],
})
export class WebhooksModule {}

/** The outbox relay and the `webhook.deliver` processor; only processes that run the worker import it. */
@Module({
  imports: [WebhooksModule, BullModule.registerQueue({ name: WEBHOOK_DELIVER_QUEUE, ...WEBHOOK_QUEUE_OPTIONS })],
  providers: [WebhookRelay, WebhookDeliverProcessor, WebhookQueueMetrics],
})
export class WebhookWorkerModule {}
