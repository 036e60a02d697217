import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '@secusign/auth';
import { ProblemDetails } from '@secusign/errors';
import { PageQuery } from '@secusign/http';
import { CreatedIdentityProviderResponse, CreateIdentityProviderDto, IdentityProviderPageResponse, IdentityProviderResponse } from './identity-provider.dto';
import { IdentityProvidersService } from './identity-providers.service';

const NOT_FOUND = { description: 'No identity provider has this uid (`urn:secusign:problem:identity_provider_not_found`)', type: ProblemDetails };

@ApiTags('Administration: identity providers')
@AdminAuth()
@Controller('admin/identity-providers')
export class IdentityProvidersController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Post()
  @ApiOperation({
    summary: 'Register an identity provider',
    description:
      'Without `public_key`, generates a P-256 key pair and returns the PEM `private_key` in this response only; only the public key is kept. ' +
      'With `public_key`, registers the key the provider generated itself. The provider signs its approvals with the private key and puts its `uid` in the JWS header `kid`.',
  })
  @ApiCreatedResponse({ type: CreatedIdentityProviderResponse })
  @ApiBadRequestResponse({ description: 'Invalid body, or `public_key` is not a PEM P-256 public key (`urn:secusign:problem:validation_failed`)', type: ProblemDetails })
  create(@Body() body: CreateIdentityProviderDto): Promise<CreatedIdentityProviderResponse> {
    return this.providers.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List identity providers, newest first' })
  @ApiOkResponse({ type: IdentityProviderPageResponse })
  @ApiBadRequestResponse({ description: 'Invalid `limit` or `cursor`', type: ProblemDetails })
  list(@Query() query: PageQuery): Promise<IdentityProviderPageResponse> {
    return this.providers.list(query);
  }

  @Get(':uid')
  @ApiOperation({ summary: 'Get an identity provider' })
  @ApiOkResponse({ type: IdentityProviderResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@Param('uid') uid: string): Promise<IdentityProviderResponse> {
    return this.providers.get(uid);
  }

  @Post(':uid/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable an identity provider',
    description: 'Its approvals then get 401 `identity_provider_disabled`, and signatories can no longer name it. Disabling a disabled provider changes nothing.',
  })
  @ApiOkResponse({ type: IdentityProviderResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  disable(@Param('uid') uid: string): Promise<IdentityProviderResponse> {
    return this.providers.disable(uid);
  }
}
