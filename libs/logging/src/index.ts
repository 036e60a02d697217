export * from './log-context';
export * from './log-context.interceptor';
