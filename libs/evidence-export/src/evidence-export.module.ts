import { Module } from '@nestjs/common';
import { EvidenceModule, EvidenceSealKey } from '@secusign/evidence';
import { EvidenceBuilder } from './evidence-builder.service';
import { EvidenceController } from './evidence.controller';
import { EvidenceExporter } from './evidence-exporter.service';
import { PlatformEvidenceSealKey } from './platform-evidence-seal-key';

/**
 * The evidence file route. Files are sealed with the platform seal of the signature engine's
 * PKI, which the global WorkflowModule provides. Another `EvidenceSealKey`, such as an HSM,
 * replaces it through this provider's `useExisting`.
 */
@Module({
  imports: [EvidenceModule],
  controllers: [EvidenceController],
  providers: [EvidenceBuilder, EvidenceExporter, PlatformEvidenceSealKey, { provide: EvidenceSealKey, useExisting: PlatformEvidenceSealKey }],
  exports: [EvidenceExporter, EvidenceBuilder],
})
export class EvidenceExportModule {}
