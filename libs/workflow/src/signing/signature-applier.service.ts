import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuthenticateToken, OtpService } from '@secusign/authentication';
import { AppConfig } from '@secusign/config';
import { AuditTrail } from '@secusign/evidence';
import { MetricsService } from '@secusign/metrics';
import { SignerFactory } from '@secusign/identity-providers';
import {
  computeRevisionHashState,
  extendRevisionHashState,
  hashStateDigestHex,
  hashStateLength,
  SignatureEngineService,
} from '@secusign/signature';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { DocumentStorage } from '@secusign/storage';
import { DocumentRevision, Transaction, TransactionSignatories, TransactionStatus, toTransactionBody } from '@secusign/transactions';
import { signatureFieldName, signedDocumentKey } from '../signature-fields';
import { SignatureApplyPayload, SignatureApplyResult } from './signature-job';

/**
 * First key of the two-key advisory locks that serialize signatures per transaction; the
 * second is `hashtext(transaction_uid)`. Two transactions whose hashes collide only wait for
 * each other, which is harmless.
 */
const SIGNATURE_LOCK_NAMESPACE = 52_617;

/** Ids and attempt of the job being run, for logs. */
export interface SignatureJobContext {
  jobId: string;
  attempt: number;
}

/**
 * Applies one signatory's signature to the latest revision of their transaction.
 *
 * Everything runs in one database transaction that first takes a transaction-level advisory
 * lock, so signatures of one transaction are applied one at a time and each signs what the
 * previous one left. The signed file is written to a key fixed per signatory before the
 * commit: a crash before the commit leaves only that file, which the retry overwrites, and
 * a retry after the commit finds the signatory signed and does nothing.
 */
@Injectable()
export class SignatureApplier {
  private readonly logger = new Logger(SignatureApplier.name);

