export * from './client.entity';
export * from './client-error';
export * from './clients.module';
export * from './clients.service';
export * from './dto/client.response';
