export * from './document-storage';
export * from './filesystem-document-storage';
export * from './storage-key';
export * from './storage.module';
