import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  attemptsLeftOf,
  AuthenticateToken,
  AuthenticationError,
  AuthenticationErrorCode,
  codeStateOf,
  OtpService,
  signingAuthorizationOf,
  SigningAuthorization,
} from '@secusign/authentication';
import type { Client } from '@secusign/clients';
import { formatTimestamp } from '@secusign/database';
import { CommonError } from '@secusign/errors';
import { AuditTrail, RequestMetadata } from '@secusign/evidence';
import { MetricsService } from '@secusign/metrics';
import { NotificationDeliveryError, OtpNotifier } from '@secusign/notifications';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { DocumentRevision, Transaction } from '@secusign/transactions';
import { CodeSentResponse, CodeVerifiedResponse, SignAcceptedResponse, WorkflowView } from './dto/workflow.dto';
import { destinationOf, maskedDestinationOf } from './masked-destination';
import { SIGNATURE_APPLY_JOB, SIGNATURE_QUEUE, SignatureApplyPayload, signatureJobOptions } from './signing/signature-job';
import { assertWorkflowAction, signatureProgress, workflowSteps } from './workflow-rules';
import { WorkflowError, WorkflowErrorCode } from './workflow.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `link.opened` event is recorded at most once per signatory within this many seconds. */
const LINK_OPENED_DEDUPLICATION_SECONDS = 60;

/** A signatory with its transaction and client loaded. */
interface SignatoryContext {
  signatory: Signatory;
  transaction: Transaction;
  client: Client;
}

/** A document revision ready to stream. */
export interface WorkflowDocument {
  storageKey: string;
  sha256: string;
  size: number;
  filename: string;
}

/**
 * The signatory's side of a transaction: the view of the page, one-time codes and consent.
 * Every state change runs in a database transaction that first locks the signatory's row,
 * so concurrent requests of one signatory are serialized, and writes its audit event there.
 */
@Injectable()
export class WorkflowService {
  private readonly logger = new Logger(WorkflowService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly otp: OtpService,
    private readonly notifier: OtpNotifier,
    private readonly auditTrail: AuditTrail,
    private readonly metrics: MetricsService,
    @InjectQueue(SIGNATURE_QUEUE) private readonly signatureQueue: Queue<SignatureApplyPayload>,
  ) {}

  /** Returns the signatory's view and records `link.opened`, once a minute at most. */
  async view(signatoryUid: string, request: RequestMetadata): Promise<WorkflowView> {
    const em = this.em.fork();
    const { signatory, transaction, client } = await this.load(em, signatoryUid);
    await this.recordLinkOpened(signatory, request);

    const now = this.otp.now();
    const summary = await this.otp.summary(em, signatory.uid);
    const verified = await this.otp.latestVerified(em, signatory.uid);
    const stepInput = {
      transactionStatus: transaction.status,
      signatoryStatus: signatory.status,
      authorization: verified ? signingAuthorizationOf(verified, now) : ('unverified' as SigningAuthorization),
    };
    const latest = summary.latest;
    const base = `/api/v1/workflow/${signatory.uid}`;

    return {
      signatory: {
        uid: signatory.uid,
        firstname: signatory.firstname,
        lastname: signatory.lastname,
        language: signatory.language,
        authentication: signatory.authentication,
        signature_level: signatory.signatureLevel,
        status: signatory.status,
        masked_destination: maskedDestinationOf(signatory),
      },
      transaction: {
        name: transaction.name,
        status: transaction.status,
        document: { filename: transaction.documentFilename, pages: transaction.documentPages, certificate_page: transaction.certificatePage },
      },
      branding: { display_name: client.displayName ?? client.name, primary_color: client.primaryColor, logo_url: client.logoUrl },
      steps: workflowSteps(stepInput),
      otp: {
        state: latest ? codeStateOf(latest, now) : 'none',
        expires_at: latest ? formatTimestamp(latest.expiresAt) : null,
        attempts_left: latest ? attemptsLeftOf(latest, this.otp.policy) : null,
        cooldown_seconds: summary.cooldownSeconds,
        signing_expires_at: formatTimestamp(verified?.signingExpiresAt),
      },
      signature: { state: signatureProgress(stepInput), signed_at: formatTimestamp(signatory.signedAt) },
      document_url: `${base}/document`,
      signed_document_url: signatory.status === SignatoryStatus.Signed ? `${base}/signed-document` : null,
    };
  }

