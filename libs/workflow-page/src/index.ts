export * from './workflow-page.module';
