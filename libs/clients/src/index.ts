export * from './client.entity';
export * from './clients.module';
