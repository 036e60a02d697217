import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { AppConfig } from '@secusign/config';
import { CommonError, findJsonValueProblems, flattenValidationErrors } from '@secusign/errors';
import { AuditTrail } from '@secusign/evidence';
import type { DocumentInspection } from '@secusign/signature';
import { DocumentStorage, StorageSizeLimitError } from '@secusign/storage';
import { DocumentRevision } from '../document-revision.entity';
import { CreateTransactionDto } from '../dto/create-transaction.dto';
import { MultipartTransactionCreator } from '../multipart-transaction-creator';
import { TransactionBody } from '../transaction.presenter';
import { TransactionAction } from '../transaction-rules';
import { Transaction, type DocumentNormalization } from '../transaction.entity';
import { TransactionStatus } from '../transaction-status';
import { ClientCaller, TransactionsService } from '../transactions.service';
import { filenameOfRawUpload, sanitizeFilename } from './document-filename';
import { DocumentInspector } from './document-inspector';
import { DocumentError, DocumentErrorCode } from './document.errors';
import { withPdfHeaderCheck } from './pdf-header-check';
import { assertDeclaredLength, receiveMultipart, receiveRawBody, uploadBodyKind, type UploadBodyKind } from './upload-body';

/** An upload stored under `incoming/` and inspected, not yet attached to a transaction. */
export interface StagedDocument {
  /** The file to prepare and sign: the normalized one when normalization rewrote the upload. */
  storageKey: string;
  /** The upload as received when normalization rewrote it, else null (it is `storageKey`). */
  originalStorageKey: string | null;
  originalSize: number;
  filename: string;
  size: number;
  pages: number;
  sha256: string;
  /** SHA-256 of the bytes as uploaded; differs from `sha256` when normalization rewrote them. */
  originalSha256: string;
  normalization: DocumentNormalization;
  inspection: DocumentInspection;
}

/** A stored PDF opened for download. */
export interface DocumentDownload {
  stream: Readable;
  filename: string;
  size: number;
  sha256: string;
}

/** `?version=` of `GET /transactions/{uid}/document`. */
export type DocumentVersion = 'current' | 'original';

/**
 * Uploads and downloads of a transaction's PDF. An upload is streamed to `incoming/` with the
 * size cap and header check, inspected by the signature engine, then moved under
 * `transactions/<uid>/` and recorded in one database transaction with its audit event.
 * When a request fails, the previous document and its row stay as they were and no file is left.
 * NOTE: a process that dies between staging and commit leaves its file under `incoming/`;
 * nothing sweeps that folder yet.
 */
