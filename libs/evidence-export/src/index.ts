export * from './evidence-builder.service';
export * from './evidence-export.module';
export * from './evidence-exporter.service';
export * from './evidence.controller';
export * from './platform-evidence-seal-key';
