import { Injectable } from '@nestjs/common';
import { PkiService } from '@secusign/signature';

/** How long a generated CRL is served before a new one is signed; its nextUpdate is 7 days out. */
const CRL_REFRESH_MS = 60 * 60 * 1000;

/** Publishes the CA certificates and the issuing CA's CRL, so anyone can check a signatory's chain. */
@Injectable()
export class PkiPublicationService {
  private crl: { der: Buffer; signedAt: number } | null = null;

  constructor(private readonly pki: PkiService) {}

  /** Returns the issuing CA then the root CA certificate, PEM. */
  caBundlePem(): string {
    return this.pki.caBundlePem();
  }

  /**
   * Returns the issuing CA's DER CRL. Signatory certificates live minutes and are never
   * revoked, so the list is empty. It is signed again every hour so `thisUpdate` stays recent.
   */
  async issuingCrl(now = new Date()): Promise<Buffer> {
    if (!this.crl || now.getTime() - this.crl.signedAt > CRL_REFRESH_MS) {
      this.crl = { der: await this.pki.issuingCrl(now), signedAt: now.getTime() };
    }

    return this.crl.der;
  }
}
