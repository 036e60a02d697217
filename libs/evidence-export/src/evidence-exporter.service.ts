import { Injectable } from '@nestjs/common';
import { EvidenceContent, EvidenceSealKey, SealedEvidence, sealEvidence, toEvidenceXml } from '@secusign/evidence';
import { EvidenceBuilder } from './evidence-builder.service';

export type EvidenceFormat = 'json' | 'xml' | 'pdf';

/** A rendered evidence file. */
export interface EvidenceFile {
  contentType: string;
  filename: string;
  body: Buffer;
}

/** Renders sealed evidence files in JSON and XML. */
@Injectable()
export class EvidenceExporter {
  constructor(
    private readonly builder: EvidenceBuilder,
    private readonly sealKey: EvidenceSealKey,
  ) {}

  /** The client's evidence file for `transactionUid`; 404 for another client's transaction. */
  async exportForClient(clientUid: string, transactionUid: string, format: Exclude<EvidenceFormat, 'pdf'>): Promise<EvidenceFile> {
    return this.render(await this.builder.build(clientUid, transactionUid), format);
  }

  /** The evidence file of `transactionUid` without a tenancy check, for signed download links. */
  async exportUnscoped(transactionUid: string, format: Exclude<EvidenceFormat, 'pdf'>): Promise<EvidenceFile> {
    return this.render(await this.builder.buildUnscoped(transactionUid), format);
  }

  async seal(content: EvidenceContent): Promise<SealedEvidence> {
    return { ...content, seal: await sealEvidence(content, this.sealKey) };
  }

  private async render(content: EvidenceContent, format: Exclude<EvidenceFormat, 'pdf'>): Promise<EvidenceFile> {
    const sealed = await this.seal(content);
    const filename = `evidence-${content.transaction.uid}.${format}`;

    if (format === 'xml') {
      return { contentType: 'application/xml; charset=utf-8', filename, body: Buffer.from(toEvidenceXml(sealed), 'utf8') };
    }

    return { contentType: 'application/json; charset=utf-8', filename, body: Buffer.from(`${JSON.stringify(sealed, null, 2)}\n`, 'utf8') };
  }
}
