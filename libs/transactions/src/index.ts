export * from './document-revision.entity';
export * from './transaction-status';
export * from './transaction.entity';
export * from './transactions.module';
