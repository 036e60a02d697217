import type { Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@secusign/clients';
import type { DownloadLinks } from '@secusign/downloads';
import type { AuditTrail } from '@secusign/evidence';
import type { DocumentStorage } from '@secusign/storage';
import type { WebhookUrlPolicy } from '@secusign/webhooks';
import { TransactionError, TransactionErrorCode } from './transaction.errors';
import type { PreparedSend, TransactionSendPreparer } from './transaction-send-preparer';
import type { TransactionSignatories } from './transaction-signatories';
import { TransactionStatus } from './transaction-status';
import { Transaction } from './transaction.entity';
import { TransactionsService } from './transactions.service';

const CLIENT_UID = '11111111-1111-4111-8111-111111111111';
const TRANSACTION_UID = '22222222-2222-4222-8222-222222222222';

function transactionIn(status: TransactionStatus): Transaction {
  const transaction = new Transaction();
  transaction.uid = TRANSACTION_UID;
  // Only the uid of the owning client is read, so a stand-in replaces MikroORM's reference.
  transaction.client = { unwrap: () => ({ uid: CLIENT_UID }) } as unknown as Ref<Client>;
  transaction.status = status;
  transaction.documentSha256 = 'a'.repeat(64);

  return transaction;
}

/**
 * Builds the service on an entity manager whose reads return `reads` in turn and whose
 * compare-and-set update changes `affectedRows` rows; nothing reaches a database.
 */
function serviceWith(reads: Array<Transaction | null>, affectedRows: number, signatoryCount = 1) {
  const findOne = jest.fn(async () => reads.shift() ?? null);
  const nativeUpdate = jest.fn(async () => affectedRows);
  const em = { findOne, nativeUpdate, transactional: async <T>(work: (em: unknown) => Promise<T>) => work(em) };
  const prepared: PreparedSend = { certificatePage: 'appended', commit: jest.fn(async () => undefined), discard: jest.fn(async () => undefined) };
  const preparer = { prepare: jest.fn(async () => prepared) };
  const signatories = { count: jest.fn(async () => signatoryCount), bodiesByTransaction: jest.fn(async () => new Map()) };
  const auditTrail = { append: jest.fn(), recordDomainEvent: jest.fn() };
  const service = new TransactionsService(
    em as unknown as EntityManager,
    auditTrail as unknown as AuditTrail,
    signatories as unknown as TransactionSignatories,
    preparer as unknown as TransactionSendPreparer,
    {} as DocumentStorage,
    {} as WebhookUrlPolicy,
    { linksFor: () => null } as unknown as DownloadLinks,
  );

  return { service, nativeUpdate, prepared, preparer, auditTrail };
}

const CALLER = { clientUid: CLIENT_UID };

describe(TransactionsService.name, () => {
  describe('cancel', () => {
    it('updates only from the status it read', async () => {
      const { service, nativeUpdate } = serviceWith([transactionIn(TransactionStatus.Sent), transactionIn(TransactionStatus.Cancelled)], 1);

      await service.cancel(CALLER, TRANSACTION_UID);

      expect(nativeUpdate).toHaveBeenCalledTimes(1);
      expect(nativeUpdate.mock.calls[0]).toEqual([
        Transaction,
        { uid: TRANSACTION_UID, client: { uid: CLIENT_UID }, deletedAt: null, status: TransactionStatus.Sent },
        expect.objectContaining({ status: TransactionStatus.Cancelled, cancelledAt: expect.any(Date) }),
      ]);
    });

    it('reports a concurrent change that still allows cancelling', async () => {
      const { service, auditTrail } = serviceWith([transactionIn(TransactionStatus.Created), transactionIn(TransactionStatus.Sent)], 0);

      const error = await service.cancel(CALLER, TRANSACTION_UID).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(TransactionError);
      expect((error as TransactionError).code).toBe(TransactionErrorCode.ConcurrentlyModified);
      expect((error as TransactionError).extensions).toEqual({ current_status: TransactionStatus.Sent });
      expect(auditTrail.append).not.toHaveBeenCalled();
    });

    it('raises the rule error of the status that won', async () => {
      const { service } = serviceWith([transactionIn(TransactionStatus.Created), transactionIn(TransactionStatus.Cancelled)], 0);

      await expect(service.cancel(CALLER, TRANSACTION_UID)).rejects.toMatchObject({ code: TransactionErrorCode.AlreadyCancelled, status: 409 });
    });

    it('raises 404 when the transaction vanished meanwhile', async () => {
      const { service } = serviceWith([transactionIn(TransactionStatus.Created), null], 0);

      await expect(service.cancel(CALLER, TRANSACTION_UID)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    });
  });

  describe('send', () => {
    it('discards the prepared document when the compare-and-set loses', async () => {
      const { service, prepared } = serviceWith([transactionIn(TransactionStatus.Created), transactionIn(TransactionStatus.Cancelled)], 0);

      await expect(service.send(CALLER, TRANSACTION_UID)).rejects.toMatchObject({ code: TransactionErrorCode.AlreadyCancelled });
      expect(prepared.commit).not.toHaveBeenCalled();
      expect(prepared.discard).toHaveBeenCalledTimes(1);
    });

    it('keeps the prepared document when the send commits', async () => {
      const { service, prepared, auditTrail } = serviceWith([transactionIn(TransactionStatus.Created), transactionIn(TransactionStatus.Sent)], 1);

      await service.send(CALLER, TRANSACTION_UID);

      expect(prepared.commit).toHaveBeenCalledTimes(1);
      expect(prepared.discard).not.toHaveBeenCalled();
      expect(auditTrail.append).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ type: 'transaction.sent' }));
      expect(auditTrail.recordDomainEvent).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ type: 'transaction.sent' }));
    });

    it('checks the signatories before preparing anything', async () => {
      const { service, preparer } = serviceWith([transactionIn(TransactionStatus.Created)], 1, 0);

      await expect(service.send(CALLER, TRANSACTION_UID)).rejects.toMatchObject({ code: TransactionErrorCode.NotReady, extensions: { missing: ['signatories'] } });
      expect(preparer.prepare).not.toHaveBeenCalled();
    });

    it('rejects a malformed uid without querying', async () => {
      const { service, preparer } = serviceWith([], 1);

      await expect(service.send(CALLER, 'not-a-uuid')).rejects.toMatchObject({ status: 404 });
      expect(preparer.prepare).not.toHaveBeenCalled();
    });
  });
});
