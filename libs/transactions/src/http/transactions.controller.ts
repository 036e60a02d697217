import { Body, Controller, Delete, Get, HttpCode, Inject, Optional, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClientAuth, CurrentClient } from '@secusign/auth';
import { Client } from '@secusign/clients';
import { CommonError, CommonErrorCode, ProblemDetails } from '@secusign/errors';
import { RequestMetadata } from '@secusign/evidence';
import { Page, RequestMeta } from '@secusign/http';
import { CreateTransactionDto } from '../dto/create-transaction.dto';
import { ListTransactionsQuery } from '../dto/list-transactions.query';
import { TransactionPageResponse, TransactionResponse } from '../dto/transaction.response';
import { UpdateTransactionDto } from '../dto/update-transaction.dto';
import { MultipartTransactionCreator } from '../multipart-transaction-creator';
import { TransactionBody } from '../transaction.presenter';
import { TransactionsService } from '../transactions.service';
import { ApiProblem } from './api-problem';

const NOT_FOUND = { not_found: 'Transaction 5c7955f7-fe96-48c7-bff3-d621f7482b8b was not found.' };
const VALIDATION = { validation_failed: 'The request body is invalid.' };

@ApiTags('transactions')
@ApiExtraModels(ProblemDetails, CreateTransactionDto)
@ClientAuth()
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly transactions: TransactionsService,
    @Optional() @Inject(MultipartTransactionCreator) private readonly multipartCreator?: MultipartTransactionCreator,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a transaction',
    description: 'JSON `{ name?, webhook_url? }`, or `multipart/form-data` with the same fields and an optional `file` (the PDF). The transaction starts `created`.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description: 'JSON: the fields alone. multipart/form-data: the same fields as text parts, and the PDF as an optional `file` part.',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreateTransactionDto) },
        {
          type: 'object',
          properties: {
            name: { type: 'string', example: 'Lease 2024-117' },
            webhook_url: { type: 'string', example: 'https://client.example/hooks/secusign' },
            file: { type: 'string', format: 'binary', description: 'The PDF to sign' },
          },
        },
      ],
    },
  })
  @ApiCreatedResponse({ type: TransactionResponse })
  @ApiProblem(400, 'Invalid body', VALIDATION)
  @ApiProblem(415, 'Body neither JSON nor multipart/form-data', { unsupported_media_type: 'Send application/json or multipart/form-data.' })
  async create(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Req() http: Request, @Body() body: CreateTransactionDto): Promise<TransactionBody> {
    const caller = { clientUid: client.uid, request };
    if (http.is('multipart/form-data')) {
      if (!this.multipartCreator) {
        throw new CommonError(CommonErrorCode.UnsupportedMediaType, 'Creating a transaction from multipart/form-data is not available; send JSON, then PUT the document.');
      }

      return this.multipartCreator.createFromMultipart(caller, http);
    }
    if (http.headers['content-type'] !== undefined && !http.is(['application/json', 'application/*+json'])) {
      throw new CommonError(CommonErrorCode.UnsupportedMediaType, `Content-Type "${http.headers['content-type']}" is not supported; send application/json or multipart/form-data.`);
    }

    return this.transactions.create(caller, body);
  }

  @Get()
  @ApiOperation({ summary: 'List the client\'s transactions, newest first' })
  @ApiOkResponse({ type: TransactionPageResponse })
  @ApiProblem(400, 'Invalid query or cursor', {
    validation_failed: 'The request query is invalid.',
    invalid_cursor: 'Cursor "abc" is invalid; pass the next_cursor of a previous page.',
  })
  list(@CurrentClient() client: Client, @Query() query: ListTransactionsQuery): Promise<Page<TransactionBody>> {
    return this.transactions.list(client.uid, query);
  }

  @Get(':uid')
  @ApiOperation({ summary: 'Get a transaction with its document and signatories' })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiOkResponse({ type: TransactionResponse })
  @ApiProblem(404, 'No transaction of this client has this uid', NOT_FOUND)
  get(@CurrentClient() client: Client, @Param('uid') uid: string): Promise<TransactionBody> {
    return this.transactions.get(client.uid, uid);
  }

  @Patch(':uid')
  @ApiOperation({
    summary: 'Change fields, send or cancel a transaction',
    description:
      '`name` and `webhook_url` change only while `created`. `status: "sent"` sends a `created` transaction that has a document and 1–4 signatories; ' +
      '`status: "cancel"` cancels a `created` or `sent` one. Fields and a status in one request are applied together or not at all.',
  })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiOkResponse({ type: TransactionResponse })
  @ApiProblem(400, 'Invalid body, including a status other than `sent` or `cancel`', VALIDATION)
  @ApiProblem(404, 'No transaction of this client has this uid', NOT_FOUND)
  @ApiProblem(409, 'The transaction\'s status forbids the change; `current_status` holds it', {
    transaction_not_editable: 'The transaction is "sent", so its name and webhook_url can no longer be changed; only a "created" transaction can be changed.',
    transaction_already_sent: 'The transaction has already been sent.',
    transaction_already_completed: 'The transaction is completed and can no longer be cancelled.',
    transaction_already_cancelled: 'The transaction is already cancelled.',
    transaction_concurrently_modified: 'Another request changed the transaction while this one ran (its status is now "created"); read it again and retry.',
  })
  @ApiProblem(422, 'The transaction lacks what sending needs; `missing` lists `document` and/or `signatories`', {
    transaction_not_ready: 'The transaction cannot be sent yet: upload a PDF document and add 1 to 4 signatories first.',
  })
  update(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Param('uid') uid: string, @Body() body: UpdateTransactionDto): Promise<TransactionBody> {
    const { status, ...fields } = body;

    return this.transactions.update({ clientUid: client.uid, request }, uid, fields, status);
  }

  @Delete(':uid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a `created` or `cancel` transaction', description: 'Its documents are removed; its audit trail is kept. It is 404 afterwards.' })
  @ApiParam({ name: 'uid', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(404, 'No transaction of this client has this uid', NOT_FOUND)
  @ApiProblem(409, 'The transaction is `sent` or `completed`', {
    transaction_not_deletable: 'The transaction is "sent" and cannot be deleted; only "created" and "cancel" transactions can be (cancel a sent one first).',
  })
  async delete(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Param('uid') uid: string): Promise<void> {
    await this.transactions.delete({ clientUid: client.uid, request }, uid);
  }
}
