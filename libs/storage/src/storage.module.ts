import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { DocumentStorage } from './document-storage';
import { FilesystemDocumentStorage } from './filesystem-document-storage';

/** Provides DocumentStorage to every module: a FilesystemDocumentStorage under `STORAGE_DIR`. */
@Global()
@Module({
  providers: [{ provide: DocumentStorage, inject: [AppConfig], useFactory: (config: AppConfig) => new FilesystemDocumentStorage(config.storageDir) }],
  exports: [DocumentStorage],
})
export class StorageModule {}