  /** Returns the latest revision of the document, which is the prepared one before the first signature. */
  async currentDocument(signatoryUid: string): Promise<WorkflowDocument> {
    const em = this.em.fork();
    const { transaction } = await this.load(em, signatoryUid);
    const revision = await em.findOne(DocumentRevision, { transaction: transaction.uid }, { orderBy: { sequence: 'desc' } });
    if (!revision) {
      // Only a transaction that was never sent has no revision.
      assertWorkflowAction('sign', transaction.status, SignatoryStatus.Identified);
      throw CommonError.notFound('Document of signatory', signatoryUid);
    }

    return this.documentOf(transaction, revision, null);
  }

  /** Returns the revision this signatory's signature produced, or raises 404 before they signed. */
  async signedDocument(signatoryUid: string): Promise<WorkflowDocument> {
    const em = this.em.fork();
    const { transaction, signatory } = await this.load(em, signatoryUid);
    const revision = await em.findOne(DocumentRevision, { transaction: transaction.uid, signatoryUid: signatory.uid });
    if (!revision) {
      throw CommonError.notFound('Signed document of signatory', signatoryUid);
    }

    return this.documentOf(transaction, revision, `signed-${signatory.position}`);
  }

  /**
   * Creates a token and sends its code to the signatory's phone or email. The token is
   * committed before the message goes out, so the limits hold even when sending is slow.
   * When the provider rejects the message, the token is marked undelivered and stops counting.
   */
  async requestCode(signatoryUid: string, request: RequestMetadata): Promise<CodeSentResponse> {
    const issued = await this.em.fork().transactional(async (em) => {
      const context = await this.lockAndLoad(em, signatoryUid);
      const { signatory, transaction } = context;
      assertWorkflowAction('request_code', transaction.status, signatory.status);
      if (signatory.status === SignatoryStatus.Authenticated) {
        await this.assertNewCodeNeeded(em, signatory);
      }
      const { token, code } = await this.otp.issue(em, {
        transactionUid: transaction.uid,
        signatoryUid: signatory.uid,
        channel: signatory.authentication,
        maskedDestination: maskedDestinationOf(signatory),
      });

      return { ...context, token, code };
    });

    const { signatory, transaction, client, token } = issued;
    try {
      await this.notifier.send({
        channel: token.channel,
        destination: destinationOf(signatory),
        code: issued.code,
        language: signatory.language,
        firstname: signatory.firstname,
        lastname: signatory.lastname,
        documentName: transaction.name ?? transaction.documentFilename,
        validityMinutes: Math.round(this.otp.policy.codeTtlMs / 60_000),
        senderName: client.displayName ?? client.name,
        smsSender: client.smsSender,
      });
    } catch (error) {
      await this.otp.markDeliveryFailed(this.em.fork(), token.uid);
      const ids = { transaction_uid: transaction.uid, signatory_uid: signatory.uid, token_uid: token.uid, channel: token.channel };
      this.logger.error({ ...ids, err: error }, 'one-time code could not be sent');
      if (error instanceof NotificationDeliveryError) {
        throw new AuthenticationError(AuthenticationErrorCode.OtpDeliveryFailed, `The code could not be sent by ${token.channel}; try again in a moment.`);
      }
      throw error;
    }

    this.metrics.codesSent.inc({ channel: token.channel });
    await this.em.fork().transactional((em) =>
      this.auditTrail.append(em, {
        transactionUid: transaction.uid,
        type: 'otp.sent',
        actor: { type: 'signatory', id: signatory.uid },
        request,
        data: { signatory_uid: signatory.uid, token_uid: token.uid, channel: token.channel, destination: token.maskedDestination, expires_at: formatTimestamp(token.expiresAt) },
      }),
    );

    return {
      channel: token.channel,
      masked_destination: token.maskedDestination,
      expires_at: formatTimestamp(token.expiresAt),
      cooldown_seconds: Math.round(this.otp.policy.resendCooldownMs / 1000),
    };
  }

