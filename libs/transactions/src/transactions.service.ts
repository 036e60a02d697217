import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Client } from '@secusign/clients';
import { CommonError, CommonErrorCode } from '@secusign/errors';
import { AuditActor, AuditTrail, DomainEventType, RequestMetadata } from '@secusign/evidence';
import { decodeCursor, Page, toPage } from '@secusign/http';
import { DownloadLinks } from '@secusign/downloads';
import { DocumentStorage } from '@secusign/storage';
import { WebhookUrlPolicy } from '@secusign/webhooks';
import { DocumentRevision } from './document-revision.entity';
import { MissingSendRequirement, TransactionError } from './transaction.errors';
import { TransactionBody, toTransactionBody } from './transaction.presenter';
import { assertTransactionAction, TransactionAction, transactionRuleViolation } from './transaction-rules';
import { TransactionSendPreparer } from './transaction-send-preparer';
import { TransactionSignatories } from './transaction-signatories';
import { TransactionStatus } from './transaction-status';
import { Transaction } from './transaction.entity';

/** Maximum number of signatories per transaction. */
export const MAX_SIGNATORIES = 4;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client on whose behalf a request runs, with what the audit trail records about it. */
export interface ClientCaller {
  clientUid: string;
  request?: RequestMetadata;
}

/** Fields a client sets on create and changes while `created`. Undefined leaves a field as it is and null clears it. */
export interface TransactionFields {
  name?: string | null;
  webhook_url?: string | null;
}

export interface ListTransactionsOptions {
  status?: TransactionStatus;
  limit: number;
  cursor?: string;
}

/**
 * Transactions of a client and their status machine. Every status change is a compare-and-set
 * on the status this request read (`UPDATE … WHERE status = <read>`) inside a database
 * transaction that also appends the audit event and, for sent and cancelled, the domain event.
 * So of two concurrent transitions from one status exactly one wins; the other gets a 409.
 */
@Injectable()
export class TransactionsService {
  private readonly logger = new Logger(TransactionsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly auditTrail: AuditTrail,
    private readonly signatories: TransactionSignatories,
    private readonly sendPreparer: TransactionSendPreparer,
    private readonly storage: DocumentStorage,
    private readonly webhookUrls: WebhookUrlPolicy,
    private readonly downloadLinks: DownloadLinks,
  ) {}

  /**
   * Returns the client's transaction `uid`. A malformed uid, another client's transaction and a
   * deleted one all raise the same 404, so uids cannot be probed.
   */
  async findForClient(clientUid: string, uid: string, em: EntityManager = this.em): Promise<Transaction> {
    const transaction = UUID.test(uid) ? await em.findOne(Transaction, { uid, client: { uid: clientUid }, deletedAt: null }, { refresh: true }) : null;
    if (!transaction) {
      throw CommonError.notFound('Transaction', uid);
    }

    return transaction;
  }

  /** Raises the 404 or 409 that `action` would meet now; guards call it before reading a request body. */
  async assertActionAllowed(clientUid: string, uid: string, action: TransactionAction): Promise<Transaction> {
    const transaction = await this.findForClient(clientUid, uid);
    assertTransactionAction(action, transaction.status);

    return transaction;
  }

