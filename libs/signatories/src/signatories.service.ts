import { Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/postgresql';
import { AppConfig } from '@secusign/config';
import { CommonError, CommonErrorCode } from '@secusign/errors';
import { AuditActor, AuditTrail } from '@secusign/evidence';
import { Page } from '@secusign/http';
import { describeCharacters, findUnrenderableCharacters, maskPhone, SUPPORTED_SCRIPTS_DESCRIPTION } from '@secusign/signature';
import { assertTransactionAction, ClientCaller, MAX_SIGNATORIES, TransactionAction, TransactionsService } from '@secusign/transactions';
import type { CreateSignatoryDto } from './dto/create-signatory.dto';
import type { UpdateSignatoryDto } from './dto/update-signatory.dto';
import { IdentityProviderCheck } from './identity-provider-check';
import { initialStatusOf, normalizePhone, RequestedSignatureLevel } from './signatory-fields';
import { SignatoryError } from './signatory.errors';
import { SignatoryBody, toSignatoryBody } from './signatory.presenter';
import { Signatory, SignatureLevel } from './signatory.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields an identity provider's approval covers: changing one returns an advanced signatory to `created`. */
const APPROVED_IDENTITY_FIELDS = ['firstname', 'lastname', 'email', 'identityProviderUid'] as const;

/** Fields stored on a signatory that a client chooses. */
type SignatoryFields = Pick<Signatory, 'firstname' | 'lastname' | 'email' | 'phone' | 'language' | 'authentication' | 'signatureLevel' | 'identityProviderUid'>;

/**
 * Signatories of a client's transactions. Every change locks the transaction row and checks its
 * status first, so changes serialize with each other and with sending: the 4-signatory limit
 * holds under concurrent requests and nothing changes after a transaction leaves `created`.
 */
@Injectable()
export class SignatoriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly transactions: TransactionsService,
    private readonly auditTrail: AuditTrail,
    private readonly config: AppConfig,
    private readonly identityProviders: IdentityProviderCheck,
  ) {}

  async add(caller: ClientCaller, transactionUid: string, input: CreateSignatoryDto): Promise<SignatoryBody> {
    return this.em.transactional(async (em) => {
      const transaction = await this.transactions.lockForChange(em, caller.clientUid, transactionUid, TransactionAction.AddSignatory);
      assertRenderableNames({ firstname: input.firstname, lastname: input.lastname });
      const fields = this.validatedFields({
        firstname: input.firstname,
        lastname: input.lastname,
        email: input.email,
        phone: normalizePhone(input.phone),
        language: input.language,
        authentication: input.authentication,
        signatureLevel: input.signature_level ?? 'simple',
        identityProviderUid: input.identity_provider_uid ?? null,
      });
      await this.checkIdentityProvider(em, fields.identityProviderUid);
      const count = await em.count(Signatory, { transaction: transactionUid, deletedAt: null });
      if (count >= MAX_SIGNATORIES) {
        throw SignatoryError.tooMany(MAX_SIGNATORIES);
      }

      const signatory = em.assign(new Signatory(), { ...fields, transaction, position: count + 1 });
      this.applyLevelStatus(signatory);
      em.persist(signatory);
      await em.flush();
      await this.audit(em, caller, transactionUid, 'signatory.added', {
        signatory_uid: signatory.uid,
        position: signatory.position,
        ...withMaskedPhone(auditFields(signatory)),
      });

      return this.present(signatory);
    });
  }

  async get(clientUid: string, transactionUid: string, signatoryUid: string): Promise<SignatoryBody> {
    await this.transactions.findForClient(clientUid, transactionUid);

    return this.present(await this.findInTransaction(this.em, transactionUid, signatoryUid));
  }

  /** Lists the transaction's signatories in signing-position order; the cursor is a position. */
  async list(clientUid: string, transactionUid: string, limit: number, cursor?: string): Promise<Page<SignatoryBody>> {
    await this.transactions.findForClient(clientUid, transactionUid);
    const after = cursor === undefined ? 0 : decodePositionCursor(cursor);

    const rows = await this.em.find(
      Signatory,
      { transaction: transactionUid, deletedAt: null, position: { $gt: after } },
      { orderBy: { position: 'asc' }, limit: limit + 1, refresh: true },
    );
    const pageRows = rows.slice(0, limit);

    return {
      data: pageRows.map((row) => this.present(row)),
      next_cursor: rows.length > limit ? encodePositionCursor(pageRows[pageRows.length - 1].position) : null,
    };
  }

  /** Applies a partial change, validates the merged signatory, and recomputes its status when the level changes. */
  async update(caller: ClientCaller, transactionUid: string, signatoryUid: string, input: UpdateSignatoryDto): Promise<SignatoryBody> {
    return this.em.transactional(async (em) => {
      const transaction = await this.transactions.lockForChange(em, caller.clientUid, transactionUid, null);
      const signatory = await this.findInTransaction(em, transactionUid, signatoryUid);
      assertTransactionAction(TransactionAction.UpdateSignatory, transaction.status);

      // Only the names sent are checked, so a stored name drawn before a font change stays editable.
      assertRenderableNames({ firstname: input.firstname, lastname: input.lastname });
      const before = auditFields(signatory);
      const signatureLevel = input.signature_level ?? signatory.signatureLevel;
      const fields = this.validatedFields({
        firstname: input.firstname ?? signatory.firstname,
        lastname: input.lastname ?? signatory.lastname,
        email: input.email ?? signatory.email,
        phone: input.phone === undefined ? signatory.phone : normalizePhone(input.phone),
        language: input.language ?? signatory.language,
        authentication: input.authentication ?? signatory.authentication,
        signatureLevel,
        identityProviderUid: mergedIdentityProvider(input.identity_provider_uid, signatory.identityProviderUid, signatureLevel),
      });
      const levelChanged = fields.signatureLevel !== signatory.signatureLevel;
      if (levelChanged || fields.identityProviderUid !== signatory.identityProviderUid) {
        await this.checkIdentityProvider(em, fields.identityProviderUid);
      }
      // An identity approval vouches for the person as described when it was given, and the
      // advanced certificate carries the name and email, so changing them needs a new approval.
      const approvedIdentityChanged =
        signatory.signatureLevel === 'advanced' && APPROVED_IDENTITY_FIELDS.some((field) => fields[field] !== signatory[field]);
      const statusBefore = signatory.status;
      em.assign(signatory, fields);
      if (levelChanged || approvedIdentityChanged) {
        this.applyLevelStatus(signatory);
      }
      await em.flush();

      const after = auditFields(signatory);
      const changes = withMaskedPhone(Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value)));
      if (Object.keys(changes).length > 0) {
        const statusChange = signatory.status === statusBefore ? {} : { status: { from: statusBefore, to: signatory.status } };
        await this.audit(em, caller, transactionUid, 'signatory.updated', { signatory_uid: signatory.uid, changes, ...statusChange });
      }

      return this.present(signatory);
    });
  }

  /** Soft-deletes the signatory and closes the gap it leaves in the signing positions. */
  async remove(caller: ClientCaller, transactionUid: string, signatoryUid: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const transaction = await this.transactions.lockForChange(em, caller.clientUid, transactionUid, null);
      const signatory = await this.findInTransaction(em, transactionUid, signatoryUid);
      assertTransactionAction(TransactionAction.RemoveSignatory, transaction.status);

      signatory.deletedAt = new Date();
      await em.flush();
      await em.nativeUpdate(
        Signatory,
        { transaction: transactionUid, deletedAt: null, position: { $gt: signatory.position } },
        { position: raw('position - 1') },
      );
      await this.audit(em, caller, transactionUid, 'signatory.removed', { signatory_uid: signatory.uid, position: signatory.position });
    });
  }

  private async findInTransaction(em: EntityManager, transactionUid: string, signatoryUid: string): Promise<Signatory> {
    const signatory = UUID.test(signatoryUid)
      ? await em.findOne(Signatory, { uid: signatoryUid, transaction: transactionUid, deletedAt: null }, { refresh: true })
      : null;
    if (!signatory) {
      throw CommonError.notFound('Signatory', signatoryUid);
    }

    return signatory;
  }

  /** Checks the rules that span fields, which DTO validation alone cannot see after a merge. */
  private validatedFields(fields: Omit<SignatoryFields, 'signatureLevel'> & { signatureLevel: RequestedSignatureLevel }): SignatoryFields {
    if (fields.signatureLevel === 'qualified') {
      throw SignatoryError.levelNotAvailable(fields.signatureLevel);
    }
    if (fields.signatureLevel === 'advanced' && fields.identityProviderUid === null) {
      throw CommonError.validation({ identity_provider_uid: ['identity_provider_uid is required for the advanced signature level'] });
    }
    if (fields.signatureLevel !== 'advanced' && fields.identityProviderUid !== null) {
      throw CommonError.validation({
        identity_provider_uid: [`identity_provider_uid is only allowed for the advanced signature level; omit it or send null for the ${fields.signatureLevel} level`],
      });
    }
    if (fields.signatureLevel === 'advanced' && fields.authentication !== 'sms') {
      throw SignatoryError.advancedRequiresSms(fields.authentication);
    }

    return { ...fields, signatureLevel: fields.signatureLevel satisfies SignatureLevel };
  }

  /** Rejects a named identity provider that does not exist or is disabled. */
  private async checkIdentityProvider(em: EntityManager, uid: string | null): Promise<void> {
    if (uid !== null) {
      await this.identityProviders.assertAssignable(em, uid);
    }
  }

  private applyLevelStatus(signatory: Signatory): void {
    signatory.status = initialStatusOf(signatory.signatureLevel);
    signatory.identifiedAt = signatory.signatureLevel === 'simple' ? new Date() : null;
  }

  private async audit(em: EntityManager, caller: ClientCaller, transactionUid: string, type: string, data: Record<string, unknown>): Promise<void> {
    const actor: AuditActor = { type: 'client', id: caller.clientUid };
    await this.auditTrail.append(em, { transactionUid, type, actor, request: caller.request, data });
  }

  private present(signatory: Signatory): SignatoryBody {
    return toSignatoryBody(signatory, this.config.publicUrl);
  }
}

