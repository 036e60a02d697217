export * from './pagination';
export * from './request-metadata';
export * from './request-scope';
