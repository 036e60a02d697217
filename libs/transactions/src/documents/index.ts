export * from './document.errors';
export * from './documents.module';
export * from './documents.service';
