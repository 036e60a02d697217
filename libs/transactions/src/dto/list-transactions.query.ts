import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PageQuery } from '@secusign/http';
import { TransactionStatus } from '../transaction-status';

/** Query of `GET /transactions`. */
export class ListTransactionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TransactionStatus, example: 'sent', description: 'Only transactions in this status' })
  @IsOptional()
  @IsEnum(TransactionStatus, { message: 'status must be one of created, sent, completed, cancel' })
  status?: TransactionStatus;
}
