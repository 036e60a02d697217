import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuthenticateToken, signingAuthorizationOf } from '@secusign/authentication';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { maskEmail, maskPhone } from '@secusign/signature';
import { toPageBranding } from './branding';
import { toPageLanguage } from './i18n/translations';
import { decidePageKind, InitialStep, PageModel } from './page-model';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads what the signing page shows for a signatory link. Read-only: it changes no state. */
@Injectable()
export class WorkflowPageService {
  constructor(private readonly em: EntityManager) {}

  /** Returns the page model, or null when the uid is malformed, unknown or deleted. */
  async loadPage(signatoryUid: string): Promise<PageModel | null> {
    if (!UUID_PATTERN.test(signatoryUid)) {
      return null;
    }
    const em = this.em.fork();
    const signatory = await em.findOne(
      Signatory,
      { uid: signatoryUid.toLowerCase(), deletedAt: null },
      { populate: ['transaction', 'transaction.client'] },
    );
    const transaction = signatory?.transaction.getEntity();
    if (!signatory || !transaction || transaction.deletedAt) {
      return null;
    }
    const client = transaction.client.getEntity();
    const kind = decidePageKind(transaction.status, signatory.status);

    return {
      kind,
      language: toPageLanguage(signatory.language),
      branding: toPageBranding(client, client.name),
      signatory: {
        uid: signatory.uid,
        firstname: signatory.firstname,
        lastname: signatory.lastname,
        authentication: signatory.authentication,
        maskedDestination: signatory.authentication === 'sms' ? maskPhone(signatory.phone) : maskEmail(signatory.email),
        status: signatory.status,
        signedAt: signatory.signedAt,
      },
      transaction: { name: transaction.name, status: transaction.status },
      initialStep: kind === 'sign' ? await this.initialStepOf(em, signatory) : 'authentication',
    };
  }

  /**
   * Picks the step the page opens on: signature while a verified code still allows signing,
   * progress once the signatory consented, authentication otherwise. The script then follows
   * the JSON view, so this only spares the signatory a flash of the wrong step.
   */
  private async initialStepOf(em: EntityManager, signatory: Signatory): Promise<InitialStep> {
    if (signatory.status !== SignatoryStatus.Authenticated) {
      return 'authentication';
    }
    const verified = await em.findOne(AuthenticateToken, { signatoryUid: signatory.uid, verifiedAt: { $ne: null } }, { orderBy: { verifiedAt: 'desc' } });

    switch (verified ? signingAuthorizationOf(verified, new Date()) : 'unverified') {
      case 'valid':
        return 'signature';
      case 'consented':
        return 'signing';
      case 'expired':
      case 'unverified':
        return 'authentication';
    }
  }
}
