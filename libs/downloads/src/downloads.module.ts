import { Module } from '@nestjs/common';
import { EvidenceExportModule } from '@secusign/evidence-export';
import { DownloadLinks } from './download-links';
import { DownloadsController } from './downloads.controller';
import { DownloadsService } from './downloads.service';

/** Signs download links; imported by the modules that present completed transactions. */
@Module({
  providers: [DownloadLinks],
  exports: [DownloadLinks],
})
export class DownloadLinksModule {}

/** The credential-free `GET /downloads/{token}` route. */
@Module({
  imports: [DownloadLinksModule, EvidenceExportModule],
  controllers: [DownloadsController],
  providers: [DownloadsService],
})
export class DownloadsModule {}
