import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { computeRevisionHashState, hashStateDigestHex, SignatureEngineService } from '@secusign/signature';
import { Signatory } from '@secusign/signatories';
import { DocumentStorage } from '@secusign/storage';
import {
  DocumentRevision,
  PreparedSend,
  Transaction,
  TransactionError,
  TransactionSendPreparer,
} from '@secusign/transactions';
import { preparedDocumentKey, signatureFieldName } from '../signature-fields';

/**
 * Prepares a transaction's document when it is sent: the engine appends the
 * signature-certificate page and one empty signature field per signatory, and the result
 * becomes revision 0 (`prepared`), the document every signatory reads and signs.
 */
@Injectable()
export class DocumentSendPreparer extends TransactionSendPreparer {
  private readonly logger = new Logger(DocumentSendPreparer.name);

  constructor(
    private readonly em: EntityManager,
    private readonly engine: SignatureEngineService,
    private readonly storage: DocumentStorage,
  ) {
    super();
  }

  async prepare(transaction: Transaction): Promise<PreparedSend> {
    if (!transaction.documentStorageKey || !transaction.documentSha256) {
      // TransactionsService checks the document before calling; this keeps the types honest.
      throw new Error(`Transaction ${transaction.uid} has no document to prepare`);
    }
    const signatories = await this.em.fork().find(Signatory, { transaction: transaction.uid, deletedAt: null }, { orderBy: { position: 'asc' } });
    const original = await this.storage.readBuffer(transaction.documentStorageKey);
    const prepared = await this.engine.prepare({
      bytes: original,
      documentName: transaction.name ?? transaction.documentFilename ?? 'document.pdf',
      documentSha256: transaction.documentSha256,
      transactionUid: transaction.uid,
      signatories: signatories.map((signatory) => ({
        fieldName: signatureFieldName(signatory.position),
        firstname: signatory.firstname,
        lastname: signatory.lastname,
        signatureLevel: signatory.signatureLevel,
        authentication: signatory.authentication,
        language: signatory.language,
      })),
    });
    const key = preparedDocumentKey(transaction.uid, randomUUID());
    const written = await this.storage.write(key, prepared.bytes);
    const hashState = this.revisionHashState(transaction.uid, prepared.bytes, written.sha256);
    const preparedSignatories = signatories.map((signatory) => signatory.uid).sort();
    this.logger.log({ transaction_uid: transaction.uid, storage_key: key, fields: prepared.fieldNames.length, certificate_page: prepared.certificatePage }, 'document prepared');

    return {
      certificatePage: prepared.certificatePage,
      commit: async (em: EntityManager) => {
        // The send holds the transaction row lock that signatory changes take, so this list is final.
        const current = await em.find(Signatory, { transaction: transaction.uid, deletedAt: null }, { fields: ['uid'] });
        if (current.map((signatory) => signatory.uid).sort().join() !== preparedSignatories.join()) {
          throw TransactionError.concurrentlyModified(transaction.status);
        }
        const revision = em.create(DocumentRevision, {
          transaction: transaction.uid,
          sequence: 0,
          kind: 'prepared',
          signatoryUid: null,
          storageKey: key,
          sha256: written.sha256,
          size: written.size,
          hashState,
          createdAt: new Date(),
        });
        em.persist(revision);
        await em.flush();
      },
      discard: () => this.storage.delete(key),
    };
  }

  /**
   * Computes the SHA-256 state that lets the first signature hash only its own bytes. It hashes
   * the whole document in JavaScript, several times slower than Node's native SHA-256, once per
   * send. Returns null, so signing hashes the whole revision, when the state does not give the
   * stored SHA-256.
   */
  private revisionHashState(transactionUid: string, bytes: Buffer, storedSha256: string): Buffer | null {
    const state = computeRevisionHashState(bytes);
    if (hashStateDigestHex(state) !== storedSha256) {
      this.logger.error({ transaction_uid: transactionUid }, 'the hash state of the prepared document does not give its stored SHA-256, so none is stored');

      return null;
    }

    return state;
  }
}
