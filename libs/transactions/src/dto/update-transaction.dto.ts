import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TransactionStatus } from '../transaction-status';
import { TRANSACTION_NAME_MAX_LENGTH, TransactionNameField, WEBHOOK_URL_MAX_LENGTH, WebhookUrlField } from './transaction-fields';

/** Status values a client may set with PATCH; the others are reached by the platform. */
export const REQUESTABLE_STATUSES = [TransactionStatus.Sent, TransactionStatus.Cancelled] as const;
export type RequestableStatus = (typeof REQUESTABLE_STATUSES)[number];

/** Body of `PATCH /transactions/{uid}`: fields change only while `created`; `status` runs a transition. */
export class UpdateTransactionDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: TRANSACTION_NAME_MAX_LENGTH, example: 'Lease 2024-117 (signed copy)', description: 'New label; null clears it. No control characters (line breaks, tabs, escape codes)' })
  @TransactionNameField()
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://client.example/hooks/secusign',
    description: 'New webhook URL; null stops webhooks',
  })
  @WebhookUrlField()
  webhook_url?: string | null;

  @ApiPropertyOptional({
    enum: REQUESTABLE_STATUSES,
    example: 'sent',
    description:
      '`sent` sends a `created` transaction, which needs a document and 1–4 signatories. ' +
      '`cancel` cancels a `created` or `sent` one. Other values are rejected.',
  })
  @IsOptional()
  @IsIn(REQUESTABLE_STATUSES, { message: 'status must be "sent" or "cancel"' })
  status?: RequestableStatus;
}
