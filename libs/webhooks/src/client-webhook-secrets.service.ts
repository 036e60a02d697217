import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { LockMode, MikroORM } from '@mikro-orm/postgresql';
import { encryptSecret } from '@secusign/auth';
import { Client, ClientError, ClientsService, webhookSecretContext } from '@secusign/clients';
import { AppConfig } from '@secusign/config';
import { formatTimestamp } from '@secusign/database';
import { WebhookSecretSource } from './webhook-secret-source';

/** Response of a rotation: the new secret, shown only here. */
export interface RotatedWebhookSecret {
  webhook_secret: string;
  /** Until then webhooks carry a second signature made with the replaced secret; null without overlap. */
  previous_secret_expires_at: string | null;
}

/** Reads and rotates the webhook secrets stored on the client row, encrypted under the master key. */
@Injectable()
export class ClientWebhookSecrets extends WebhookSecretSource {
  private readonly logger = new Logger(ClientWebhookSecrets.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly clients: ClientsService,
  ) {
    super();
  }

  async activeSecrets(clientUid: string): Promise<string[]> {
    const client = await this.orm.em.fork().findOneOrFail(Client, { uid: clientUid });
    const { current, previous } = this.clients.getWebhookSecrets(client);

    return previous ? [current, previous] : [current];
  }

  /**
   * Replaces the client's webhook secret. The replaced one keeps signing, beside the new one,
   * for `WEBHOOK_SECRET_OVERLAP_HOURS`; a secret replaced by an earlier rotation stops at once.
   */
  async rotate(clientUid: string): Promise<RotatedWebhookSecret> {
    const em = this.orm.em.fork();

    return em.transactional(async (transactionEm) => {
      const client = await transactionEm.findOne(Client, { uid: clientUid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!client) {
        throw ClientError.notFound(clientUid);
      }
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const overlapMs = this.config.webhookSecretOverlapMs;
      const expiresAt = overlapMs > 0 ? new Date(Date.now() + overlapMs) : null;

      client.previousWebhookSecretEncrypted = expiresAt ? client.webhookSecretEncrypted : null;
      client.previousWebhookSecretExpiresAt = expiresAt;
      client.webhookSecretEncrypted = encryptSecret(secret, this.config.masterKey, webhookSecretContext(client.uid));
      await transactionEm.flush();
      this.logger.log({ client_uid: client.uid, previous_secret_expires_at: formatTimestamp(expiresAt) }, 'webhook secret rotated');

      return { webhook_secret: secret, previous_secret_expires_at: formatTimestamp(expiresAt) };
    });
  }
}
