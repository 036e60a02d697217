import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ClientAuth, CurrentClient } from '@secusign/auth';
import type { Client } from '@secusign/clients';
import { ProblemDetails } from '@secusign/errors';
import { Page, PageQuery, PageResponse } from '@secusign/http';
import { TransactionOwnership } from './transaction-ownership';
import { WebhookDeliveriesService, WebhookDeliveryBody } from './webhook-deliveries.service';

class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Identifier of this attempt' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The event id: the body `id` and the `webhook-id` header, the same on every attempt' })
  event_id!: string;

  @ApiProperty({ example: 'transaction.sent' })
  event_type!: string;

  @ApiProperty({ description: 'Position of the event in the transaction; events are delivered in this order' })
  sequence!: number;

  @ApiProperty({ description: 'Number of the automatic attempt; a manual retry repeats the last number' })
  attempt!: number;

  @ApiProperty({ enum: ['automatic', 'manual'] })
  trigger!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ description: 'True when the receiver responded with a 2xx status' })
  succeeded!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Null when no response came back' })
  status_code!: number | null;

  @ApiProperty()
  duration_ms!: number;

  @ApiProperty({ type: String, nullable: true, example: 'timed out after 10000 ms' })
  error!: string | null;

  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'], description: 'State of the event\'s delivery as a whole' })
  event_status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'When the next automatic attempt is due' })
  next_retry_at!: string | null;

  @ApiProperty()
  created_at!: string;
}

class WebhookDeliveryPageResponse extends PageResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  data!: WebhookDeliveryResponse[];
}

const NOT_FOUND = { description: 'Unknown transaction or delivery, or one of another client', type: ProblemDetails };

@ApiTags('Webhooks')
@ClientAuth()
@Controller('transactions/:uid/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(
    private readonly ownership: TransactionOwnership,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List webhook delivery attempts', description: 'Every attempt, automatic or manual, newest first.' })
  @ApiOkResponse({ type: WebhookDeliveryPageResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async list(@CurrentClient() client: Client, @Param('uid') uid: string, @Query() query: PageQuery): Promise<Page<WebhookDeliveryBody>> {
    await this.ownership.assertOwned(client.uid, uid);

    return this.deliveries.list(uid, query);
  }

  @Post(':id/retry')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Send a webhook again',
    description: 'Sends the event of this delivery once more, with the same event id, and returns the new attempt. Automatic retries are not affected except that a success ends them.',
  })
  @ApiCreatedResponse({ type: WebhookDeliveryResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async retry(@CurrentClient() client: Client, @Param('uid') uid: string, @Param('id') id: string): Promise<WebhookDeliveryBody> {
    await this.ownership.assertOwned(client.uid, uid);

    return this.deliveries.retry(uid, id);
  }
}
