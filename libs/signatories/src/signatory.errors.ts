import { DomainError } from '@secusign/errors';

/** Stable codes of the errors the signatories domain raises; each is the last segment of a problem `type`. */
export enum SignatoryErrorCode {
  /** A transaction has at most 4 signatories. */
  TooManySignatories = 'too_many_signatories',
  /** The `qualified` level is part of the contract but not offered yet. */
  SignatureLevelNotAvailable = 'signature_level_not_available',
  /** An `advanced` signatory must authenticate by SMS; `email` is rejected at that level. */
  AdvancedRequiresSms = 'advanced_requires_sms',
  /** A name contains characters that the signature-certificate page cannot draw. */
  NameNotRenderable = 'name_not_renderable',
}

const STATUS_OF_CODE: Record<SignatoryErrorCode, number> = {
  [SignatoryErrorCode.TooManySignatories]: 422,
  [SignatoryErrorCode.SignatureLevelNotAvailable]: 422,
  [SignatoryErrorCode.AdvancedRequiresSms]: 422,
  [SignatoryErrorCode.NameNotRenderable]: 422,
};

export class SignatoryError extends DomainError {
  readonly status: number;

  constructor(code: SignatoryErrorCode, message: string, extensions?: Record<string, unknown>) {
    super(code, message, undefined, extensions);
    this.status = STATUS_OF_CODE[code];
  }

  static tooMany(max: number): SignatoryError {
    return new SignatoryError(SignatoryErrorCode.TooManySignatories, `The transaction already has ${max} signatories, the maximum; remove one before adding another.`, {
      max_signatories: max,
    });
  }

  static advancedRequiresSms(authentication: string): SignatoryError {
    return new SignatoryError(
      SignatoryErrorCode.AdvancedRequiresSms,
      `An advanced signatory must authenticate by SMS, not by ${authentication}; set authentication to "sms".`,
    );
  }

  /**
   * Rejects names with characters that generated PDFs would draw as `?`. `characters` maps each
   * field to its characters in the `U+XXXX "c"` form, and `supportedScripts` names what can be drawn.
   */
  static nameNotRenderable(characters: Record<string, string>, supportedScripts: string): SignatoryError {
    const problems = Object.entries(characters).map(([field, list]) => `${field} contains ${list}`);
    return new SignatoryError(
      SignatoryErrorCode.NameNotRenderable,
      `The signature certificate cannot draw these characters: ${problems.join('; ')}. Supported scripts: ${supportedScripts}; write the name in one of them.`,
      { unrenderable_characters: characters },
    );
  }

  static levelNotAvailable(level: string): SignatoryError {
    return new SignatoryError(SignatoryErrorCode.SignatureLevelNotAvailable, `The "${level}" signature level is not available yet; use "simple" or "advanced".`);
  }
}
