export * from './evidence-content';
export * from './evidence-seal';
export * from './evidence-verifier';
export * from './evidence-xml';
