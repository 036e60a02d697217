/** Masking of authentication destinations for display in signed blocks. */

const BULLET = '•';

/** Country calling codes of one or two digits; every other assigned code has three. */
const SHORT_CALLING_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47',
  '48', '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

function callingCodeLength(digits: string): number {
  if (SHORT_CALLING_CODES.has(digits.slice(0, 1))) {
    return 1;
  }
  return SHORT_CALLING_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

/** Groups digits in pairs from the right; a single leading digit joins the first pair. */
function groupInPairs(characters: string[]): string {
  const groups: string[] = [];
  let end = characters.length;
  while (end > 0) {
    const start = end - 3 === 0 ? 0 : Math.max(0, end - 2);
    groups.unshift(characters.slice(start, end).join(''));
    end = start;
  }
  return groups.join(' ');
}

/**
 * Masks an E.164 phone number (digits, with or without a leading `+`) for display, keeping the
 * country calling code, the first national digit and the last 3 digits:
 * `33651836133` becomes `+33 6•• •• •1 33`. Shorter national numbers reveal less: only the last
 * 2 digits from 4 to 6 national digits, none below 4. Throws on input that is not 4 to 15 digits;
 * the message never contains the number.
 */
export function maskPhone(e164Digits: string): string {
  const digits = e164Digits.trim().replace(/^\+/, '');
  if (!/^\d{4,15}$/.test(digits)) {
    throw new Error('Invalid phone number: expected an E.164 number of 4 to 15 digits, with an optional leading +');
  }
  const codeLength = callingCodeLength(digits);
  const national = Array.from(digits.slice(codeLength));

  let revealFirst = 0;
  let revealLast = 0;
  if (national.length >= 7) {
    revealFirst = 1;
    revealLast = 3;
  } else if (national.length >= 4) {
    revealLast = 2;
  }
  const masked = national.map((digit, i) => (i < revealFirst || i >= national.length - revealLast ? digit : BULLET));
  return `+${digits.slice(0, codeLength)} ${groupInPairs(masked)}`;
}

/**
 * Masks an email address for display: the first character of the local part stays, the rest
 * becomes three bullets whatever its length, and the domain stays (`j•••@example.com`). A local
 * part of one character is masked whole. Throws on input that is not `local@domain`; the
 * message never contains the address.
 */
export function maskEmail(email: string): string {
  const address = email.trim();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || !domain || /[\s@]/.test(domain) || /\s/.test(local)) {
    throw new Error('Invalid email address: expected local-part@domain without spaces');
  }
  const characters = Array.from(local);
  const visible = characters.length > 1 ? characters[0] : '';
  return `${visible}${BULLET.repeat(3)}@${domain}`;
}
