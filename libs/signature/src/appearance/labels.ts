import { SignatoryLanguage } from '../signature-engine.types';
import de from './i18n/de.json';
import en from './i18n/en.json';
import es from './i18n/es.json';
import fr from './i18n/fr.json';
import it from './i18n/it.json';

/** Texts of the certificate page and the signature blocks in one language; `{name}` marks a placeholder. */
export type Labels = typeof en;

export const LABELS: Record<SignatoryLanguage, Labels> = { EN: en, FR: fr, DE: de, ES: es, IT: it };

export function labelsFor(language: SignatoryLanguage): Labels {
  const labels = LABELS[language];
  if (!labels) {
    throw new Error(`No labels for language '${language}': expected one of ${Object.keys(LABELS).join(', ')}`);
  }
  return labels;
}

/** Replaces each `{name}` in a label with its value; a placeholder without a value is left as is. */
export function formatLabel(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
