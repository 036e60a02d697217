/** `#RRGGBB`. */
export const PRIMARY_COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

/**
 * Allowed SMS sender IDs: 3–11 alphanumeric characters (ASCII letters, digits and inner spaces)
 * with at least one letter, or a numeric sender of 3–15 digits.
 */
export const SMS_SENDER_PATTERN = /^(?:(?=[A-Za-z0-9 ]{3,11}$)(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?|[0-9]{3,15})$/;

export const SMS_SENDER_MESSAGE =
  'sms_sender must be 3–11 letters, digits or inner spaces with at least one letter, or 3–15 digits';

/** Rejects C0 and C1 control characters (PostgreSQL text cannot store NUL, and none belongs in a label). */
export const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;
