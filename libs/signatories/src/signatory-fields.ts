import { hasControlCharacter } from '@secusign/errors';
import { SignatoryStatus } from './signatory-status';
import type { AuthenticationMethod, SignatoryLanguage, SignatureLevel } from './signatory.entity';

export const SIGNATORY_LANGUAGES: readonly SignatoryLanguage[] = ['FR', 'EN', 'DE', 'ES', 'IT'];
export const AUTHENTICATION_METHODS: readonly AuthenticationMethod[] = ['sms', 'email'];
/** Levels a request may name; `qualified` is accepted by validation and then rejected with a 422. */
export const REQUESTED_SIGNATURE_LEVELS = ['simple', 'advanced', 'qualified'] as const;
export type RequestedSignatureLevel = (typeof REQUESTED_SIGNATURE_LEVELS)[number];

export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

/** E.164: a country code that does not start with 0, then up to 15 digits in all; the `+` is optional. */
export const E164_PATTERN = /^\+?[1-9]\d{7,14}$/;

/**
 * Returns why `value` is not an acceptable first or last name, or null when it is. Names are
 * kept exactly as sent (no trimming or Unicode normalization), so any script is accepted.
 */
export function personNameProblem(value: unknown): string | null {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (value.trim() === '') {
    return 'must not be empty or only whitespace';
  }
  if (hasControlCharacter(value)) {
    return 'must not contain control characters';
  }
  // Counted in code points, so a name in a script outside the Basic Multilingual Plane is not penalized.
  if ([...value].length > NAME_MAX_LENGTH) {
    return `must be at most ${NAME_MAX_LENGTH} characters long`;
  }

  return null;
}

/** Stores a validated E.164 number as digits only. */
export function normalizePhone(phone: string): string {
  return phone.startsWith('+') ? phone.slice(1) : phone;
}

/** A simple signatory is identified as soon as it exists; an advanced one waits for its identity provider. */
export function initialStatusOf(level: SignatureLevel): SignatoryStatus {
  return level === 'simple' ? SignatoryStatus.Identified : SignatoryStatus.Created;
}
