import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EvidenceModule } from '@secusign/evidence';
import { DownloadLinksModule } from '@secusign/downloads';
import { StorageModule } from '@secusign/storage';
import { WebhooksModule } from '@secusign/webhooks';
import { DocumentRevision } from './document-revision.entity';
import { TransactionStatusGuard } from './http/transaction-status.guard';
import { TransactionsController } from './http/transactions.controller';
import { Transaction } from './transaction.entity';
import { TransactionsService } from './transactions.service';

/**
 * Transactions and their status machine. `TransactionSignatories` comes from the global
 * SignatoriesModule, which depends on this module and so cannot be imported here, and
 * `TransactionSendPreparer` from the global WorkflowModule, which prepares documents with the
 * signature engine.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Transaction, DocumentRevision]), EvidenceModule, StorageModule, WebhooksModule, DownloadLinksModule],
  controllers: [TransactionsController],
  providers: [TransactionsService, TransactionStatusGuard],
  exports: [TransactionsService, TransactionStatusGuard],
})
export class TransactionsModule {}
