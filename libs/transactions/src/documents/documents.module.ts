import { Global, Module } from '@nestjs/common';
import { EvidenceModule } from '@secusign/evidence';
import { StorageModule } from '@secusign/storage';
import { MultipartTransactionCreator } from '../multipart-transaction-creator';
import { TransactionsModule } from '../transactions.module';
import { DocumentInspector } from './document-inspector';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';

/**
 * Document upload and download routes. Global so that TransactionsController, which this
 * module depends on through TransactionsService, can inject the MultipartTransactionCreator
 * without a circular import.
 */
@Global()
@Module({
  imports: [TransactionsModule, EvidenceModule, StorageModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentInspector, { provide: MultipartTransactionCreator, useExisting: DocumentsService }],
  exports: [DocumentsService, MultipartTransactionCreator],
})
export class DocumentsModule {}
