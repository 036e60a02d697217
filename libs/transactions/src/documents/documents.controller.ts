import { Controller, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ClientAuth, CurrentClient } from '@secusign/auth';
import { Client } from '@secusign/clients';
import { ProblemDetails } from '@secusign/errors';
import { RequestMetadata } from '@secusign/evidence';
import { RequestMeta } from '@secusign/http';
import { TransactionResponse } from '../dto/transaction.response';
import { ApiProblem } from '../http/api-problem';
import { RequireTransactionAction } from '../http/transaction-status.guard';
import { TransactionBody } from '../transaction.presenter';
import { TransactionAction } from '../transaction-rules';
import { sendDocument } from './document-download';
import { DocumentError, DocumentErrorCode } from './document.errors';
import { DocumentsService, DocumentVersion } from './documents.service';

const TRANSACTION_NOT_FOUND = { not_found: 'Transaction 5c7955f7-fe96-48c7-bff3-d621f7482b8b was not found.' };
const PDF_DOWNLOAD = {
  description: 'The PDF. `ETag` is its SHA-256 in quotes; `Content-Disposition` carries the uploaded filename (RFC 5987 `filename*` when it is not ASCII).',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
} as const;

@ApiTags('documents')
@ApiExtraModels(ProblemDetails)
@ClientAuth()
@Controller('transactions/:uid')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Put('document')
  @HttpCode(200)
  @RequireTransactionAction(TransactionAction.UploadDocument)
  @ApiOperation({
    summary: 'Upload or replace the PDF',
    description:
      'Send the PDF either as `multipart/form-data` with one file part named `file` (any other part is a 400), or as the raw body with ' +
      '`Content-Type: application/pdf` (filename from `Content-Disposition` or `?filename=`, default `document.pdf`). ' +
        'The filename loses any path and its control and bidirectional formatting characters, is cut to 200 characters and gets `.pdf` appended when it lacks it. ' +
      'Only while the transaction is `created`. The file must be a PDF of at most `MAX_UPLOAD_MB` megabytes, not damaged beyond repair and ' +
      'not protected by a password; damaged but repairable files and files encrypted with an empty password are normalized once and both ' +
      'SHA-256 values are recorded. A rejected upload leaves the previous document in place. Returns the transaction.',
  })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiQuery({ name: 'filename', required: false, description: 'Filename of a raw `application/pdf` body without `Content-Disposition`' })
  @ApiConsumes('multipart/form-data', 'application/pdf')
  @ApiBody({
    description: '`multipart/form-data`: an object with the binary `file` part. `application/pdf`: the PDF bytes themselves.',
    schema: {
      oneOf: [
        { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'The PDF' } } },
        { type: 'string', format: 'binary', description: 'The PDF as the raw body' },
      ],
    },
  })
  @ApiOkResponse({ type: TransactionResponse, description: 'The transaction with its new `document`' })
  @ApiProblem(400, 'Malformed multipart body, no `file` part, a second file or an unknown part; or the body ended early', {
    [DocumentErrorCode.InvalidMultipart]: 'The form has no "file" part; send the PDF in a file part named "file".',
    [DocumentErrorCode.UploadIncomplete]: 'The request body ended before it was complete; send the upload again.',
  })
  @ApiProblem(404, 'Unknown transaction, or one of another client', TRANSACTION_NOT_FOUND)
  @ApiProblem(409, 'The transaction is no longer `created`', {
    transaction_not_editable: 'The transaction is "sent", so its document can no longer be replaced; only a "created" transaction can be changed.',
  })
  @ApiProblem(413, 'Larger than MAX_UPLOAD_MB; rejected from `Content-Length` before the body is read, or as soon as the streamed body passes the limit', {
    [DocumentErrorCode.TooLarge]: 'The document is larger than the maximum upload size of 50 MB (MAX_UPLOAD_MB).',
  })
  @ApiProblem(415, 'Not a PDF, or a body that is neither multipart/form-data nor application/pdf', {
    [DocumentErrorCode.NotPdf]: 'The file is not a PDF: no %PDF- header in its first 1024 bytes. Upload a PDF document.',
    [DocumentErrorCode.UnsupportedMediaType]: 'Content-Type "text/plain" is not supported here; send multipart/form-data or application/pdf.',
  })
  @ApiProblem(422, 'A PDF the platform cannot sign: empty, damaged beyond repair, password protected, or certified against changes', {
    [DocumentErrorCode.Empty]: 'The file is empty (0 bytes). Upload a PDF document.',
    [DocumentErrorCode.Damaged]: 'The PDF is damaged beyond repair.',
    [DocumentErrorCode.PasswordProtected]: 'The file is protected by a password; upload it without the password protection.',
    [DocumentErrorCode.CertifiedNoChanges]: 'The PDF carries a certification signature that forbids any change, so it cannot be signed.',
  })
  upload(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Param('uid') uid: string, @Req() http: Request): Promise<TransactionBody> {
    return this.documents.upload({ clientUid: client.uid, request }, uid, http);
  }

  @Get('document')
  @ApiOperation({
    summary: 'Download the current PDF',
    description: 'The upload (normalized when it was repaired or decrypted) until the first signature, then the latest signed revision. `?version=original` returns the upload exactly as received, at any time.',
  })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiQuery({ name: 'version', required: false, enum: ['current', 'original'], description: '`current` (default) or `original`' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_DOWNLOAD)
  @ApiProblem(400, 'Unknown `version`', { [DocumentErrorCode.InvalidVersion]: 'version "latest" is invalid; use "current" or "original".' })
  @ApiProblem(404, 'Unknown transaction, or no document uploaded yet', {
    ...TRANSACTION_NOT_FOUND,
    [DocumentErrorCode.NotUploaded]: 'Transaction 5c7955f7-fe96-48c7-bff3-d621f7482b8b has no document yet; upload one with PUT /api/v1/transactions/5c7955f7-fe96-48c7-bff3-d621f7482b8b/document.',
  })
  async download(
    @CurrentClient() client: Client,
    @Param('uid') uid: string,
    @Query('version') version: string | undefined,
    @Req() http: Request,
    @Res() response: Response,
  ): Promise<void> {
    const document = await this.documents.openDocument(client.uid, uid, parseVersion(version));
    await sendDocument(http, response, document);
  }

  @Get('signatories/:signatoryUid/document')
  @ApiOperation({ summary: 'Download the PDF as it stood right after this signatory signed' })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiParam({ name: 'signatoryUid', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_DOWNLOAD)
  @ApiProblem(404, 'Unknown transaction or signatory, or the signatory has not signed yet', {
    ...TRANSACTION_NOT_FOUND,
    [DocumentErrorCode.NotSignedYet]: 'Signatory 8a6ff96d-196f-40a4-80af-abe4f61f743b has not signed yet, so there is no document signed by them.',
  })
  async downloadSignatoryDocument(
    @CurrentClient() client: Client,
    @Param('uid') uid: string,
    @Param('signatoryUid') signatoryUid: string,
    @Req() http: Request,
    @Res() response: Response,
  ): Promise<void> {
    const document = await this.documents.openSignatoryDocument(client.uid, uid, signatoryUid);
    await sendDocument(http, response, document);
  }
}

function parseVersion(version: string | undefined): DocumentVersion {
  if (version === undefined || version === 'current' || version === 'original') {
    return version ?? 'current';
  }

  throw new DocumentError(DocumentErrorCode.InvalidVersion, `version "${version}" is invalid; use "current" or "original".`, { version: ['must be "current" or "original"'] });
}
