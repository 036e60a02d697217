import { Inject, Injectable } from '@nestjs/common';
import { inspectAndNormalize } from './engine/inspect';
import { prepareDocument } from './engine/prepare';
import { signDocument } from './engine/sign';
import { PkiOptions } from './pki/pki.service';
import { NormalizedDocument, PrepareInput, PrepareResult, SignInput, SignResult } from './signature-engine.types';

/** Configuration of `SignatureModule`. */
export interface SignatureEngineOptions {
  pki: PkiOptions;
  /** Path of the qpdf executable used to repair and decrypt uploads; default `qpdf` from PATH. */
  qpdfPath?: string;
  /** Time limit of one qpdf run, in milliseconds; default 30000. */
  qpdfTimeoutMs?: number;
}

export const SIGNATURE_ENGINE_OPTIONS = Symbol('SIGNATURE_ENGINE_OPTIONS');

/** Inspects uploads, prepares documents for their signatories and signs prepared fields. */
@Injectable()
export class SignatureEngineService {
  constructor(@Inject(SIGNATURE_ENGINE_OPTIONS) private readonly options: SignatureEngineOptions) {}

  /** Inspects an upload; rejects unusable files with `DocumentRejectedError` and repairs or decrypts others. */
  inspectAndNormalize(bytes: Buffer): Promise<NormalizedDocument> {
    return inspectAndNormalize(bytes, { qpdfPath: this.options.qpdfPath, qpdfTimeoutMs: this.options.qpdfTimeoutMs });
  }

  /** Appends the prepare revision: certificate page (or invisible widgets) and one empty field per signatory. */
  async prepare(input: PrepareInput): Promise<PrepareResult> {
    return prepareDocument(input);
  }

  /** Appends one signature to a prepared field. */
  sign(input: SignInput): Promise<SignResult> {
    return signDocument(input);
  }
}
