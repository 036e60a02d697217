import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuditEvent } from './audit-event.entity';
import { AuditTrail } from './audit-trail.service';
import { DomainEvent } from './domain-event.entity';

@Module({
  imports: [MikroOrmModule.forFeature([AuditEvent, DomainEvent])],
  providers: [AuditTrail],
  exports: [AuditTrail],
})
export class EvidenceModule {}
