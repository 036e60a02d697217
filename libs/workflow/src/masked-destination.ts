import { maskEmail, maskPhone } from '@secusign/signature';
import type { Signatory } from '@secusign/signatories';

/** Returns where the signatory's codes go: phone digits for `sms`, the email address for `email`. */
export function destinationOf(signatory: Pick<Signatory, 'authentication' | 'phone' | 'email'>): string {
  return signatory.authentication === 'sms' ? signatory.phone : signatory.email;
}

/** Returns the destination masked as the page and the audit trail show it: `+33 6•• •• •1 33` or `j•••@example.com`. */
export function maskedDestinationOf(signatory: Pick<Signatory, 'authentication' | 'phone' | 'email'>): string {
  return signatory.authentication === 'sms' ? maskPhone(signatory.phone) : maskEmail(signatory.email);
}
