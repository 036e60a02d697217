export * from './signature-engine.types';
export { SignatureModule } from './signature.module';
export { SignatureEngineService, SIGNATURE_ENGINE_OPTIONS } from './signature-engine.service';
export type { SignatureEngineOptions } from './signature-engine.service';
export { PkiService } from './pki/pki.service';
export type {
  PkiOptions,
  PkiProductionFiles,
  SignatoryCertificate,
  SignatoryCertificateRequest,
} from './pki/pki.service';
export { KeyObjectDigestSigner } from './cms/key-object-signer';
export { inspectAndNormalize } from './engine/inspect';
export type { InspectOptions } from './engine/inspect';
export { prepareDocument, PrepareError, MAX_SIGNATORIES } from './engine/prepare';
export { signDocument, SignFieldError, CONTENTS_BYTES } from './engine/sign';
export {
  computeRevisionHashState,
  extendRevisionHashState,
  hashStateDigestHex,
  hashStateLength,
  RevisionHashStateError,
} from './engine/revision-hash-state';
export { maskEmail, maskPhone } from './appearance/masking';
export { describeCharacters, findUnrenderableCharacters, SUPPORTED_SCRIPTS_DESCRIPTION, TextPainter } from './fonts';