@Injectable()
export class DocumentsService implements MultipartTransactionCreator {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly transactions: TransactionsService,
    private readonly auditTrail: AuditTrail,
    private readonly storage: DocumentStorage,
    private readonly inspector: DocumentInspector,
    private readonly config: AppConfig,
  ) {}

  /**
   * Applies `PUT /transactions/{uid}/document` from a multipart or raw PDF request and
   * returns the updated transaction. The previous file is deleted only after the commit.
   */
  async upload(caller: ClientCaller, transactionUid: string, request: Request): Promise<TransactionBody> {
    const kind = this.assertUploadHeaders(request, ['multipart', 'pdf']);
    const staged = kind === 'pdf' ? await this.receiveRawPdf(request) : await this.receiveMultipartPdf(request);

    let previousKeys: Array<string | null> = [];
    let body: TransactionBody;
    try {
      body = await this.em.transactional(async (em) => {
        const transaction = await this.transactions.lockForChange(em, caller.clientUid, transactionUid, TransactionAction.UploadDocument);
        previousKeys = [transaction.documentStorageKey, transaction.documentOriginalStorageKey];
        await this.attach(em, caller, transaction, staged);

        return this.transactions.present(em, await this.transactions.findForClient(caller.clientUid, transactionUid, em));
      });
    } catch (error) {
      await this.discard(staged, transactionUid);
      throw error;
    }

    for (const key of previousKeys) {
      if (key !== null) {
        await this.deleteQuietly(key, transactionUid);
      }
    }

    return body;
  }

  /**
   * Applies the `multipart/form-data` form of `POST /transactions`: fields `name` and
   * `webhook_url` and an optional `file`. The transaction and its document are created in one
   * database transaction, so a rejected file creates nothing.
   */
  async createFromMultipart(caller: ClientCaller, request: Request): Promise<TransactionBody> {
    this.assertUploadHeaders(request, ['multipart']);
    const form = await receiveMultipart(request, {
      allowedFields: ['name', 'webhook_url'],
      consumeFile: (file, filename) => this.stage(file, sanitizeFilename(filename)),
      discardFile: (staged) => this.discard(staged),
    });
    const staged = form.file;

    try {
      const fields = await validateCreateFields(form.fields);

      return await this.em.transactional(async (em) => {
        const transaction = await this.transactions.createInTransaction(em, caller, fields);
        if (staged) {
          await this.attach(em, caller, transaction, staged);
        }

        return this.transactions.present(em, await this.transactions.findForClient(caller.clientUid, transaction.uid, em));
      });
    } catch (error) {
      if (staged) {
        await this.discard(staged);
      }
      throw error;
    }
  }

  /**
   * Opens the transaction's current PDF: the latest signed revision once someone signed,
   * else the stored upload (normalized when it had to be). `original` always opens the upload
   * exactly as received, even when a repaired or decrypted copy is what gets signed.
   */
  async openDocument(clientUid: string, transactionUid: string, version: DocumentVersion): Promise<DocumentDownload> {
    const transaction = await this.transactions.findForClient(clientUid, transactionUid);
    if (transaction.documentStorageKey === null || transaction.documentSha256 === null) {
      throw new DocumentError(DocumentErrorCode.NotUploaded, `Transaction ${transactionUid} has no document yet; upload one with PUT /api/v1/transactions/${transactionUid}/document.`);
    }
    const filename = transaction.documentFilename ?? 'document.pdf';

    if (version === 'current') {
      const [latest] = await this.em.find(DocumentRevision, { transaction: { uid: transactionUid }, kind: 'signed' }, { orderBy: { sequence: 'desc' }, limit: 1 });
      if (latest) {
        return this.open(latest.storageKey, filename, latest.sha256, latest.size);
      }
    }

    if (version === 'original' && transaction.documentOriginalStorageKey !== null && transaction.documentOriginalSha256 !== null) {
      return this.open(transaction.documentOriginalStorageKey, filename, transaction.documentOriginalSha256, transaction.documentOriginalSize ?? 0);
    }

    return this.open(transaction.documentStorageKey, filename, transaction.documentSha256, transaction.documentSize ?? 0);
  }

  /** Opens the revision that the signatory's signature produced; 404 before they signed. */
  async openSignatoryDocument(clientUid: string, transactionUid: string, signatoryUid: string): Promise<DocumentDownload> {
    const transaction = await this.transactions.findForClient(clientUid, transactionUid);
    const [signatory] = UUID.test(signatoryUid)
      ? await this.em.execute<{ uid: string }[]>('select uid from signatories where uid = ? and transaction_uid = ?', [signatoryUid, transactionUid])
      : [];
    if (!signatory) {
      throw CommonError.notFound('Signatory', signatoryUid);
    }

    const revision = await this.em.findOne(DocumentRevision, { transaction: { uid: transactionUid }, signatoryUid, kind: 'signed' });
    if (!revision) {
      throw new DocumentError(DocumentErrorCode.NotSignedYet, `Signatory ${signatoryUid} has not signed yet, so there is no document signed by them.`);
    }

    return this.open(revision.storageKey, transaction.documentFilename ?? 'document.pdf', revision.sha256, revision.size);
  }

  /** Rejects from the headers alone a body of another media type (415) or too large (413). */
  private assertUploadHeaders(request: Request, accepted: UploadBodyKind[]): UploadBodyKind {
    const kind = uploadBodyKind(request.headers['content-type']);
    if (kind === null || !accepted.includes(kind)) {
      const types = accepted.map((item) => (item === 'pdf' ? 'application/pdf' : 'multipart/form-data')).join(' or ');
      throw new DocumentError(
        DocumentErrorCode.UnsupportedMediaType,
        `Content-Type "${request.headers['content-type'] ?? '(none)'}" is not supported here; send ${types}.`,
      );
    }
    assertDeclaredLength(request, kind, this.config.maxUploadBytes);

    return kind;
  }

  private receiveRawPdf(request: Request): Promise<StagedDocument> {
    const filename = filenameOfRawUpload(request.headers['content-disposition'], request.query.filename);

    return receiveRawBody(request, (body) => this.stage(body, filename));
  }

  private async receiveMultipartPdf(request: Request): Promise<StagedDocument> {
    const form = await receiveMultipart(request, {
      allowedFields: [],
      consumeFile: (file, filename) => this.stage(file, sanitizeFilename(filename)),
      discardFile: (staged) => this.discard(staged),
    });
    if (!form.file) {
      throw DocumentError.invalidMultipart('The form has no "file" part; send the PDF in a file part named "file".', 'file');
    }

    return form.file;
  }

  /**
   * Streams an upload to `incoming/` under the size cap and the header check, then inspects it.
   * For a normalized upload (repaired or decrypted) the engine's output is stored beside it
   * and becomes the file to sign, while the upload is kept for `?version=original`.
   * On any failure the staged files are deleted before the error propagates.
   */
  private async stage(source: Readable, filename: string): Promise<StagedDocument> {
    const uploadKey = `incoming/${randomBytes(16).toString('hex')}.pdf`;
    const maxBytes = this.config.maxUploadBytes;
    const written = await this.storage.write(uploadKey, withPdfHeaderCheck(source), { maxBytes }).catch((error: unknown) => {
      throw error instanceof StorageSizeLimitError ? DocumentError.tooLarge(maxBytes) : error;
    });

    let storageKey = uploadKey;
    try {
      const normalized = await this.inspector.inspect(await this.storage.readBuffer(uploadKey));
      if (normalized.inspection.normalization !== 'none') {
        storageKey = `incoming/${randomBytes(16).toString('hex')}.pdf`;
        await this.storage.write(storageKey, normalized.bytes);
      }

      return {
        storageKey,
        originalStorageKey: storageKey === uploadKey ? null : uploadKey,
        originalSize: written.size,
        filename,
        size: normalized.bytes.length,
        pages: normalized.inspection.pages,
        sha256: normalized.sha256,
        originalSha256: written.sha256,
        normalization: normalized.inspection.normalization,
        inspection: normalized.inspection,
      };
    } catch (error) {
      await this.deleteQuietly(uploadKey);
      if (storageKey !== uploadKey) {
        await this.deleteQuietly(storageKey);
      }
      throw error;
    }
  }

  /**
   * Moves a staged upload under the transaction's folder and records it on `transaction`,
   * whose row `em` has locked in a `created` status, with the `document.uploaded` audit event.
   * The staged key is updated, so `discard` finds the file wherever it is.
   */
  private async attach(em: EntityManager, caller: ClientCaller, transaction: Transaction, staged: StagedDocument): Promise<void> {
    const suffix = randomBytes(8).toString('hex');
    const finalKey = `transactions/${transaction.uid}/${staged.originalStorageKey === null ? 'original' : 'normalized'}-${suffix}.pdf`;
    await this.storage.move(staged.storageKey, finalKey);
    staged.storageKey = finalKey;
    let originalKey: string | null = null;
    if (staged.originalStorageKey !== null) {
      originalKey = `transactions/${transaction.uid}/original-${suffix}.pdf`;
      await this.storage.move(staged.originalStorageKey, originalKey);
      staged.originalStorageKey = originalKey;
    }

    const replacedSha256 = transaction.documentSha256;
    const affected = await em.nativeUpdate(
      Transaction,
      { uid: transaction.uid, status: TransactionStatus.Created, deletedAt: null },
      {
        documentFilename: staged.filename,
        documentSize: staged.size,
        documentPages: staged.pages,
        documentSha256: staged.sha256,
        documentOriginalSha256: staged.originalSha256,
        documentStorageKey: finalKey,
        documentOriginalStorageKey: originalKey,
        documentOriginalSize: originalKey === null ? null : staged.originalSize,
        documentNormalization: staged.normalization,
        documentInspection: { ...staged.inspection },
        documentUploadedAt: new Date(),
        updatedAt: new Date(),
      },
    );
    if (affected !== 1) {
      // lockForChange and createInTransaction hold the row in `created`, so this means a bug.
      throw new Error(`The document of transaction ${transaction.uid} was not recorded: its row is no longer "created".`);
    }

    await this.auditTrail.append(em, {
      transactionUid: transaction.uid,
      type: 'document.uploaded',
      actor: { type: 'client', id: caller.clientUid },
      request: caller.request,
      data: auditData(staged, replacedSha256),
    });
  }

  private async open(storageKey: string, filename: string, sha256: string, size: number | string): Promise<DocumentDownload> {
    // bigint columns come back from PostgreSQL as strings.
    return { stream: await this.storage.read(storageKey), filename, sha256, size: Number(size) };
  }

  private async discard(staged: StagedDocument, transactionUid?: string): Promise<void> {
    await this.deleteQuietly(staged.storageKey, transactionUid);
    if (staged.originalStorageKey !== null) {
      await this.deleteQuietly(staged.originalStorageKey, transactionUid);
    }
  }

  /** Deletes a file whose loss of reference is already decided; a failure only leaves wasted space, so it is logged. */
  private async deleteQuietly(storageKey: string, transactionUid?: string): Promise<void> {
    try {
      await this.storage.delete(storageKey);
    } catch (error) {
      this.logger.error({ err: error, storage_key: storageKey, transaction_uid: transactionUid }, 'failed to delete a stored document file');
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function auditData(staged: StagedDocument, replacedSha256: string | null): Record<string, unknown> {
  const inspection = staged.inspection;

  return {
    filename: staged.filename,
    size: staged.size,
    pages: staged.pages,
    sha256: staged.sha256,
    ...(staged.normalization !== 'none' ? { original_sha256: staged.originalSha256, normalization: staged.normalization } : {}),
    ...(replacedSha256 !== null ? { replaced_sha256: replacedSha256 } : {}),
    inspection: {
      pdf_version: inspection.pdfVersion,
      existing_signatures: inspection.existingSignatures,
      certification_permission: inspection.certificationPermission,
      form_fields: inspection.formFields,
      has_javascript: inspection.hasJavaScript,
      encrypted: inspection.encrypted,
    },
  };
}

/**
 * Validates the text fields of a multipart create like the JSON body: the same character
 * check as checkJsonBody, then CreateTransactionDto with unknown fields rejected.
 */
async function validateCreateFields(fields: Record<string, string>): Promise<CreateTransactionDto> {
  const problems = findJsonValueProblems(fields);
  if (problems) {
    throw CommonError.validation(problems);
  }
  const dto = plainToInstance(CreateTransactionDto, fields);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw CommonError.validation(flattenValidationErrors(errors));
  }

  return dto;
}
