import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatTimestamp } from '@secusign/database';
import { AuditActorType, AuditEvent } from './audit-event.entity';
import { canonicalJson } from './canonical-json';
import { DomainEvent, DomainEventType } from './domain-event.entity';

/** Previous hash of the first event of every trail. */
export const GENESIS_HASH = '0'.repeat(64);

/** Request facts recorded with an event. */
export interface RequestMetadata {
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditActor {
  type: AuditActorType;
  id?: string | null;
}

export interface AppendAuditEvent {
  transactionUid: string;
  type: string;
  actor: AuditActor;
  request?: RequestMetadata;
  data?: Record<string, unknown>;
}

/** Fields covered by an event's hash, in the form the evidence files publish them. */
export function auditEventHashInput(event: Omit<AuditEvent, 'id' | 'hash'>): Record<string, unknown> {
  return {
    transaction_uid: event.transactionUid,
    sequence: event.sequence,
    type: event.type,
    actor_type: event.actorType,
    actor_id: event.actorId,
    ip: event.ip,
    user_agent: event.userAgent,
    data: event.data,
    created_at: formatTimestamp(event.createdAt),
    previous_hash: event.previousHash,
  };
}

export function hashAuditEvent(event: Omit<AuditEvent, 'id' | 'hash'>): string {
  return createHash('sha256').update(canonicalJson(auditEventHashInput(event))).digest('hex');
}

/**
 * Appends audit events and domain events. Call inside the database transaction that makes
 * the change: both writes lock the transaction row, so concurrent appends to one trail are
 * serialized and each event chains to the one before it.
 */
@Injectable()
export class AuditTrail {
  async append(em: EntityManager, input: AppendAuditEvent): Promise<AuditEvent> {
    await this.lockTransaction(em, input.transactionUid);
    const [last] = await em.execute<{ sequence: number; hash: string }[]>(
      'select sequence, hash from audit_events where transaction_uid = ? order by sequence desc limit 1',
      [input.transactionUid],
    );

    const event = new AuditEvent();
    event.transactionUid = input.transactionUid;
    event.sequence = (last?.sequence ?? 0) + 1;
    event.type = input.type;
    event.actorType = input.actor.type;
    event.actorId = input.actor.id ?? null;
    event.ip = input.request?.ip ?? null;
    event.userAgent = input.request?.userAgent ?? null;
    event.data = input.data ?? {};
    event.createdAt = new Date();
    event.previousHash = last?.hash ?? GENESIS_HASH;
    event.hash = hashAuditEvent(event);
    em.persist(event);
    await em.flush();

    return event;
  }

  /** Records a domain event in the outbox; the webhook relay delivers it after commit. */
  async recordDomainEvent(
    em: EntityManager,
    input: { clientUid: string; transactionUid: string; type: DomainEventType; payload: Record<string, unknown> },
  ): Promise<DomainEvent> {
    await this.lockTransaction(em, input.transactionUid);
    const [last] = await em.execute<{ sequence: number }[]>(
      'select sequence from domain_events where transaction_uid = ? order by sequence desc limit 1',
      [input.transactionUid],
    );

    const event = new DomainEvent();
    event.clientUid = input.clientUid;
    event.transactionUid = input.transactionUid;
    event.sequence = (last?.sequence ?? 0) + 1;
    event.type = input.type;
    event.payload = input.payload;
    em.persist(event);
    await em.flush();

    return event;
  }

  /** Lists a transaction's audit events in order. */
  async list(em: EntityManager, transactionUid: string): Promise<AuditEvent[]> {
    return em.find(AuditEvent, { transactionUid }, { orderBy: { sequence: 'asc' } });
  }

  private async lockTransaction(em: EntityManager, transactionUid: string): Promise<void> {
    if (!em.isInTransaction()) {
      throw new Error('AuditTrail writes must run inside a database transaction');
    }
    await em.execute('select uid from transactions where uid = ? for update', [transactionUid]);
  }
}
