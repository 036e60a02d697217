import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuthenticationModule } from '@secusign/authentication';
import { EvidenceModule } from '@secusign/evidence';
import { Signatory } from '@secusign/signatories';
import { StorageModule } from '@secusign/storage';
import { DocumentRevision, Transaction } from '@secusign/transactions';
import { SignatureApplier } from './signature-applier.service';
import { SignatureApplyProcessor } from './signature-apply.processor';
import { SIGNATURE_QUEUE_OPTIONS } from './signature-job';

/**
 * The `signature.apply` processor, for worker processes. The engine and the PKI come from
 * the global WorkflowModule and the signers from the global IdentityProvidersModule, which every
 * process loads.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Signatory, Transaction, DocumentRevision]),
    BullModule.registerQueue(SIGNATURE_QUEUE_OPTIONS),
    AuthenticationModule,
    EvidenceModule,
    StorageModule,
  ],
  providers: [SignatureApplier, SignatureApplyProcessor],
})
export class SigningModule {}
