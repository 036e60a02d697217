export * from './audit-event.entity';
export * from './audit-trail.service';
export * from './canonical-json';
export * from './domain-event.entity';
export * from './evidence.module';
export * from './export';