  /**
   * Checks a code. A right code authenticates the signatory (compare-and-set from
   * `identified` or `authenticated`) and opens the signing window. A wrong code is counted
   * and audited, then reported as `otp_invalid`, or `otp_locked` when it was the last try.
   */
  async verifyCode(signatoryUid: string, code: string, request: RequestMetadata): Promise<CodeVerifiedResponse> {
    const result = await this.em.fork().transactional(async (em) => {
      const { signatory, transaction } = await this.lockAndLoad(em, signatoryUid);
      assertWorkflowAction('verify_code', transaction.status, signatory.status);
      const verification = await this.otp.verify(em, signatory.uid, code);
      const actor = { type: 'signatory' as const, id: signatory.uid };
      const common = { signatory_uid: signatory.uid, token_uid: verification.token.uid, channel: verification.token.channel };

      switch (verification.outcome) {
        case 'verified': {
          const now = verification.token.verifiedAt ?? this.otp.now();
          const updated = await em.nativeUpdate(
            Signatory,
            { uid: signatory.uid, status: { $in: [SignatoryStatus.Identified, SignatoryStatus.Authenticated] } },
            { status: SignatoryStatus.Authenticated, authenticatedAt: now },
          );
          if (updated !== 1) {
            // The row lock taken above makes this unreachable unless the schema changes.
            throw new Error(`Signatory ${signatory.uid} left the identified state while its row was locked`);
          }
          await this.auditTrail.append(em, { transactionUid: transaction.uid, type: 'otp.verified', actor, request, data: common });
          break;
        }
        case 'invalid':
          await this.auditTrail.append(em, { transactionUid: transaction.uid, type: 'otp.failed', actor, request, data: { ...common, attempts_left: verification.attemptsLeft } });
          break;
        case 'locked':
          await this.auditTrail.append(em, { transactionUid: transaction.uid, type: 'otp.failed', actor, request, data: { ...common, attempts_left: 0 } });
          await this.auditTrail.append(em, { transactionUid: transaction.uid, type: 'otp.locked', actor, request, data: common });
          break;
      }

      return verification;
    });

    switch (result.outcome) {
      case 'verified':
        return { status: 'authenticated', signing_expires_at: formatTimestamp(result.token.signingExpiresAt as Date) };
      case 'invalid':
        throw new AuthenticationError(
          AuthenticationErrorCode.OtpInvalid,
          `The code is wrong; ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'attempt' : 'attempts'} left before it locks.`,
          { attempts_left: result.attemptsLeft },
        );
      case 'locked':
        throw new AuthenticationError(AuthenticationErrorCode.OtpLocked, 'Too many wrong codes were entered; request a new code.', { attempts_left: 0 });
    }
  }

  /**
   * Records the signatory's consent with their verified token and queues the signature.
   * Asking again while the signature is queued or running queues nothing new: the job id is
   * the signatory uid. The job goes to the queue only after the consent is committed.
   */
  async sign(signatoryUid: string, request: RequestMetadata): Promise<SignAcceptedResponse> {
    const payload = await this.em.fork().transactional(async (em) => {
      const { signatory, transaction } = await this.lockAndLoad(em, signatoryUid);
      assertWorkflowAction('sign', transaction.status, signatory.status);
      const token = signatory.status === SignatoryStatus.Authenticated ? await this.otp.latestVerified(em, signatory.uid, { lock: true }) : null;
      const authorization = token ? signingAuthorizationOf(token, this.otp.now()) : 'unverified';

      switch (authorization) {
        case 'unverified':
          throw new AuthenticationError(AuthenticationErrorCode.OtpRequired, 'Signing needs a verified code: request a code and enter it first.');
        case 'expired':
          throw new AuthenticationError(AuthenticationErrorCode.AuthenticationExpired, 'The verified code no longer allows signing; request and enter a new code.');
        case 'consented':
          break;
        case 'valid': {
          const consentedToken = token as AuthenticateToken;
          consentedToken.consentedAt = this.otp.now();
          await em.flush();
          await this.auditTrail.append(em, {
            transactionUid: transaction.uid,
            type: 'consent.given',
            actor: { type: 'signatory', id: signatory.uid },
            request,
            data: { signatory_uid: signatory.uid, token_uid: consentedToken.uid },
          });
          break;
        }
      }

      return { transactionUid: transaction.uid, signatoryUid: signatory.uid, tokenUid: (token as AuthenticateToken).uid };
    });

    const job = await this.signatureQueue.add(SIGNATURE_APPLY_JOB, payload, signatureJobOptions(payload.signatoryUid));
    this.logger.log({ job_id: job.id, transaction_uid: payload.transactionUid, signatory_uid: payload.signatoryUid }, 'signature queued');

    return { status: 'signing' };
  }

