import { formatTimestamp } from '@secusign/database';
import type { Signatory } from './signatory.entity';
import type { SignatoryStatus } from './signatory-status';

/** A signatory as the API returns it. */
export interface SignatoryBody {
  uid: string;
  transaction_uid: string;
  firstname: string;
  lastname: string;
  email: string;
  phone: string;
  language: string;
  authentication: string;
  signature_level: string;
  identity_provider_uid: string | null;
  status: SignatoryStatus;
  identified_at: string | null;
  authenticated_at: string | null;
  signed_at: string | null;
  created_at: string;
  signatory_url: string;
}

/** `{PUBLIC_URL}/{signatory_uid}/workflow/`, the signing page; the contract fixes this form. */
export function signatoryUrl(publicUrl: string, signatoryUid: string): string {
  return `${publicUrl}/${signatoryUid}/workflow/`;
}

export function toSignatoryBody(signatory: Signatory, publicUrl: string): SignatoryBody {
  return {
    uid: signatory.uid,
    transaction_uid: signatory.transaction.unwrap().uid,
    firstname: signatory.firstname,
    lastname: signatory.lastname,
    email: signatory.email,
    phone: signatory.phone,
    language: signatory.language,
    authentication: signatory.authentication,
    signature_level: signatory.signatureLevel,
    identity_provider_uid: signatory.identityProviderUid,
    status: signatory.status,
    identified_at: formatTimestamp(signatory.identifiedAt),
    authenticated_at: formatTimestamp(signatory.authenticatedAt),
    signed_at: formatTimestamp(signatory.signedAt),
    created_at: formatTimestamp(signatory.createdAt),
    signatory_url: signatoryUrl(publicUrl, signatory.uid),
  };
}