  /**
   * Locks the client's transaction row until the surrounding database transaction ends and
   * checks that its status allows `action` (null only locks, for callers that first check that
   * a child resource exists). Changes to the document and the signatories call it first, so they
   * serialize with each other and with the status transitions.
   */
  async lockForChange(em: EntityManager, clientUid: string, uid: string, action: TransactionAction | null): Promise<Transaction> {
    if (!UUID.test(uid)) {
      throw CommonError.notFound('Transaction', uid);
    }
    const transaction = await em.findOne(
      Transaction,
      { uid, client: { uid: clientUid }, deletedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!transaction) {
      throw CommonError.notFound('Transaction', uid);
    }
    if (action !== null) {
      assertTransactionAction(action, transaction.status);
    }

    return transaction;
  }

  async get(clientUid: string, uid: string): Promise<TransactionBody> {
    const transaction = await this.findForClient(clientUid, uid);

    return this.present(this.em, transaction);
  }

  /** Lists the client's transactions, newest first, with keyset pagination on (created_at, uid). */
  async list(clientUid: string, options: ListTransactionsOptions): Promise<Page<TransactionBody>> {
    const where: FilterQuery<Transaction> & Record<string, unknown> = { client: { uid: clientUid }, deletedAt: null };
    if (options.status) {
      where.status = options.status;
    }
    if (options.cursor) {
      const position = decodeCursor(options.cursor);
      if (!UUID.test(position.uid)) {
        throw new CommonError(CommonErrorCode.InvalidCursor, `Cursor "${options.cursor}" is invalid; pass the next_cursor of a previous page.`);
      }
      where.$or = [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, uid: { $lt: position.uid } }];
    }
    const rows = await this.em.find(Transaction, where, { orderBy: { createdAt: 'desc', uid: 'desc' }, limit: options.limit + 1 });
    const page = toPage(rows, options.limit, (row) => ({ createdAt: row.createdAt, uid: row.uid }), (row) => row);
    const signatories = await this.signatories.bodiesByTransaction(this.em, page.data.map((row) => row.uid));

    return { data: page.data.map((row) => toTransactionBody(row, signatories.get(row.uid) ?? [], this.downloadLinks.linksFor(row))), next_cursor: page.next_cursor };
  }

  async create(caller: ClientCaller, fields: TransactionFields): Promise<TransactionBody> {
    return this.em.transactional(async (em) => {
      const transaction = await this.createInTransaction(em, caller, fields);

      return this.present(em, transaction);
    });
  }

  /**
   * Inserts a `created` transaction and its `transaction.created` audit event with `em`, which
   * must be inside a database transaction. Creating with a document calls this, then stores the
   * document in the same database transaction, so a rejected upload leaves no transaction behind.
   */
  async createInTransaction(em: EntityManager, caller: ClientCaller, fields: TransactionFields): Promise<Transaction> {
    await this.assertWebhookUrlAllowed(fields);
    const transaction = new Transaction();
    // Client declares no PrimaryKeyProp, so MikroORM cannot type its uid as the primary key.
    transaction.client = em.getReference(Client, caller.clientUid as never, { wrapped: true });
    transaction.name = fields.name ?? null;
    transaction.webhookUrl = fields.webhook_url ?? null;
    em.persist(transaction);
    await em.flush();
    await this.auditTrail.append(em, {
      transactionUid: transaction.uid,
      type: 'transaction.created',
      actor: clientActor(caller),
      request: caller.request,
      data: { name: transaction.name, webhook_url: transaction.webhookUrl },
    });

    return transaction;
  }

  /**
   * Applies `PATCH /transactions/{uid}`: the fields (only while `created`), then the requested
   * transition, all in one database transaction.
   */
  async update(caller: ClientCaller, uid: string, fields: TransactionFields, status?: TransactionStatus.Sent | TransactionStatus.Cancelled): Promise<TransactionBody> {
    await this.assertWebhookUrlAllowed(fields);
    if (status === TransactionStatus.Sent) {
      return this.send(caller, uid, fields);
    }
    if (status === TransactionStatus.Cancelled) {
      return this.cancel(caller, uid, fields);
    }

    const observed = await this.findForClient(caller.clientUid, uid);
    // An empty PATCH changes nothing, so it succeeds at any status.
    if (!hasFieldChanges(fields)) {
      return this.present(this.em, observed);
    }
    assertTransactionAction(TransactionAction.UpdateFields, observed.status);

    return this.em.transactional(async (em) => {
      await this.compareAndSet(em, caller.clientUid, observed, TransactionAction.UpdateFields, fieldChanges(fields));
      await this.auditFieldChanges(em, caller, uid, fields);

      return this.present(em, await this.findForClient(caller.clientUid, uid, em));
    });
  }

