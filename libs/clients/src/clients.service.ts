import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptSecret, decryptSecret, hashSecret, randomToken } from '@secusign/auth';
import { AppConfig } from '@secusign/config';
import { formatTimestamp } from '@secusign/database';
import { decodeCursor, Page, PageQuery, toPage } from '@secusign/http';
import { Client } from './client.entity';
import { ClientError } from './client-error';
import { CreateClientDto } from './dto/create-client.dto';
import { ClientResponse, CreatedClientResponse } from './dto/client.response';
import { UpdateClientDto } from './dto/update-client.dto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Branding shown to signatories; `displayName` falls back to the client's name. */
export interface ClientBranding {
  displayName: string;
  primaryColor: string | null;
  logoUrl: string | null;
  smsSender: string | null;
}

/** Secrets that sign webhooks: the current one, and the one it replaced while that still signs. */
export interface WebhookSecrets {
  current: string;
  previous: string | null;
}

/** Associated data of a client's encrypted webhook secrets, so a ciphertext only decrypts on its own row. */
export function webhookSecretContext(clientUid: string): string {
  return `client:${clientUid}:webhook_secret`;
}

/** Creates, lists and updates clients; the only writer of the `Client` entity. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  /** Creates a client and returns its one-time secrets with it. */
  async create(input: CreateClientDto): Promise<CreatedClientResponse> {
    const clientSecret = `sk_${randomToken(32)}`;
    // Standard Webhooks secret format: `whsec_` and the base64 of the key bytes.
    const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const client = new Client();
    client.clientId = `cli_${randomToken(12)}`;
    client.name = input.name;
    client.secretHash = await hashSecret(clientSecret);
    client.webhookSecretEncrypted = encryptSecret(webhookSecret, this.config.masterKey, webhookSecretContext(client.uid));
    this.applyBranding(client, input);

    await this.em.persistAndFlush(client);

    return { ...serializeClient(client), client_secret: clientSecret, webhook_secret: webhookSecret };
  }

  /** Lists clients, newest first, with keyset pagination on (created_at, uid). */
  async list(query: PageQuery): Promise<Page<ClientResponse>> {
    const position = query.cursor ? decodeCursor(query.cursor) : null;
    const where = position
      ? { $or: [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, uid: { $lt: position.uid } }] }
      : {};
    const rows = await this.em.find(Client, where, { orderBy: { createdAt: 'desc', uid: 'desc' }, limit: query.limit + 1 });

    return toPage(rows, query.limit, (client) => ({ createdAt: client.createdAt, uid: client.uid }), serializeClient);
  }

  async get(uid: string): Promise<ClientResponse> {
    return serializeClient(await this.findOrFail(uid));
  }

  /** Changes the name or branding; absent fields are kept and `null` clears a branding field. */
  async update(uid: string, input: UpdateClientDto): Promise<ClientResponse> {
    const client = await this.findOrFail(uid);
    if (input.name !== undefined) {
      client.name = input.name;
    }
    this.applyBranding(client, input);
    await this.em.flush();

    return serializeClient(client);
  }

  /** Disables a client: from now on every request with its credentials gets 401. Idempotent. */
  async disable(uid: string): Promise<ClientResponse> {
    const client = await this.findOrFail(uid);
    client.disabledAt ??= new Date();
    await this.em.flush();

    return serializeClient(client);
  }

  /** Re-enables a disabled client. Idempotent. */
  async enable(uid: string): Promise<ClientResponse> {
    const client = await this.findOrFail(uid);
    client.disabledAt = null;
    await this.em.flush();

    return serializeClient(client);
  }

  /** Looks a client up by the user-id of its Basic credentials, disabled ones included. */
  async findByClientId(clientId: string): Promise<Client | null> {
    return this.em.findOne(Client, { clientId });
  }

  async findByUid(uid: string): Promise<Client | null> {
    return UUID_PATTERN.test(uid) ? this.em.findOne(Client, { uid }) : null;
  }

  /** Decrypts the client's webhook secrets; the previous one only until it expires. */
  getWebhookSecrets(client: Client, now = new Date()): WebhookSecrets {
    const context = webhookSecretContext(client.uid);
    const previousValid = client.previousWebhookSecretEncrypted !== null && client.previousWebhookSecretExpiresAt !== null && client.previousWebhookSecretExpiresAt > now;

    return {
      current: decryptSecret(client.webhookSecretEncrypted, this.config.masterKey, context),
      previous: previousValid ? decryptSecret(client.previousWebhookSecretEncrypted!, this.config.masterKey, context) : null,
    };
  }

  getBranding(client: Client): ClientBranding {
    return {
      displayName: client.displayName ?? client.name,
      primaryColor: client.primaryColor,
      logoUrl: client.logoUrl,
      smsSender: client.smsSender,
    };
  }

  private async findOrFail(uid: string): Promise<Client> {
    const client = await this.findByUid(uid);
    if (!client) {
      throw ClientError.notFound(uid);
    }

    return client;
  }

  private applyBranding(client: Client, input: UpdateClientDto): void {
    if (input.display_name !== undefined) {
      client.displayName = input.display_name;
    }
    if (input.primary_color !== undefined) {
      client.primaryColor = input.primary_color === null ? null : input.primary_color.toUpperCase();
    }
    if (input.logo_url !== undefined) {
      client.logoUrl = input.logo_url;
    }
    if (input.sms_sender !== undefined) {
      client.smsSender = input.sms_sender;
    }
  }
}

/** The public form of a client: never the secret hash nor the encrypted webhook secret. */
export function serializeClient(client: Client): ClientResponse {
  return {
    uid: client.uid,
    client_id: client.clientId,
    name: client.name,
    display_name: client.displayName,
    primary_color: client.primaryColor,
    logo_url: client.logoUrl,
    sms_sender: client.smsSender,
    status: client.disabledAt ? 'disabled' : 'active',
    disabled_at: formatTimestamp(client.disabledAt),
    created_at: formatTimestamp(client.createdAt),
    updated_at: formatTimestamp(client.updatedAt),
  };
}
