import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { ProblemDetails } from '@secusign/errors';
import type { RequestMetadata } from '@secusign/evidence';
import { RequestMeta } from '@secusign/http';
import { DocumentStorage } from '@secusign/storage';
import { CodeSentResponse, CodeVerifiedResponse, SignAcceptedResponse, SignRequest, VerifyCodeRequest, WorkflowView } from './dto/workflow.dto';
import { WorkflowDocument, WorkflowService } from './workflow.service';

const STATUS_CONFLICT =
  'The transaction or signatory status forbids it: `transaction_not_sent`, `transaction_cancelled`, `transaction_completed`, `signatory_not_identified`, `signatory_already_signed`';

/** The signatory's JSON API. No credentials: the signatory uid in the link is the capability. */
@ApiTags('signing workflow')
@ApiNotFoundResponse({ description: 'Unknown signatory uid', type: ProblemDetails })
@Controller('workflow/:signatoryUid')
export class WorkflowController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly storage: DocumentStorage,
  ) {}

  @Get()
  @ApiOperation({ summary: "The signatory's view: names, branding, transaction status, step states and code state" })
  @ApiOkResponse({ type: WorkflowView })
  view(@Param('signatoryUid') signatoryUid: string, @RequestMeta() request: RequestMetadata): Promise<WorkflowView> {
    return this.workflow.view(signatoryUid, request);
  }

  @Get('document')
  @ApiOperation({ summary: 'The current PDF: the prepared document before the first signature, then the latest signed revision' })
  @ApiProduces('application/pdf')
  @ApiConflictResponse({ description: 'The transaction has not been sent (`transaction_not_sent`)', type: ProblemDetails })
  async document(@Param('signatoryUid') signatoryUid: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.stream(await this.workflow.currentDocument(signatoryUid), response);
  }

  @Get('signed-document')
  @ApiOperation({ summary: 'The PDF as it stood right after this signatory signed; 404 before' })
  @ApiProduces('application/pdf')
  async signedDocument(@Param('signatoryUid') signatoryUid: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.stream(await this.workflow.signedDocument(signatoryUid), response);
  }

  @Post('otp')
  @ApiOperation({ summary: 'Creates an authenticate token and sends its 6-digit code by SMS or email', description: 'Codes are valid 5 minutes; one every 30 seconds and 5 per hour at most.' })
  @ApiCreatedResponse({ type: CodeSentResponse })
  @ApiConflictResponse({ description: `${STATUS_CONFLICT}, \`signatory_already_authenticated\`, \`signature_in_progress\``, type: ProblemDetails })
  @ApiTooManyRequestsResponse({ description: '`otp_rate_limited`, with `Retry-After` and `retry_after` in seconds', type: ProblemDetails })
  requestCode(@Param('signatoryUid') signatoryUid: string, @RequestMeta() request: RequestMetadata): Promise<CodeSentResponse> {
    return this.workflow.requestCode(signatoryUid, request);
  }

  @Post('otp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verifies the code; a right code allows signing for 10 minutes', description: 'Wrong codes count: the fifth locks the code and a new one must be requested.' })
  @ApiOkResponse({ type: CodeVerifiedResponse })
  @ApiBadRequestResponse({ description: 'The code is not 6 digits', type: ProblemDetails })
  @ApiUnprocessableEntityResponse({ description: '`otp_invalid`, with `attempts_left`', type: ProblemDetails })
  @ApiConflictResponse({ description: `${STATUS_CONFLICT}, \`otp_required\`, \`otp_expired\`, \`otp_locked\`, \`otp_already_verified\``, type: ProblemDetails })
  verifyCode(@Param('signatoryUid') signatoryUid: string, @Body() body: VerifyCodeRequest, @RequestMeta() request: RequestMetadata): Promise<CodeVerifiedResponse> {
    return this.workflow.verifyCode(signatoryUid, body.code, request);
  }

  @Post('sign')
  @HttpCode(202)
  @ApiOperation({ summary: 'Gives consent and queues the signature', description: 'The view shows the signature `in_progress`, then `done`.' })
  @ApiAcceptedResponse({ type: SignAcceptedResponse })
  @ApiBadRequestResponse({ description: '`consent` is not `true`', type: ProblemDetails })
  @ApiConflictResponse({ description: `${STATUS_CONFLICT}, \`otp_required\`, \`authentication_expired\``, type: ProblemDetails })
  sign(@Param('signatoryUid') signatoryUid: string, @Body() _body: SignRequest, @RequestMeta() request: RequestMetadata): Promise<SignAcceptedResponse> {
    return this.workflow.sign(signatoryUid, request);
  }

  private async stream(document: WorkflowDocument, response: Response): Promise<StreamableFile> {
    const stream = await this.storage.read(document.storageKey);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');

    return new StreamableFile(stream, {
      type: 'application/pdf',
      length: document.size,
      disposition: contentDisposition(document.filename, { type: 'inline' }),
    });
  }
}
