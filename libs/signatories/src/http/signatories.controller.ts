import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientAuth, CurrentClient } from '@secusign/auth';
import { Client } from '@secusign/clients';
import { ProblemDetails } from '@secusign/errors';
import { RequestMetadata } from '@secusign/evidence';
import { Page, PageQuery, RequestMeta } from '@secusign/http';
import { ApiProblem } from '@secusign/transactions';
import { CreateSignatoryDto } from '../dto/create-signatory.dto';
import { SignatoryPageResponse, SignatoryResponse } from '../dto/signatory.response';
import { UpdateSignatoryDto } from '../dto/update-signatory.dto';
import { SignatoriesService } from '../signatories.service';
import { SignatoryBody } from '../signatory.presenter';

const NOT_FOUND = {
  not_found: 'Signatory 8a6ff96d-196f-40a4-80af-abe4f61f743b was not found.',
};
const NOT_EDITABLE = {
  transaction_not_editable: 'The transaction is "sent", so signatories can no longer be added; only a "created" transaction can be changed.',
};
const VALIDATION = { validation_failed: 'The request body is invalid.' };

@ApiTags('signatories')
@ApiExtraModels(ProblemDetails, SignatoryResponse)
@ClientAuth()
@Controller('transactions/:uid/signatories')
@ApiParam({ name: 'uid', format: 'uuid', description: 'Transaction uid' })
@ApiProblem(404, 'No transaction of this client has this uid, or the transaction has no signatory with this uid', {
  not_found: 'Transaction 5c7955f7-fe96-48c7-bff3-d621f7482b8b was not found.',
})
export class SignatoriesController {
  constructor(private readonly signatories: SignatoriesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a signatory', description: 'Only while the transaction is `created`; at most 4 per transaction.' })
  @ApiCreatedResponse({ type: SignatoryResponse })
  @ApiProblem(400, 'Invalid body, or `advanced` without `identity_provider_uid`', VALIDATION)
  @ApiProblem(409, 'The transaction is no longer `created`', NOT_EDITABLE)
  @ApiProblem(422, 'A 5th signatory, the `qualified` level, `advanced` without SMS authentication, an unknown or disabled identity provider, or a name the certificate page cannot draw', {
    too_many_signatories: 'The transaction already has 4 signatories, the maximum; remove one before adding another.',
    signature_level_not_available: 'The "qualified" signature level is not available yet; use "simple" or "advanced".',
    advanced_requires_sms: 'An advanced signatory must authenticate by SMS, not by email; set authentication to "sms".',
    identity_provider_not_assignable: 'No identity provider has uid b3c1f4a2-9d7e-4c1a-8f0b-2e6d5a4c3b21; set identity_provider_uid to an active provider.',
    name_not_renderable:
      'The signature certificate cannot draw these characters: lastname contains U+0E2A "ส". Supported scripts: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, Chinese (Han), Japanese kana, Korean (Hangul) and emoji; write the name in one of them.',
  })
  add(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Param('uid') uid: string, @Body() body: CreateSignatoryDto): Promise<SignatoryBody> {
    return this.signatories.add({ clientUid: client.uid, request }, uid, body);
  }

  @Get()
  @ApiOperation({ summary: 'List the transaction\'s signatories in signing-position order' })
  @ApiOkResponse({ type: SignatoryPageResponse })
  @ApiProblem(400, 'Invalid query or cursor', { invalid_cursor: 'Cursor "abc" is invalid; pass the next_cursor of a previous page.' })
  list(@CurrentClient() client: Client, @Param('uid') uid: string, @Query() query: PageQuery): Promise<Page<SignatoryBody>> {
    return this.signatories.list(client.uid, uid, query.limit, query.cursor);
  }

  @Get(':signatory_uid')
  @ApiOperation({ summary: 'Get a signatory' })
  @ApiParam({ name: 'signatory_uid', format: 'uuid' })
  @ApiOkResponse({ type: SignatoryResponse })
  @ApiProblem(404, 'Unknown signatory', NOT_FOUND)
  get(@CurrentClient() client: Client, @Param('uid') uid: string, @Param('signatory_uid') signatoryUid: string): Promise<SignatoryBody> {
    return this.signatories.get(client.uid, uid, signatoryUid);
  }

  @Patch(':signatory_uid')
  @ApiOperation({
    summary: 'Change a signatory',
    description:
      'Takes the create fields, each optional, and validates the merged signatory again. Changing the level resets the status: ' +
      '`simple` is `identified` at once, `advanced` waits for its identity provider. ' +
      'Changing the name, email or identity provider of an `advanced` signatory also returns it to `created`, because the approval covered the person as described before.',
  })
  @ApiParam({ name: 'signatory_uid', format: 'uuid' })
  @ApiOkResponse({ type: SignatoryResponse })
  @ApiProblem(400, 'Invalid body, or `advanced` without `identity_provider_uid`', VALIDATION)
  @ApiProblem(409, 'The transaction is no longer `created`', NOT_EDITABLE)
  @ApiProblem(422, 'The `qualified` level, `advanced` without SMS authentication, an unknown or disabled identity provider, or a name the certificate page cannot draw', {
    signature_level_not_available: 'The "qualified" signature level is not available yet; use "simple" or "advanced".',
    advanced_requires_sms: 'An advanced signatory must authenticate by SMS, not by email; set authentication to "sms".',
    identity_provider_not_assignable: 'No identity provider has uid b3c1f4a2-9d7e-4c1a-8f0b-2e6d5a4c3b21; set identity_provider_uid to an active provider.',
    name_not_renderable:
      'The signature certificate cannot draw these characters: lastname contains U+0E2A "ส". Supported scripts: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, Chinese (Han), Japanese kana, Korean (Hangul) and emoji; write the name in one of them.',
  })
  update(
    @CurrentClient() client: Client,
    @RequestMeta() request: RequestMetadata,
    @Param('uid') uid: string,
    @Param('signatory_uid') signatoryUid: string,
    @Body() body: UpdateSignatoryDto,
  ): Promise<SignatoryBody> {
    return this.signatories.update({ clientUid: client.uid, request }, uid, signatoryUid, body);
  }

  @Delete(':signatory_uid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a signatory', description: 'Only while the transaction is `created`; the signatories after it move up one position.' })
  @ApiParam({ name: 'signatory_uid', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblem(409, 'The transaction is no longer `created`', NOT_EDITABLE)
  async remove(@CurrentClient() client: Client, @RequestMeta() request: RequestMetadata, @Param('uid') uid: string, @Param('signatory_uid') signatoryUid: string): Promise<void> {
    await this.signatories.remove({ clientUid: client.uid, request }, uid, signatoryUid);
  }
}
