import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { formatTimestamp } from '@secusign/database';
import type { RequestMetadata } from '@secusign/evidence';
import { AuditTrail } from '@secusign/evidence';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { Transaction, TransactionSignatories, TransactionStatus, toTransactionBody } from '@secusign/transactions';
import { IdentityProvidersService } from '../admin/identity-providers.service';
import type { IdentityProvider } from '../identity-provider.entity';
import { IdentityProviderError, IdentityProviderErrorCode } from '../identity-provider.errors';
import { ApprovalClaims, parseApprovalClaims } from './approval-claims';
import { ApprovalResponse } from './approval.dto';
import { verifyApprovalSignature } from './approval-verifier';

/**
 * Accepts identity providers' approvals: a signed statement that the provider checked an
 * advanced signatory's identity, which moves the signatory from `created` to `identified`.
 */
@Injectable()
export class ApprovalsService {
  private readonly logger = new Logger(ApprovalsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly providers: IdentityProvidersService,
    private readonly auditTrail: AuditTrail,
    private readonly transactionSignatories: TransactionSignatories,
  ) {}

  /**
   * Verifies the JWS and its claims, then identifies the signatory. The checks that need no
   * database row come first. The rest run in one database transaction that also stores the
   * `jti` and writes the status change, the audit event and the domain event.
   */
  async approve(providerUid: string, jws: string, request: RequestMetadata): Promise<ApprovalResponse> {
    const ids: Record<string, string> = { identity_provider_uid: providerUid };
    try {
      const provider = await this.providers.findByUid(this.em.fork(), providerUid);
      if (!provider) {
        throw IdentityProviderError.notFound(providerUid);
      }
      if (provider.disabledAt) {
        throw IdentityProviderError.disabled(provider.uid);
      }
      const payload = await verifyApprovalSignature(jws, provider);
      const claims = parseApprovalClaims(payload, provider.uid, new Date());
      ids.signatory_uid = claims.signatoryUid;

      const response = await this.em.fork().transactional((em) => this.identify(em, provider, claims, jws, request));
      this.logger.log({ ...ids, transaction_uid: response.transaction_uid }, 'signatory identified by approval');

      return response.body;
    } catch (error) {
      // Rejections are logged for operators (a provider with a wrong key or clock shows up here);
      // the caller still receives the problem response.
      if (error instanceof IdentityProviderError) {
        this.logger.warn({ ...ids, code: error.code, ip: request.ip }, 'approval rejected');
      }
      throw error;
    }
  }

  private async identify(
    em: EntityManager,
    provider: IdentityProvider,
    claims: ApprovalClaims,
    jws: string,
    request: RequestMetadata,
  ): Promise<{ body: ApprovalResponse; transaction_uid: string }> {
    const located = await em.findOne(Signatory, { uid: claims.signatoryUid, deletedAt: null }, { populate: ['transaction'] });
    const transactionUid = located?.transaction.unwrap().uid;
    if (!located || !transactionUid) {
      throw signatoryNotFound(claims.signatoryUid);
    }
    // Same lock order as signatory changes and the audit trail (transaction row first), so a
    // concurrent change or cancellation waits for this approval, or this approval for it.
    await em.execute('select uid from transactions where uid = ? for update', [transactionUid]);

    const approvalUid = await this.recordJti(em, provider, claims, transactionUid, jws);
    const signatory = await em.findOne(Signatory, { uid: claims.signatoryUid, deletedAt: null }, { populate: ['transaction'], refresh: true });
    const transaction = signatory?.transaction.getEntity();
    if (!signatory || !transaction || transaction.deletedAt) {
      throw signatoryNotFound(claims.signatoryUid);
    }
    assertApprovable(signatory, transaction, provider);

    const identifiedAt = new Date();
    const updated = await em.nativeUpdate(
      Signatory,
      { uid: signatory.uid, status: SignatoryStatus.Created, deletedAt: null },
      { status: SignatoryStatus.Identified, identifiedAt, updatedAt: identifiedAt },
    );
    if (updated !== 1) {
      throw alreadyIdentified(signatory.uid);
    }

    await this.auditTrail.append(em, {
      transactionUid,
      type: 'identity.approved',
      actor: { type: 'identity_provider', id: provider.uid },
      request,
      data: {
        signatory_uid: signatory.uid,
        identity_provider_uid: provider.uid,
        identity_provider_name: provider.name,
        approval_uid: approvalUid,
        jti: claims.jti,
        issued_at: formatTimestamp(claims.issuedAt),
        verification: claims.verification,
        key_thumbprint: provider.keyThumbprint,
        jws_sha256: createHash('sha256').update(jws, 'utf8').digest('hex'),
      },
    });
    await this.recordIdentifiedEvent(em, transaction, signatory.uid);

    return {
      transaction_uid: transactionUid,
      body: {
        uid: approvalUid,
        identity_provider_uid: provider.uid,
        signatory_uid: signatory.uid,
        jti: claims.jti,
        signatory_status: SignatoryStatus.Identified,
        identified_at: formatTimestamp(identifiedAt),
        issued_at: formatTimestamp(claims.issuedAt),
      },
    };
  }

