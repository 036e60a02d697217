import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DocumentRevision } from './document-revision.entity';
import { Transaction } from './transaction.entity';

@Module({
  imports: [MikroOrmModule.forFeature([Transaction, DocumentRevision])],
})
export class TransactionsModule {}
