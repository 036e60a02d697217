import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuthenticationModule } from '@secusign/authentication';
import { AppConfig } from '@secusign/config';
import { EvidenceModule } from '@secusign/evidence';
import { NotificationsModule } from '@secusign/notifications';
import { SignatureModule } from '@secusign/signature';
import { Signatory } from '@secusign/signatories';
import { StorageModule } from '@secusign/storage';
import { DocumentRevision, Transaction, TransactionSendPreparer } from '@secusign/transactions';
import { DocumentSendPreparer } from './sending/document-send-preparer';
import { signatureEngineOptions } from './signature-engine-options';
import { SIGNATURE_QUEUE_OPTIONS } from './signing/signature-job';
import { SignatureQueueMetrics } from './signing/signature-queue-metrics';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

/**
 * The signatory's workflow API and the document preparation at sending. Global because it
 * provides what other modules inject without importing it: the transactions module's
 * `TransactionSendPreparer`, and the signature engine and PKI that the signing worker uses.
 */
/**
 * Registered once when this file loads: @mikro-orm/nestjs clears its entity list on the first
 * registration after an application closes, so a registration made in `forRoot` would drop
 * every other module's entities when tests boot a second application in one process.
 */
const WORKFLOW_ENTITIES = MikroOrmModule.forFeature([Signatory, Transaction, DocumentRevision]);

@Global()
@Module({})
export class WorkflowModule {
  static forRoot(config: AppConfig): DynamicModule {
    const signature = SignatureModule.forRoot(signatureEngineOptions(config));

    return {
      module: WorkflowModule,
      imports: [
        signature,
        WORKFLOW_ENTITIES,
        BullModule.registerQueue(SIGNATURE_QUEUE_OPTIONS),
        AuthenticationModule,
        NotificationsModule,
        EvidenceModule,
        StorageModule,
      ],
      controllers: [WorkflowController],
      providers: [WorkflowService, DocumentSendPreparer, { provide: TransactionSendPreparer, useExisting: DocumentSendPreparer }, SignatureQueueMetrics],
      exports: [signature, AuthenticationModule, TransactionSendPreparer],
    };
  }
}