/**
 * Returns the identity provider of a patched signatory. A provider named in the request is kept,
 * and validation rejects it unless the level is advanced. Otherwise leaving the advanced level
 * drops the stored provider, because only that level uses one.
 */
function mergedIdentityProvider(requested: string | null | undefined, stored: string | null, level: RequestedSignatureLevel): string | null {
  if (requested !== undefined) {
    return requested;
  }

  return level === 'advanced' ? stored : null;
}

/** What the audit trail records about a signatory: who signs, how they are reached and at which level. */
function auditFields(signatory: Signatory): Record<string, unknown> {
  return {
    firstname: signatory.firstname,
    lastname: signatory.lastname,
    email: signatory.email,
    phone: signatory.phone,
    language: signatory.language,
    authentication: signatory.authentication,
    signature_level: signatory.signatureLevel,
    identity_provider_uid: signatory.identityProviderUid,
  };
}

/** Masks `phone` in audit data, because evidence files publish the audit trail verbatim. */
function withMaskedPhone(fields: Record<string, unknown>): Record<string, unknown> {
  return typeof fields.phone === 'string' ? { ...fields, phone: maskPhone(fields.phone) } : fields;
}

function encodePositionCursor(position: number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

function decodePositionCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0) {
      return parsed.p;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new CommonError(CommonErrorCode.InvalidCursor, `Cursor "${cursor}" is invalid; pass the next_cursor of a previous page.`);
}

/** Throws `name_not_renderable` when a given name has characters the certificate page would draw as `?`. */
function assertRenderableNames(names: Record<'firstname' | 'lastname', string | undefined>): void {
  const problems: Record<string, string> = {};
  for (const [field, value] of Object.entries(names)) {
    const characters = value === undefined ? [] : findUnrenderableCharacters(value);
    if (characters.length > 0) {
      problems[field] = describeCharacters(characters);
    }
  }
  if (Object.keys(problems).length > 0) {
    throw SignatoryError.nameNotRenderable(problems, SUPPORTED_SCRIPTS_DESCRIPTION);
  }
}
