import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { NoControlCharacters } from '@secusign/errors';

export const TRANSACTION_NAME_MAX_LENGTH = 255;
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * Validation of the optional `name` field, where null clears it. The name goes into e-mails,
 * SMS and the XML evidence, so control characters are rejected as in signatory names.
 */
export function TransactionNameField(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsString(), IsNotEmpty(), MaxLength(TRANSACTION_NAME_MAX_LENGTH), NoControlCharacters());
}

/**
 * Validation of the optional `webhook_url` field, where null clears it. This checks the form only.
 * TransactionsService then checks the addresses the host resolves to with the webhook URL policy.
 */
export function WebhookUrlField(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(WEBHOOK_URL_MAX_LENGTH),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'webhook_url must be an absolute http or https URL' }),
  );
}
