import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { toPageBranding } from './branding';
import { toPageLanguage } from './i18n/translations';
import { decidePageKind, InitialStep, maskEmail, maskPhone, PageModel } from './page-model';

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
      initialStep: initialStepOf(signatory.status),
    };
  }
}

// An `authenticated` signatory may still hold a valid code confirmation, so the page opens on
// the signature step; the script moves back to authentication when the JSON view says it expired.
function initialStepOf(status: SignatoryStatus): InitialStep {
  return status === SignatoryStatus.Authenticated ? 'signature' : 'authentication';
}