  /**
   * Inserts the approval under its unique (provider, jti) key. A conflicting row means the
   * `jti` was used before; an approval whose later checks fail rolls back with its row, so its
   * `jti` stays unused.
   */
  private async recordJti(em: EntityManager, provider: IdentityProvider, claims: ApprovalClaims, transactionUid: string, jws: string): Promise<string> {
    const rows = await em.execute<{ uid: string }[]>(
      `insert into identity_approvals (uid, identity_provider_uid, jti, signatory_uid, transaction_uid, issued_at, verification, jws, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, now())
       on conflict (identity_provider_uid, jti) do nothing
       returning uid`,
      [randomUUID(), provider.uid, claims.jti, claims.signatoryUid, transactionUid, claims.issuedAt, claims.verification === null ? null : JSON.stringify(claims.verification), jws],
    );
    if (rows.length === 0) {
      throw new IdentityProviderError(
        IdentityProviderErrorCode.ApprovalReplayed,
        `An approval with jti "${claims.jti}" was already received from this provider; every approval needs a new jti.`,
      );
    }

    return rows[0].uid;
  }

  private async recordIdentifiedEvent(em: EntityManager, transaction: Transaction, signatoryUid: string): Promise<void> {
    const fresh = await em.findOneOrFail(Transaction, { uid: transaction.uid }, { refresh: true });
    const signatories = await this.transactionSignatories.bodiesByTransaction(em, [transaction.uid]);
    await this.auditTrail.recordDomainEvent(em, {
      clientUid: fresh.client.unwrap().uid,
      transactionUid: transaction.uid,
      type: 'signatory.identified',
      payload: { signatory_uid: signatoryUid, transaction: toTransactionBody(fresh, signatories.get(transaction.uid) ?? []) },
    });
  }
}

/**
 * Checks, in order, that the signatory is one this provider may identify now. Each wrong state
 * has its own code, so a provider can tell a mistake in its request from a late approval.
 */
function assertApprovable(signatory: Signatory, transaction: Transaction, provider: IdentityProvider): void {
  if (signatory.signatureLevel !== 'advanced') {
    throw new IdentityProviderError(
      IdentityProviderErrorCode.SignatoryNotAdvanced,
      `Signatory ${signatory.uid} signs at the ${signatory.signatureLevel} level, which needs no identity provider.`,
    );
  }
  if (signatory.identityProviderUid?.toLowerCase() !== provider.uid.toLowerCase()) {
    throw new IdentityProviderError(IdentityProviderErrorCode.SignatoryWrongProvider, `Signatory ${signatory.uid} names another identity provider.`);
  }
  if (transaction.status === TransactionStatus.Cancelled) {
    throw new IdentityProviderError(IdentityProviderErrorCode.TransactionCancelled, `The signatory's transaction ${transaction.uid} was cancelled.`, undefined, {
      transaction_status: transaction.status,
    });
  }
  if (transaction.status === TransactionStatus.Completed) {
    throw new IdentityProviderError(IdentityProviderErrorCode.TransactionCompleted, `The signatory's transaction ${transaction.uid} is completed.`, undefined, {
      transaction_status: transaction.status,
    });
  }
  if (signatory.status !== SignatoryStatus.Created) {
    throw alreadyIdentified(signatory.uid, signatory.status);
  }
}

function alreadyIdentified(signatoryUid: string, status?: SignatoryStatus): IdentityProviderError {
  return new IdentityProviderError(
    IdentityProviderErrorCode.SignatoryAlreadyIdentified,
    `Signatory ${signatoryUid} is already identified${status ? ` (status ${status})` : ''}.`,
    undefined,
    status ? { signatory_status: status } : undefined,
  );
}

function signatoryNotFound(signatoryUid: string): IdentityProviderError {
  return new IdentityProviderError(IdentityProviderErrorCode.SignatoryNotFound, `Signatory ${signatoryUid} was not found.`);
}
