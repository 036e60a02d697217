import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EvidenceModule } from '@secusign/evidence';
import { TransactionSignatories, TransactionsModule } from '@secusign/transactions';
import { SignatoriesController } from './http/signatories.controller';
import { SignatoriesService } from './signatories.service';
import { SignatoryReader } from './signatory-reader';
import { Signatory } from './signatory.entity';

/**
 * Signatories of transactions. Global so that the transactions module, which this module
 * imports, can still inject `TransactionSignatories` without an import cycle.
 */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([Signatory]), EvidenceModule, TransactionsModule],
  controllers: [SignatoriesController],
  providers: [SignatoriesService, SignatoryReader, { provide: TransactionSignatories, useExisting: SignatoryReader }],
  exports: [SignatoriesService, TransactionSignatories],
})
export class SignatoriesModule {}
