import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { formatTimestamp } from '@secusign/database';
import { CommonError } from '@secusign/errors';
import {
  AuditTrail,
  CHAIN_CANONICALIZATION,
  EVIDENCE_FORMAT,
  EvidenceContent,
  EvidenceDocument,
  EvidenceSignatory,
  GENESIS_HASH,
  auditEventHashInput,
} from '@secusign/evidence';
import { maskPhone } from '@secusign/signature';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TransactionRow {
  uid: string;
  status: string;
  name: string | null;
  document_filename: string | null;
  document_size: string | null;
  document_pages: number | null;
  document_sha256: string | null;
  document_original_sha256: string | null;
  document_normalization: string | null;
  certificate_page: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
  completed_at: Date | string | null;
  cancelled_at: Date | string | null;
}

/**
 * Collects the content of a transaction's evidence file from the database: the transaction,
 * its document and revisions, its signatories (phone numbers masked) and the audit trail.
 * Reads with SQL so this module does not depend on the transactions and signatories modules,
 * which depend on the evidence module.
 */
@Injectable()
export class EvidenceBuilder {
  constructor(
    private readonly orm: MikroORM,
    private readonly auditTrail: AuditTrail,
  ) {}

  /** Builds the evidence of `transactionUid` for `clientUid`; another client's or a deleted transaction is 404. */
  async build(clientUid: string, transactionUid: string): Promise<EvidenceContent> {
    const em = this.orm.em.fork();
    const transaction = await this.findTransaction(em, { clientUid, transactionUid });

    return this.buildFor(em, transaction);
  }

  /** Builds the evidence of `transactionUid` without a tenancy check, for signed download links. */
  async buildUnscoped(transactionUid: string): Promise<EvidenceContent> {
    const em = this.orm.em.fork();

    return this.buildFor(em, await this.findTransaction(em, { transactionUid }));
  }

  private async buildFor(em: EntityManager, transaction: TransactionRow): Promise<EvidenceContent> {
    const events = (await this.auditTrail.list(em, transaction.uid)).map((event) => ({ ...auditEventHashInput(event), hash: event.hash }));

    return {
      format: EVIDENCE_FORMAT,
      version: 1,
      generated_at: formatTimestamp(new Date()),
      transaction: {
        uid: transaction.uid,
        status: transaction.status,
        name: transaction.name,
        created_at: timestamp(transaction.created_at) ?? '',
        sent_at: timestamp(transaction.sent_at),
        completed_at: timestamp(transaction.completed_at),
        cancelled_at: timestamp(transaction.cancelled_at),
      },
      document: await this.document(em, transaction),
      signatories: await this.signatories(em, transaction.uid),
      chain: {
        algorithm: 'SHA-256',
        canonicalization: CHAIN_CANONICALIZATION,
        genesis_hash: GENESIS_HASH,
        event_count: events.length,
        final_hash: events.length > 0 ? events[events.length - 1].hash : GENESIS_HASH,
      },
      events: events as EvidenceContent['events'],
    };
  }

  private async findTransaction(em: EntityManager, scope: { clientUid?: string; transactionUid: string }): Promise<TransactionRow> {
    const rows = UUID_PATTERN.test(scope.transactionUid)
      ? await em.execute<TransactionRow[]>(
          `select uid, status, name, document_filename, document_size, document_pages, document_sha256, document_original_sha256,
                  document_normalization, certificate_page, created_at, sent_at, completed_at, cancelled_at
             from transactions
            where uid = ? and deleted_at is null ${scope.clientUid ? 'and client_uid = ?' : ''}`,
          scope.clientUid ? [scope.transactionUid, scope.clientUid] : [scope.transactionUid],
        )
      : [];
    if (rows.length === 0) {
      throw CommonError.notFound('Transaction', scope.transactionUid);
    }

    return rows[0];
  }

  private async document(em: EntityManager, transaction: TransactionRow): Promise<EvidenceDocument | null> {
    if (transaction.document_sha256 === null) {
      return null;
    }
    const revisions = await em.execute<{ sequence: number; kind: string; signatory_uid: string | null; sha256: string; size: string; created_at: Date | string }[]>(
      'select sequence, kind, signatory_uid, sha256, size, created_at from document_revisions where transaction_uid = ? order by sequence',
      [transaction.uid],
    );

    return {
      filename: transaction.document_filename,
      // bigint columns come back from PostgreSQL as strings.
      size: transaction.document_size === null ? null : Number(transaction.document_size),
      pages: transaction.document_pages,
      sha256: transaction.document_sha256,
      original_sha256: transaction.document_original_sha256,
      normalization: transaction.document_normalization,
      certificate_page: transaction.certificate_page,
      revisions: revisions.map((revision) => ({
        sequence: revision.sequence,
        kind: revision.kind,
        signatory_uid: revision.signatory_uid,
        sha256: revision.sha256,
        size: Number(revision.size),
        created_at: timestamp(revision.created_at) ?? '',
      })),
    };
  }

  private async signatories(em: EntityManager, transactionUid: string): Promise<EvidenceSignatory[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select uid, position, firstname, lastname, email, phone, language, authentication, signature_level, status,
              identified_at, authenticated_at, signed_at
         from signatories where transaction_uid = ? and deleted_at is null order by position`,
      [transactionUid],
    );

    return rows.map((row) => ({
      uid: String(row.uid),
      position: Number(row.position),
      firstname: String(row.firstname),
      lastname: String(row.lastname),
      email: String(row.email),
      phone: maskStoredPhone(String(row.phone)),
      language: String(row.language),
      authentication: String(row.authentication),
      signature_level: String(row.signature_level),
      status: String(row.status),
      identified_at: timestamp(row.identified_at),
      authenticated_at: timestamp(row.authenticated_at),
      signed_at: timestamp(row.signed_at),
    }));
  }
}

/** Formats a timestamp column read with raw SQL, which returns a string or a Date depending on the driver. */
function timestamp(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }

  return formatTimestamp(value instanceof Date ? value : new Date(String(value)));
}

/** Masks a stored phone number; one that cannot be parsed is withheld whole rather than shown. */
function maskStoredPhone(phone: string): string {
  try {
    return maskPhone(phone);
  } catch {
    return '•••';
  }
}
