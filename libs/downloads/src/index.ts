export * from './download-links';
export * from './downloads.module';
export * from './downloads.service';