  /**
   * Sends a `created` transaction that has a document and 1–4 signatories, after the send
   * preparer ran. When the compare-and-set loses, the preparer's output is discarded.
   */
  async send(caller: ClientCaller, uid: string, fields: TransactionFields = {}): Promise<TransactionBody> {
    const observed = await this.findForClient(caller.clientUid, uid);
    assertTransactionAction(TransactionAction.Send, observed.status);
    await this.assertReadyToSend(this.em, observed);

    const prepared = await this.sendPreparer.prepare(observed);
    let body: TransactionBody;
    try {
      body = await this.em.transactional(async (em) => {
        const now = new Date();
        // The document must still be the one the preparer read.
        await this.compareAndSet(em, caller.clientUid, observed, TransactionAction.Send, {
          ...fieldChanges(fields),
          status: TransactionStatus.Sent,
          sentAt: now,
          certificatePage: prepared.certificatePage,
        }, { documentSha256: observed.documentSha256 });
        // The update holds the row lock that signatory changes take, so this count is final.
        await this.assertReadyToSend(em, observed);
        await prepared.commit(em);

        const transaction = await this.findForClient(caller.clientUid, uid, em);
        await this.auditFieldChanges(em, caller, uid, fields);
        await this.auditTrail.append(em, {
          transactionUid: uid,
          type: 'transaction.sent',
          actor: clientActor(caller),
          request: caller.request,
          data: { document_sha256: transaction.documentSha256, signatories: await this.signatories.count(em, uid), certificate_page: transaction.certificatePage },
        });

        return this.recordStatusEvent(em, transaction, 'transaction.sent');
      });
    } catch (error) {
      await prepared.discard().catch((discardError: unknown) =>
        this.logger.error({ err: discardError, transaction_uid: uid }, 'failed to discard the prepared document of a send that did not happen'),
      );
      throw error;
    }
    this.logger.log({ transaction_uid: uid, client_uid: caller.clientUid }, 'transaction sent');

    return body;
  }

  /** Cancels a `created` or `sent` transaction. */
  async cancel(caller: ClientCaller, uid: string, fields: TransactionFields = {}): Promise<TransactionBody> {
    const observed = await this.findForClient(caller.clientUid, uid);
    assertTransactionAction(TransactionAction.Cancel, observed.status);
    if (hasFieldChanges(fields)) {
      assertTransactionAction(TransactionAction.UpdateFields, observed.status);
    }

    const body = await this.em.transactional(async (em) => {
      await this.compareAndSet(em, caller.clientUid, observed, TransactionAction.Cancel, {
        ...fieldChanges(fields),
        status: TransactionStatus.Cancelled,
        cancelledAt: new Date(),
      });
      const transaction = await this.findForClient(caller.clientUid, uid, em);
      await this.auditFieldChanges(em, caller, uid, fields);
      await this.auditTrail.append(em, {
        transactionUid: uid,
        type: 'transaction.cancelled',
        actor: clientActor(caller),
        request: caller.request,
        data: { previous_status: observed.status },
      });

      return this.recordStatusEvent(em, transaction, 'transaction.cancelled');
    });
    this.logger.log({ transaction_uid: uid, client_uid: caller.clientUid, previous_status: observed.status }, 'transaction cancelled');

    return body;
  }

  /**
   * Soft-deletes a `created` or `cancel` transaction: it becomes 404 everywhere, its audit trail
   * stays, and its stored files are removed once the deletion is committed.
   */
  async delete(caller: ClientCaller, uid: string): Promise<void> {
    const observed = await this.findForClient(caller.clientUid, uid);
    assertTransactionAction(TransactionAction.Delete, observed.status);

    const storageKeys = await this.em.transactional(async (em) => {
      await this.compareAndSet(em, caller.clientUid, observed, TransactionAction.Delete, { deletedAt: new Date() });
      await this.auditTrail.append(em, {
        transactionUid: uid,
        type: 'transaction.deleted',
        actor: clientActor(caller),
        request: caller.request,
        data: { previous_status: observed.status },
      });
      const revisions = await em.find(DocumentRevision, { transaction: uid }, { fields: ['storageKey'] });

      return [observed.documentStorageKey, observed.documentOriginalStorageKey, ...revisions.map((revision) => revision.storageKey)].filter(
        (key): key is string => key !== null,
      );
    });

    this.logger.log({ transaction_uid: uid, client_uid: caller.clientUid, previous_status: observed.status }, 'transaction deleted');
    await this.removeStoredFiles(uid, storageKeys);
  }

