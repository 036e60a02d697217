import type { PageBranding } from './branding';
import type { PageLanguage } from './i18n/translations';

/** Kind of page a signatory's link shows, from the transaction and signatory status. */
export type PageKind = 'sign' | 'not_sent' | 'cancelled' | 'completed' | 'already_signed' | 'identity_pending';

/** Step the interactive page opens on. The script then follows the JSON view. */
export type InitialStep = 'authentication' | 'signature' | 'signing';

export interface PageModel {
  kind: PageKind;
  language: PageLanguage;
  branding: PageBranding;
  signatory: {
    uid: string;
    firstname: string;
    lastname: string;
    authentication: 'sms' | 'email';
    /** Phone or email address with most characters hidden, as shown on the page. */
    maskedDestination: string | null;
    status: string;
    signedAt: Date | null;
  };
  transaction: {
    name: string | null;
    status: string;
  };
  initialStep: InitialStep;
}

/**
 * Decides the page for a link. A cancelled transaction wins over everything, then the
 * signatory's own signature, so someone who signed keeps their download after completion.
 */
export function decidePageKind(transactionStatus: string, signatoryStatus: string): PageKind {
  if (transactionStatus === 'cancel') {
    return 'cancelled';
  }
  if (signatoryStatus === 'signed') {
    return 'already_signed';
  }
  if (transactionStatus === 'completed') {
    return 'completed';
  }
  if (transactionStatus !== 'sent') {
    return 'not_sent';
  }
  if (signatoryStatus === 'created') {
    return 'identity_pending';
  }

  return 'sign';
}
