import type { JWK } from 'jose';

/**
 * The content of an evidence file, as JSON. The XML form carries the same members under
 * `evidence.xsd`; both are sealed over the canonical JSON of everything but `seal`.
 * Every member is present; absent values are null, so the XML form round-trips exactly.
 */
export interface EvidenceContent {
  format: typeof EVIDENCE_FORMAT;
  version: 1;
  generated_at: string;
  transaction: EvidenceTransaction;
  document: EvidenceDocument | null;
  signatories: EvidenceSignatory[];
  chain: EvidenceChain;
  events: EvidenceEvent[];
}

export const EVIDENCE_FORMAT = 'secusign-evidence';

export interface EvidenceTransaction {
  uid: string;
  status: string;
  name: string | null;
  created_at: string;
  sent_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
}

export interface EvidenceDocument {
  filename: string | null;
  size: number | null;
  pages: number | null;
  /** SHA-256 of the stored document, after normalization. */
  sha256: string | null;
  /** SHA-256 of the bytes as uploaded; differs from `sha256` when the upload was repaired or decrypted. */
  original_sha256: string | null;
  normalization: string | null;
  certificate_page: string | null;
  revisions: EvidenceRevision[];
}

export interface EvidenceRevision {
  sequence: number;
  kind: string;
  signatory_uid: string | null;
  sha256: string;
  size: number;
  created_at: string;
}

export interface EvidenceSignatory {
  uid: string;
  position: number;
  firstname: string;
  lastname: string;
  email: string;
  /** Masked: country code, first national digit and last digits only. */
  phone: string;
  language: string;
  authentication: string;
  signature_level: string;
  status: string;
  identified_at: string | null;
  authenticated_at: string | null;
  signed_at: string | null;
}

export interface EvidenceChain {
  algorithm: 'SHA-256';
  /** Serialization of each event before hashing. */
  canonicalization: typeof CHAIN_CANONICALIZATION;
  genesis_hash: string;
  event_count: number;
  /** Hash of the last event, or the genesis hash when there is none. */
  final_hash: string;
}

export const CHAIN_CANONICALIZATION = 'JSON of the event without "hash", object keys sorted, no whitespace';

/** One audit event: the members covered by its hash, then the hash. */
export interface EvidenceEvent {
  transaction_uid: string;
  sequence: number;
  type: string;
  actor_type: string;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
  created_at: string;
  previous_hash: string;
  hash: string;
}

/** Detached JWS over the canonical JSON of the content (RFC 7515, appendix F). */
export interface EvidenceSeal {
  alg: string;
  kid: string;
  /** Public key that verifies `signature`. */
  jwk: JWK;
  /** Compact JWS with an empty payload: `<protected header>..<signature>`. */
  signature: string;
}

export interface SealedEvidence extends EvidenceContent {
  seal: EvidenceSeal;
}
