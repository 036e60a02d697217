import { Module } from '@nestjs/common';
import { EvidenceModule, EvidenceSealKey } from '@secusign/evidence';
import { EvidenceBuilder } from './evidence-builder.service';
import { EvidenceController } from './evidence.controller';
import { EvidenceExporter } from './evidence-exporter.service';
import { LocalEvidenceSealKey } from './local-evidence-seal-key';

/**
 * The evidence file route. The seal key is the local one until the signature engine's PKI
 * provides the platform seal; switching is this provider's `useExisting`.
 */
@Module({
  imports: [EvidenceModule],
  controllers: [EvidenceController],
  providers: [EvidenceBuilder, EvidenceExporter, LocalEvidenceSealKey, { provide: EvidenceSealKey, useExisting: LocalEvidenceSealKey }],
  exports: [EvidenceExporter, EvidenceBuilder],
})
export class EvidenceExportModule {}
