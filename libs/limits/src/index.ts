export * from './auth-failure-limiter';
export * from './limits.module';
export * from './redis-connection';
export * from './redis-throttler-storage';
export * from './workflow-throttler.guard';
