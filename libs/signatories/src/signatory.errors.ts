import { DomainError } from '@secusign/errors';

/** Stable codes of the errors the signatories domain raises; each is the last segment of a problem `type`. */
export enum SignatoryErrorCode {
  /** A transaction has at most 4 signatories. */
  TooManySignatories = 'too_many_signatories',
  /** The `qualified` level is part of the contract but not offered yet. */
  SignatureLevelNotAvailable = 'signature_level_not_available',
  /** An `advanced` signatory must authenticate by SMS; `email` is rejected at that level. */
  AdvancedRequiresSms = 'advanced_requires_sms',
}

const STATUS_OF_CODE: Record<SignatoryErrorCode, number> = {
  [SignatoryErrorCode.TooManySignatories]: 422,
  [SignatoryErrorCode.SignatureLevelNotAvailable]: 422,
  [SignatoryErrorCode.AdvancedRequiresSms]: 422,
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

  static levelNotAvailable(level: string): SignatoryError {
    return new SignatoryError(SignatoryErrorCode.SignatureLevelNotAvailable, `The "${level}" signature level is not available yet; use "simple" or "advanced".`);
  }
}
