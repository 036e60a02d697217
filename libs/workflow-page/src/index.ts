export * from './workflow-page.module';
export * from './workflow-page.service';
