export * from './log-context';
export * from './log-context.interceptor';
export * from './redact-url';