  /**
   * Marks a `sent` transaction `completed` with `em`, which must be inside the caller's database
   * transaction. Returns the updated transaction; the caller records the audit and domain events.
   */
  async complete(em: EntityManager, uid: string): Promise<Transaction> {
    const observed = await em.findOne(Transaction, { uid, deletedAt: null }, { refresh: true });
    if (!observed) {
      throw CommonError.notFound('Transaction', uid);
    }
    assertTransactionAction(TransactionAction.Complete, observed.status);
    await this.compareAndSet(em, observed.client.unwrap().uid, observed, TransactionAction.Complete, { status: TransactionStatus.Completed, completedAt: new Date() });

    return this.findForClient(observed.client.unwrap().uid, uid, em);
  }

  /** Builds the public body of `transaction`, signatories included. */
  async present(em: EntityManager, transaction: Transaction): Promise<TransactionBody> {
    const signatories = await this.signatories.bodiesByTransaction(em, [transaction.uid]);

    return toTransactionBody(transaction, signatories.get(transaction.uid) ?? [], this.downloadLinks.linksFor(transaction));
  }

  /** Rejects a webhook URL that is not http(s) or that reaches a loopback, private or metadata address. */
  private async assertWebhookUrlAllowed(fields: TransactionFields): Promise<void> {
    if (fields.webhook_url) {
      await this.webhookUrls.assertAllowed(fields.webhook_url);
    }
  }

  /**
   * Writes `changes` only if the row still has the status this request read (and `extraConditions`).
   * When another request got there first, raises the rule's error for the status it left,
   * or `transaction_concurrently_modified` when that status would still allow the action.
   */
  private async compareAndSet(
    em: EntityManager,
    clientUid: string,
    observed: Transaction,
    action: TransactionAction,
    changes: Partial<Transaction>,
    extraConditions: FilterQuery<Transaction> = {},
  ): Promise<void> {
    const where: FilterQuery<Transaction> = { uid: observed.uid, client: { uid: clientUid }, deletedAt: null, status: observed.status, ...(extraConditions as object) };
    const affected = await em.nativeUpdate(Transaction, where, { ...changes, updatedAt: new Date() });
    if (affected === 1) {
      return;
    }

    const current = await this.findForClient(clientUid, observed.uid, em);
    throw transactionRuleViolation(action, current.status) ?? TransactionError.concurrentlyModified(current.status);
  }

  private async assertReadyToSend(em: EntityManager, transaction: Transaction): Promise<void> {
    const missing: MissingSendRequirement[] = [];
    if (transaction.documentSha256 === null) {
      missing.push('document');
    }
    const count = await this.signatories.count(em, transaction.uid);
    if (count < 1 || count > MAX_SIGNATORIES) {
      missing.push('signatories');
    }
    if (missing.length > 0) {
      throw TransactionError.notReady(missing);
    }
  }

  private async auditFieldChanges(em: EntityManager, caller: ClientCaller, uid: string, fields: TransactionFields): Promise<void> {
    if (!hasFieldChanges(fields)) {
      return;
    }
    await this.auditTrail.append(em, {
      transactionUid: uid,
      type: 'transaction.updated',
      actor: clientActor(caller),
      request: caller.request,
      data: { changes: definedFields(fields) },
    });
  }

  private async recordStatusEvent(em: EntityManager, transaction: Transaction, type: DomainEventType): Promise<TransactionBody> {
    const body = await this.present(em, transaction);
    await this.auditTrail.recordDomainEvent(em, { clientUid: transaction.client.unwrap().uid, transactionUid: transaction.uid, type, payload: { transaction: body } });

    return body;
  }

  private async removeStoredFiles(uid: string, keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
      } catch (error) {
        // The deletion is committed; a leftover file is only wasted space, so report and go on.
        this.logger.error({ err: error, transaction_uid: uid, storage_key: key }, 'failed to remove a stored file of a deleted transaction');
      }
    }
  }
}

function clientActor(caller: ClientCaller): AuditActor {
  return { type: 'client', id: caller.clientUid };
}

function definedFields(fields: TransactionFields): TransactionFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function hasFieldChanges(fields: TransactionFields): boolean {
  return Object.keys(definedFields(fields)).length > 0;
}

function fieldChanges(fields: TransactionFields): Partial<Transaction> {
  const changes: Partial<Transaction> = {};
  if (fields.name !== undefined) {
    changes.name = fields.name;
  }
  if (fields.webhook_url !== undefined) {
    changes.webhookUrl = fields.webhook_url;
  }

  return changes;
}