  /** Rejects a new code while the verified one still allows signing or a signature is running. */
  private async assertNewCodeNeeded(em: EntityManager, signatory: Signatory): Promise<void> {
    const verified = await this.otp.latestVerified(em, signatory.uid);
    const authorization = verified ? signingAuthorizationOf(verified, this.otp.now()) : 'unverified';
    const statuses = { signatory_status: signatory.status };

    if (authorization === 'valid') {
      throw new WorkflowError(WorkflowErrorCode.SignatoryAlreadyAuthenticated, 'The code already entered still allows signing; no new code is needed.', statuses);
    }
    if (authorization === 'consented') {
      throw new WorkflowError(WorkflowErrorCode.SignatureInProgress, 'The signature is being applied; no new code is needed.', statuses);
    }
  }

  private async recordLinkOpened(signatory: Signatory, request: RequestMetadata): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const transactionUid = signatory.transaction.unwrap().uid;
      // The row lock that audit appends take, taken before the check so two concurrent views record one event.
      await em.execute('select uid from transactions where uid = ? for update', [transactionUid]);
      const [recent] = await em.execute<{ found: number }[]>(
        `select 1 as found from audit_events where transaction_uid = ? and type = 'link.opened' and actor_id = ? and created_at > now() - make_interval(secs => ?) limit 1`,
        [transactionUid, signatory.uid, LINK_OPENED_DEDUPLICATION_SECONDS],
      );
      if (recent) {
        return;
      }
      await this.auditTrail.append(em, {
        transactionUid,
        type: 'link.opened',
        actor: { type: 'signatory', id: signatory.uid },
        request,
        data: { signatory_uid: signatory.uid },
      });
    });
  }

  /** Locks the signatory's row for the rest of the database transaction, then loads it. */
  private async lockAndLoad(em: EntityManager, signatoryUid: string): Promise<SignatoryContext> {
    if (UUID.test(signatoryUid)) {
      await em.execute('select uid from signatories where uid = ? for update', [signatoryUid]);
    }

    return this.load(em, signatoryUid);
  }

  /** Loads a signatory that is not deleted, with its transaction and client; 404 otherwise. */
  private async load(em: EntityManager, signatoryUid: string): Promise<SignatoryContext> {
    const signatory = UUID.test(signatoryUid)
      ? await em.findOne(Signatory, { uid: signatoryUid, deletedAt: null }, { populate: ['transaction.client'], refresh: true })
      : null;
    const transaction = signatory?.transaction.getEntity();
    if (!signatory || !transaction || transaction.deletedAt) {
      throw CommonError.notFound('Signatory', signatoryUid);
    }

    return { signatory, transaction, client: transaction.client.getEntity() };
  }

  private documentOf(transaction: Transaction, revision: DocumentRevision, suffix: string | null): WorkflowDocument {
    const base = (transaction.documentFilename ?? 'document.pdf').replace(/\.pdf$/i, '');

    return { storageKey: revision.storageKey, sha256: revision.sha256, size: Number(revision.size), filename: suffix ? `${base}-${suffix}.pdf` : `${base}.pdf` };
  }
}
