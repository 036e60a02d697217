import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AdminAuth } from '@secusign/auth';
import { OutboxService } from './outbox.service';

export class OutboxQuery {
  @ApiPropertyOptional({ description: 'Email address (any case) or phone number (digits, with or without +)', example: '33651836133' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;
}

class OutboxMessageResponse {
  @ApiProperty({ enum: ['sms', 'email'] })
  channel!: string;

  @ApiProperty({ example: '33651836133', description: 'Email address in lower case or phone digits' })
  to!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Email subject; null for SMS' })
  subject!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z' })
  created_at!: string;
}

class OutboxListResponse {
  @ApiProperty({ type: [OutboxMessageResponse] })
  data!: OutboxMessageResponse[];
}

@ApiTags('administration')
@AdminAuth()
@Controller('admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({
    summary: 'List messages kept by the outbox provider',
    description: 'Newest first, at most 100. Only messages sent while `SMS_PROVIDER` or `EMAIL_PROVIDER` is `outbox` are kept.',
  })
  @ApiOkResponse({ type: OutboxListResponse })
  async list(@Query() query: OutboxQuery): Promise<OutboxListResponse> {
    return { data: await this.outbox.list(query.to) };
  }
}
