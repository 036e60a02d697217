import { ApiPropertyOptional } from '@nestjs/swagger';
import { TRANSACTION_NAME_MAX_LENGTH, TransactionNameField, WEBHOOK_URL_MAX_LENGTH, WebhookUrlField } from './transaction-fields';

/** Body of `POST /transactions`. */
export class CreateTransactionDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: TRANSACTION_NAME_MAX_LENGTH, example: 'Lease 2024-117', description: 'Label for the client; signatories see it too. No control characters (line breaks, tabs, escape codes)' })
  @TransactionNameField()
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://client.example/hooks/secusign',
    description: 'http or https URL that receives this transaction\'s events',
  })
  @WebhookUrlField()
  webhook_url?: string | null;
}
