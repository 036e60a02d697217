export * from './domain-error';
export * from './problem-details';
export * from './problem.filter';
export * from './validation';
export * from './json-body';
export * from './text-validation';