  constructor(
    private readonly em: EntityManager,
    private readonly engine: SignatureEngineService,
    private readonly signers: SignerFactory,
    private readonly storage: DocumentStorage,
    private readonly auditTrail: AuditTrail,
    private readonly otp: OtpService,
    private readonly transactionSignatories: TransactionSignatories,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async apply(payload: SignatureApplyPayload, job: SignatureJobContext): Promise<SignatureApplyResult> {
    const ids = { job_id: job.jobId, attempt: job.attempt, transaction_uid: payload.transactionUid, signatory_uid: payload.signatoryUid };

    const result = await this.em.fork().transactional(async (em): Promise<SignatureApplyResult> => {
      await em.execute('select pg_advisory_xact_lock(?, hashtext(?))', [SIGNATURE_LOCK_NAMESPACE, payload.transactionUid]);

      const signatory = await em.findOne(Signatory, { uid: payload.signatoryUid, transaction: payload.transactionUid }, { populate: ['transaction'], refresh: true });
      const transaction = signatory?.transaction.getEntity();
      if (!signatory || !transaction) {
        return this.skip(ids, 'the signatory no longer exists');
      }
      const existing = await em.findOne(DocumentRevision, { signatoryUid: signatory.uid });
      if (signatory.status === SignatoryStatus.Signed || existing) {
        this.logger.log(ids, 'signatory already signed; nothing to do');

        return { outcome: 'already_signed' };
      }
      if (transaction.status !== TransactionStatus.Sent || transaction.deletedAt) {
        return this.skip(ids, `the transaction is ${transaction.deletedAt ? 'deleted' : transaction.status}`);
      }
      if (signatory.status !== SignatoryStatus.Authenticated || signatory.deletedAt) {
        return this.skip(ids, `the signatory is ${signatory.deletedAt ? 'deleted' : signatory.status}`);
      }
      const token = await em.findOne(AuthenticateToken, { uid: payload.tokenUid, signatoryUid: signatory.uid, consentedAt: { $ne: null } });
      if (!token) {
        return this.skip(ids, 'no consent was recorded with this token');
      }

      return this.signAndRecord(em, { signatory, transaction, token }, ids);
    });
    if (result.outcome === 'signed') {
      this.metrics.signaturesApplied.inc({ level: result.signatureLevel });
    }

    return result;
  }

  private async signAndRecord(
    em: EntityManager,
    { signatory, transaction, token }: { signatory: Signatory; transaction: Transaction; token: AuthenticateToken },
    ids: Record<string, unknown>,
  ): Promise<SignatureApplyResult> {
    const latest = await em.findOne(DocumentRevision, { transaction: transaction.uid }, { orderBy: { sequence: 'desc' } });
    if (!latest) {
      throw new Error(`Transaction ${transaction.uid} was sent without a prepared document revision`);
    }

    const signedAt = new Date();
    const fieldName = signatureFieldName(signatory.position);
    const inputHashState = this.usableHashState(latest, ids);
    const input = await this.storage.readBuffer(latest.storageKey);
    const result = await this.engine.sign({
      bytes: input,
      inputHashState,
      fieldName,
      signer: await this.signers.signerFor(em, signatory, signedAt),
      signedAt,
      appearance: {
        signerName: `${signatory.firstname} ${signatory.lastname}`,
        signatureLevel: signatory.signatureLevel,
        authentication: signatory.authentication,
        maskedDestination: token.maskedDestination,
        language: signatory.language,
      },
    });
    const storageKey = signedDocumentKey(transaction.uid, signatory.position);
    const written = await this.storage.write(storageKey, Readable.from(result.chunks()));
    const hashState = this.nextHashState(inputHashState, input, result.appended, written.sha256, ids);

    if (this.config.signatureTestPauseMs > 0) {
      this.logger.warn({ ...ids, storage_key: storageKey, pause_ms: this.config.signatureTestPauseMs }, 'test hook: pausing between the file write and the commit');
      await sleep(this.config.signatureTestPauseMs);
    }

    const revision = em.create(DocumentRevision, {
      transaction: transaction.uid,
      sequence: latest.sequence + 1,
      kind: 'signed',
      signatoryUid: signatory.uid,
      storageKey,
      sha256: written.sha256,
      size: written.size,
      hashState,
      createdAt: signedAt,
    });
    em.persist(revision);
    await em.flush();

    const updated = await em.nativeUpdate(Signatory, { uid: signatory.uid, status: SignatoryStatus.Authenticated }, { status: SignatoryStatus.Signed, signedAt });
    if (updated !== 1) {
      throw new Error(`Signatory ${signatory.uid} left the authenticated status during its signature`);
    }
    await this.otp.linkToRevision(em, token.uid, revision.id);

    const actor = { type: 'signatory' as const, id: signatory.uid };
    await this.auditTrail.append(em, {
      transactionUid: transaction.uid,
      type: 'signature.applied',
      actor,
      data: {
        signatory_uid: signatory.uid,
        field_name: fieldName,
        signature_level: signatory.signatureLevel,
        revision_sequence: revision.sequence,
        sha256_before: result.sha256Before,
        sha256_after: result.sha256After,
        certificate_serial: result.certificateSerial,
        certificate_subject: result.certificateSubject,
        token_uid: token.uid,
      },
    });
    await this.recordDomainEvent(em, transaction, 'signatory.signed', { signatory_uid: signatory.uid });

    const transactionCompleted = await this.completeIfAllSigned(em, transaction);
    this.logger.log({ ...ids, revision_sequence: revision.sequence, transaction_completed: transactionCompleted }, 'signature applied');

    return { outcome: 'signed', revisionSequence: revision.sequence, signatureLevel: signatory.signatureLevel, transactionCompleted };
  }

  /**
   * Returns the stored SHA-256 state of the revision to sign when it matches the row's size and
   * SHA-256, so the engine hashes only what it appends. Rows stored before the state existed,
   * and mismatched states, return undefined and the engine hashes the whole revision.
   */
  private usableHashState(revision: DocumentRevision, ids: Record<string, unknown>): Buffer | undefined {
    const state = revision.hashState;
    if (!state) {
      return undefined;
    }
    try {
      if (hashStateLength(state) === Number(revision.size) && hashStateDigestHex(state) === revision.sha256) {
        return state;
      }
      this.logger.error({ ...ids, revision_sequence: revision.sequence }, 'stored hash state does not match the revision size and SHA-256, so the whole revision is hashed');
    } catch (error) {
      this.logger.error({ ...ids, revision_sequence: revision.sequence, err: error }, 'stored hash state is invalid, so the whole revision is hashed');
    }

    return undefined;
  }

  /**
   * Computes the SHA-256 state of the signed revision: the input's state extended by the appended
   * bytes, or, for an input stored without a state, a JavaScript hash of the whole revision.
   * Returns null when the state does not give the SHA-256 that storage computed while writing.
   */
  private nextHashState(inputState: Buffer | undefined, input: Buffer, appended: Buffer, writtenSha256: string, ids: Record<string, unknown>): Buffer | null {
    const state = extendRevisionHashState(inputState ?? computeRevisionHashState(input), appended);
    if (hashStateDigestHex(state) !== writtenSha256) {
      this.logger.error(ids, 'the hash state of the signed revision does not give its stored SHA-256, so none is stored');

      return null;
    }

    return state;
  }

  /** Completes the transaction (compare-and-set from `sent`) once no signatory is left to sign. */
  private async completeIfAllSigned(em: EntityManager, transaction: Transaction): Promise<boolean> {
    const remaining = await em.count(Signatory, { transaction: transaction.uid, deletedAt: null, status: { $ne: SignatoryStatus.Signed } });
    if (remaining > 0) {
      return false;
    }

    const completedAt = new Date();
    const updated = await em.nativeUpdate(Transaction, { uid: transaction.uid, status: TransactionStatus.Sent }, { status: TransactionStatus.Completed, completedAt });
    if (updated !== 1) {
      throw new Error(`Transaction ${transaction.uid} left the sent status while its signature lock was held`);
    }
    await this.auditTrail.append(em, { transactionUid: transaction.uid, type: 'transaction.completed', actor: { type: 'system' }, data: {} });
    await this.recordDomainEvent(em, transaction, 'transaction.completed', {});

    return true;
  }

  /** Records a domain event carrying the transaction's public body after the change. */
  private async recordDomainEvent(em: EntityManager, transaction: Transaction, type: 'signatory.signed' | 'transaction.completed', extra: Record<string, unknown>): Promise<void> {
    const fresh = await em.findOneOrFail(Transaction, { uid: transaction.uid }, { refresh: true });
    const signatories = await this.transactionSignatories.bodiesByTransaction(em, [transaction.uid]);
    await this.auditTrail.recordDomainEvent(em, {
      clientUid: fresh.client.unwrap().uid,
      transactionUid: transaction.uid,
      type,
      payload: { ...extra, transaction: toTransactionBody(fresh, signatories.get(transaction.uid) ?? []) },
    });
  }

  private skip(ids: Record<string, unknown>, reason: string): SignatureApplyResult {
    this.logger.warn({ ...ids, reason }, 'signature job skipped');

    return { outcome: 'skipped', reason };
  }
}
