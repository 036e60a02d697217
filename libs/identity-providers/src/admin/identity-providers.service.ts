import type { KeyObject } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { CommonError } from '@secusign/errors';
import { formatTimestamp } from '@secusign/database';
import { decodeCursor, Page, PageQuery, toPage } from '@secusign/http';
import { IdentityProviderCheck } from '@secusign/signatories';
import { IdentityProvider } from '../identity-provider.entity';
import { IdentityProviderError } from '../identity-provider.errors';
import { CreateIdentityProviderDto, CreatedIdentityProviderResponse, IdentityProviderResponse } from './identity-provider.dto';
import { generateProviderKeyPair, jwkThumbprint, parseProviderPublicKey, publicKeyToPem } from './provider-keys';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registers, lists and disables identity providers; the only writer of `IdentityProvider`. */
@Injectable()
export class IdentityProvidersService extends IdentityProviderCheck {
  private readonly logger = new Logger(IdentityProvidersService.name);

  constructor(private readonly em: EntityManager) {
    super();
  }

  /**
   * Registers a provider. With `public_key`, the provider keeps its own private key. Without it,
   * a P-256 pair is generated and the private key is returned in this response only.
   */
  async create(input: CreateIdentityProviderDto): Promise<CreatedIdentityProviderResponse> {
    const generated = input.public_key === undefined ? generateProviderKeyPair() : null;
    const publicKey = generated?.publicKey ?? parsePublicKeyField(input.public_key!);

    const provider = new IdentityProvider();
    provider.name = input.name;
    provider.publicKey = publicKeyToPem(publicKey);
    provider.keyThumbprint = jwkThumbprint(publicKey);
    await this.em.persistAndFlush(provider);
    this.logger.log({ identity_provider_uid: provider.uid, key_generated: generated !== null }, 'identity provider registered');

    return { ...serializeIdentityProvider(provider), ...(generated ? { private_key: generated.privateKeyPem } : {}) };
  }

  /** Lists providers, newest first, with keyset pagination on (created_at, uid). */
  async list(query: PageQuery): Promise<Page<IdentityProviderResponse>> {
    const position = query.cursor ? decodeCursor(query.cursor) : null;
    const where = position
      ? { $or: [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, uid: { $lt: position.uid } }] }
      : {};
    const rows = await this.em.find(IdentityProvider, where, { orderBy: { createdAt: 'desc', uid: 'desc' }, limit: query.limit + 1 });

    return toPage(rows, query.limit, (provider) => ({ createdAt: provider.createdAt, uid: provider.uid }), serializeIdentityProvider);
  }

  async get(uid: string): Promise<IdentityProviderResponse> {
    return serializeIdentityProvider(await this.findOrFail(uid));
  }

  /** Disables a provider: its approvals are rejected from now on. Idempotent. */
  async disable(uid: string): Promise<IdentityProviderResponse> {
    const provider = await this.findOrFail(uid);
    if (!provider.disabledAt) {
      provider.disabledAt = new Date();
      await this.em.flush();
      this.logger.log({ identity_provider_uid: uid }, 'identity provider disabled');
    }

    return serializeIdentityProvider(provider);
  }

  /** Finds a provider, disabled ones included; null for an unknown uid or one that is not a UUID. */
  async findByUid(em: EntityManager, uid: string): Promise<IdentityProvider | null> {
    return UUID_PATTERN.test(uid) ? em.findOne(IdentityProvider, { uid }, { refresh: true }) : null;
  }

  /** Throws unless `uid` names an active provider, which a signatory may then name. */
  override async assertAssignable(em: EntityManager, uid: string): Promise<void> {
    const provider = await this.findByUid(em, uid);
    if (!provider) {
      throw IdentityProviderError.notAssignable(uid, 'not_found');
    }
    if (provider.disabledAt) {
      throw IdentityProviderError.notAssignable(uid, 'disabled');
    }
  }

  private async findOrFail(uid: string): Promise<IdentityProvider> {
    const provider = await this.findByUid(this.em, uid);
    if (!provider) {
      throw IdentityProviderError.notFound(uid);
    }

    return provider;
  }
}

function parsePublicKeyField(pem: string): KeyObject {
  const parsed = parseProviderPublicKey(pem);
  if ('error' in parsed) {
    throw CommonError.validation({ public_key: [parsed.error] });
  }

  return parsed.key;
}

/** Serializes a provider for the API. There is no private key to leave out, because none is stored. */
export function serializeIdentityProvider(provider: IdentityProvider): IdentityProviderResponse {
  return {
    uid: provider.uid,
    name: provider.name,
    status: provider.disabledAt ? 'disabled' : 'active',
    public_key: provider.publicKey,
    key_thumbprint: provider.keyThumbprint,
    disabled_at: formatTimestamp(provider.disabledAt),
    created_at: formatTimestamp(provider.createdAt),
    updated_at: formatTimestamp(provider.updatedAt),
  };
}
