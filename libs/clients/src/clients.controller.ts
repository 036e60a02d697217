import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '@secusign/auth';
import { ProblemDetails } from '@secusign/errors';
import { PageQuery } from '@secusign/http';
import { ClientsService } from './clients.service';
import { CreateClientDto } from './dto/create-client.dto';
import { ClientPageResponse, ClientResponse, CreatedClientResponse } from './dto/client.response';
import { UpdateClientDto } from './dto/update-client.dto';

const NOT_FOUND = { description: 'No client has this uid (`urn:secusign:problem:client_not_found`)', type: ProblemDetails };

@ApiTags('Administration: clients')
@AdminAuth()
@Controller('admin/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a client', description: 'Returns `client_secret` and `webhook_secret`, which are shown only in this response.' })
  @ApiCreatedResponse({ description: 'The new client with its secrets, shown only in this response', type: CreatedClientResponse })
  @ApiBadRequestResponse({ description: 'Invalid body (`urn:secusign:problem:validation_failed`)', type: ProblemDetails })
  create(@Body() body: CreateClientDto): Promise<CreatedClientResponse> {
    return this.clients.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List clients, newest first' })
  @ApiOkResponse({ description: 'One page of clients', type: ClientPageResponse })
  @ApiBadRequestResponse({ description: 'Invalid `limit` or `cursor`', type: ProblemDetails })
  list(@Query() query: PageQuery): Promise<ClientPageResponse> {
    return this.clients.list(query);
  }

  @Get(':uid')
  @ApiOperation({ summary: 'Get a client' })
  @ApiOkResponse({ description: 'The client, without its secrets', type: ClientResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@Param('uid') uid: string): Promise<ClientResponse> {
    return this.clients.get(uid);
  }

  @Patch(':uid')
  @ApiOperation({ summary: 'Update a client\'s name or branding', description: 'Absent fields are kept; `null` clears a branding field.' })
  @ApiOkResponse({ description: 'The updated client', type: ClientResponse })
  @ApiBadRequestResponse({ description: 'Invalid body (`urn:secusign:problem:validation_failed`)', type: ProblemDetails })
  @ApiNotFoundResponse(NOT_FOUND)
  update(@Param('uid') uid: string, @Body() body: UpdateClientDto): Promise<ClientResponse> {
    return this.clients.update(uid, body);
  }

  @Post(':uid/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a client', description: 'Every request with the client\'s credentials then gets 401. Disabling a disabled client changes nothing.' })
  @ApiOkResponse({ description: 'The disabled client', type: ClientResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  disable(@Param('uid') uid: string): Promise<ClientResponse> {
    return this.clients.disable(uid);
  }

  @Post(':uid/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-enable a disabled client' })
  @ApiOkResponse({ description: 'The enabled client', type: ClientResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  enable(@Param('uid') uid: string): Promise<ClientResponse> {
    return this.clients.enable(uid);
  }
}
