import de from './i18n/de.json';
import en from './i18n/en.json';
import es from './i18n/es.json';
import fr from './i18n/fr.json';
import it from './i18n/it.json';

export type MessageLanguage = 'FR' | 'EN' | 'DE' | 'ES' | 'IT';

type Catalog = typeof en;

const CATALOGS: Record<MessageLanguage, Catalog> = { FR: fr, EN: en, DE: de, ES: es, IT: it };

export interface OtpMessageInput {
  language: MessageLanguage;
  code: string;
  /** Sender name shown to the signatory: the client's display name. */
  senderName: string;
  firstname: string;
  lastname: string;
  /** Transaction or document name; null reads as "your document" in the signatory's language. */
  documentName: string | null;
  /** Lifetime of the code, in whole minutes. */
  validityMinutes: number;
}

/** Text of the SMS that carries a one-time code, in the signatory's language. */
export function otpSmsText(input: OtpMessageInput): string {
  return interpolate(CATALOGS[input.language].otp_sms, variablesOf(input));
}

/** Subject and body of the email that carries a one-time code, in the signatory's language. */
export function otpEmailText(input: OtpMessageInput): { subject: string; text: string } {
  const catalog = CATALOGS[input.language];
  const variables = variablesOf(input);

  return { subject: interpolate(catalog.otp_email_subject, variables), text: interpolate(catalog.otp_email_body, variables) };
}

function variablesOf(input: OtpMessageInput): Record<string, string> {
  return {
    code: input.code,
    sender: input.senderName,
    firstname: input.firstname,
    lastname: input.lastname,
    document: input.documentName ?? CATALOGS[input.language].untitled_document,
    minutes: String(input.validityMinutes),
  };
}

/** Replaces each `{name}` with its value; unknown names stay as they are. */
function interpolate(template: string, variables: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => variables[name] ?? placeholder);
}
