import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DigestSigner, PkiService } from '@secusign/signature';
import type { Signatory } from '@secusign/signatories';
import { IdentityApproval } from '../approvals/identity-approval.entity';
import { SingleUseDigestSigner } from './single-use-signer';

/**
 * Chooses the key that signs for a signatory. `simple` signatures use the platform seal.
 * An `advanced` signature gets a fresh key and a certificate that the issuing CA issues for the
 * signatory: CN "firstname lastname", email in subjectAltName, valid a few minutes around the
 * signing time. The key signs once and is then dropped.
 */
@Injectable()
export class SignerFactory {
  private readonly logger = new Logger(SignerFactory.name);

  constructor(private readonly pki: PkiService) {}

  async signerFor(em: EntityManager, signatory: Signatory, signedAt: Date): Promise<DigestSigner> {
    switch (signatory.signatureLevel) {
      case 'simple':
        return this.pki.sealSigner();
      case 'advanced':
        return this.advancedSigner(em, signatory, signedAt);
    }
  }

  private async advancedSigner(em: EntityManager, signatory: Signatory, signedAt: Date): Promise<DigestSigner> {
    // An advanced certificate names a person, so it is issued only after the signatory's own
    // provider approved them. Reaching this point without an approval would be a bug.
    const approval = signatory.identityProviderUid
      ? await em.findOne(IdentityApproval, { signatoryUid: signatory.uid, identityProviderUid: signatory.identityProviderUid }, { orderBy: { createdAt: 'desc' } })
      : null;
    if (!approval || !signatory.identifiedAt) {
      throw new Error(`Advanced signatory ${signatory.uid} has no identity approval from its provider; no certificate is issued.`);
    }

    const issued = await this.pki.issueSignatoryCertificate({
      firstname: signatory.firstname,
      lastname: signatory.lastname,
      email: signatory.email,
      signingTime: signedAt,
    });
    this.logger.log({ signatory_uid: signatory.uid, approval_uid: approval.uid }, 'signatory certificate issued');

    return new SingleUseDigestSigner(issued.signer, await issued.signer.certificateChain());
  }
}
