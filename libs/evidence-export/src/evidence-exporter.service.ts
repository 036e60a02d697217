import { Injectable } from '@nestjs/common';
import { EvidenceContent, EvidenceSealKey, SealedEvidence, sealEvidence, toEvidenceXml } from '@secusign/evidence';
import { PkiService, SignatureEngineService } from '@secusign/signature';
import { EvidenceBuilder } from './evidence-builder.service';
import { REPORT_SEAL_FIELD, renderEvidenceReport } from './evidence-report';
import { reportLabels } from './evidence-report-labels';

export type EvidenceFormat = 'json' | 'xml' | 'pdf';

/** A rendered evidence file. */
export interface EvidenceFile {
  contentType: string;
  filename: string;
  body: Buffer;
}

/** Renders sealed evidence files: JSON and XML with a detached JWS, PDF with a PAdES signature. */
@Injectable()
export class EvidenceExporter {
  constructor(
    private readonly builder: EvidenceBuilder,
    private readonly sealKey: EvidenceSealKey,
    private readonly engine: SignatureEngineService,
    private readonly pki: PkiService,
  ) {}

  /** Renders the client's evidence file for `transactionUid`; another client's transaction is a 404. */
  async exportForClient(clientUid: string, transactionUid: string, format: EvidenceFormat): Promise<EvidenceFile> {
    return this.render(await this.builder.build(clientUid, transactionUid), format);
  }

  /** Renders the evidence file of `transactionUid` without a tenancy check, for signed download links. */
  async exportUnscoped(transactionUid: string, format: Exclude<EvidenceFormat, 'pdf'>): Promise<EvidenceFile> {
    return this.render(await this.builder.buildUnscoped(transactionUid), format);
  }

  async seal(content: EvidenceContent): Promise<SealedEvidence> {
    return { ...content, seal: await sealEvidence(content, this.sealKey) };
  }

  private async render(content: EvidenceContent, format: EvidenceFormat): Promise<EvidenceFile> {
    const filename = `evidence-${content.transaction.uid}.${format}`;

    if (format === 'pdf') {
      return { contentType: 'application/pdf', filename, body: await this.renderPdf(content) };
    }
    const sealed = await this.seal(content);

    if (format === 'xml') {
      return { contentType: 'application/xml; charset=utf-8', filename, body: Buffer.from(toEvidenceXml(sealed), 'utf8') };
    }

    return { contentType: 'application/json; charset=utf-8', filename, body: Buffer.from(`${JSON.stringify(sealed, null, 2)}\n`, 'utf8') };
  }

  /** Lays out the report in the first signatory's language and seals it with the platform seal (PAdES). */
  private async renderPdf(content: EvidenceContent): Promise<Buffer> {
    const language = content.signatories[0]?.language ?? 'EN';
    const unsigned = await renderEvidenceReport(content, reportLabels(language));
    const signed = await this.engine.sign({
      bytes: unsigned,
      fieldName: REPORT_SEAL_FIELD,
      signer: this.pki.sealSigner(),
      signedAt: new Date(),
      reason: `Evidence of transaction ${content.transaction.uid}, chain ${content.chain.final_hash}`,
      // The seal field is invisible, so the engine draws no appearance from these values.
      appearance: { signerName: 'SecuSign', signatureLevel: 'simple', authentication: 'email', maskedDestination: '', language: reportLanguage(language) },
    });

    return signed.bytes;
  }
}

function reportLanguage(language: string): 'FR' | 'EN' | 'DE' | 'ES' | 'IT' {
  return (['FR', 'EN', 'DE', 'ES', 'IT'] as const).find((known) => known === language.toUpperCase()) ?? 'EN';
}
