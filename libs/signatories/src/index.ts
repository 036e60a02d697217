export * from './signatory-status';
export * from './signatory.entity';
export * from './signatories.module';
