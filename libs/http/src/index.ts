export * from './pagination';
export * from './request-metadata';
export * from './idempotency.interceptor';
export * from './idempotency.module';
export * from './idempotency.store';
export * from './idempotency.swagger';
