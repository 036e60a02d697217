/**
 * Contract between the signature engine and its callers (the transactions module at upload,
 * the workflow at sending and signing, the evidence module for its sealed PDF report).
 */

export type SignatureLevel = 'simple' | 'advanced';
export type AuthenticationMethod = 'sms' | 'email';
export type SignatoryLanguage = 'FR' | 'EN' | 'DE' | 'ES' | 'IT';

/** Reason an upload is rejected. Each code maps to its own problem type and message. */
export enum DocumentRejectionReason {
  Empty = 'empty',
  NotPdf = 'not_pdf',
  Damaged = 'damaged',
  PasswordProtected = 'password_protected',
  CertifiedNoChanges = 'certified_no_changes',
}

export class DocumentRejectedError extends Error {
  constructor(
    readonly reason: DocumentRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentRejectedError';
  }
}

/** Result of inspecting an upload; `normalization` names what was rewritten before storing it. */
export interface DocumentInspection {
  pages: number;
  pdfVersion: string;
  /** Signatures already present in the upload. */
  existingSignatures: number;
  /** DocMDP permission of a certification signature (1 no changes, 2 form filling, 3 annotations), or null. */
  certificationPermission: 1 | 2 | 3 | null;
  formFields: number;
  hasJavaScript: boolean;
  /** The upload was encrypted with an empty user password. */
  encrypted: boolean;
  /** `none`: stored as received; `repaired`: cross-reference rebuilt; `decrypted`: empty-password encryption removed. */
  normalization: 'none' | 'repaired' | 'decrypted';
}

/** Output of `inspectAndNormalize`: the bytes to store and what was found. */
export interface NormalizedDocument {
  bytes: Buffer;
  sha256: string;
  /** SHA-256 of the bytes as uploaded; equal to `sha256` when `normalization` is `none`. */
  originalSha256: string;
  inspection: DocumentInspection;
}

export interface PrepareSignatory {
  /** Signature field name, unique in the document. */
  fieldName: string;
  firstname: string;
  lastname: string;
  signatureLevel: SignatureLevel;
  authentication: AuthenticationMethod;
  language: SignatoryLanguage;
}

export interface PrepareInput {
  bytes: Buffer;
  documentName: string;
  /** SHA-256 of the uploaded file, printed on the certificate page. */
  documentSha256: string;
  transactionUid: string;
  signatories: PrepareSignatory[];
}

export interface PrepareResult {
  bytes: Buffer;
  certificatePage: 'appended' | 'in_evidence';
  fieldNames: string[];
}

/** Values drawn in a signed block; the engine fills in certificate subject and serial itself. */
export interface SignAppearance {
  signerName: string;
  signatureLevel: SignatureLevel;
  authentication: AuthenticationMethod;
  /** Already masked, e.g. `+33 6•• •• •1 33` or `j•••@example.com`. */
  maskedDestination: string;
  language: SignatoryLanguage;
}

/** Key that signs a SHA-256 digest; an HSM or KMS implements this. */
export interface DigestSigner {
  /** DER X.509 certificates: the signer first, then its issuers up to (and including) the root. */
  certificateChain(): Promise<Buffer[]>;
  /** RSA PKCS#1 v1.5 or ECDSA (DER-encoded Ecdsa-Sig-Value) signature over the DER signed attributes' SHA-256 digest. */
  signDigest(digest: Buffer): Promise<Buffer>;
  /** `rsa` or `ec`: chooses the CMS signature algorithm. */
  readonly keyType: 'rsa' | 'ec';
}

export interface SignInput {
  /** The latest revision (prepared or already signed). */
  bytes: Buffer;
  fieldName: string;
  signer: DigestSigner;
  signedAt: Date;
  appearance: SignAppearance;
  reason?: string;
  /**
   * SHA-256 state of exactly `bytes`, from `computeRevisionHashState` or `extendRevisionHashState`,
   * kept when the revision was stored. The step then hashes only the bytes it appends. It checks
   * only the state's length and last `length % 64` bytes against `bytes`, so a state of other
   * bytes would yield a signature over the wrong digest. Without it the step hashes all of `bytes`.
   */
  inputHashState?: Buffer;
}

/**
 * Output of one signature step. The signed revision is the input followed by `appended`, and the
 * step never copies the input: write `chunks()` (e.g. `Readable.from(result.chunks())`) rather
 * than `bytes` to store it without a copy. The result refers to the input buffer, which must stay
 * unchanged while the result is in use.
 */
export interface SignResult {
  /** Bytes after the input: the incremental update carrying the signature. */
  readonly appended: Buffer;
  /** Length of the signed revision in bytes. */
  readonly size: number;
  /**
   * The signed revision as `[input, appended]`. The first chunk is the caller's input buffer
   * itself, not a copy, so the caller must not modify it while the chunks are in use.
   */
  chunks(): Buffer[];
  /** The whole signed revision, concatenated on first access and cached, which costs one copy of the input. */
  readonly bytes: Buffer;
  sha256Before: string;
  sha256After: string;
  certificateSerial: string;
  certificateSubject: string;
}
