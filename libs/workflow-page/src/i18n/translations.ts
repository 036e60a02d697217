import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import it from './it.json';

/** The message catalogue; English defines the keys and every other language must have all of them. */
export type Messages = typeof en;
export type MessageKey = Exclude<keyof Messages, 'locale'>;

export const PAGE_LANGUAGES = ['FR', 'EN', 'DE', 'ES', 'IT'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

// Typing each catalogue as Messages makes a missing key a compile error.
const CATALOGUES: Record<PageLanguage, Messages> = { FR: fr, EN: en, DE: de, ES: es, IT: it };

/** Language of pages that belong to no signatory (an unknown link) when the browser states no preference. */
export const DEFAULT_LANGUAGE: PageLanguage = 'EN';

export function messagesFor(language: PageLanguage): Messages {
  return CATALOGUES[language];
}

/** Maps a stored language (any case) to a page language, or the default for anything unknown. */
export function toPageLanguage(value: string | null | undefined): PageLanguage {
  const upper = (value ?? '').toUpperCase();

  return (PAGE_LANGUAGES as readonly string[]).includes(upper) ? (upper as PageLanguage) : DEFAULT_LANGUAGE;
}

/** Value of the `lang` attribute (BCP 47) for a page language. */
export function htmlLang(language: PageLanguage): string {
  return language.toLowerCase();
}

/**
 * Picks the first supported language of an `Accept-Language` header, by quality then order;
 * used only where no signatory is known.
 */
export function negotiateLanguage(header: string | undefined): PageLanguage {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const quality = parameters.map((parameter) => /^\s*q=([0-9.]+)\s*$/.exec(parameter)).find(Boolean);

      return { primary: tag.split('-')[0].toUpperCase(), quality: quality ? Number(quality[1]) : 1, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((first, second) => second.quality - first.quality || first.index - second.index);
  const match = ranked.find((entry) => (PAGE_LANGUAGES as readonly string[]).includes(entry.primary));

  return match ? (match.primary as PageLanguage) : DEFAULT_LANGUAGE;
}

/** Replaces each `{name}` placeholder with its parameter; the result is plain text, escaped later. */
export function formatMessage(template: string, parameters: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in parameters ? String(parameters[name]) : placeholder));
}

/** A translator bound to one language. */
export interface Translator {
  language: PageLanguage;
  messages: Messages;
  t(key: MessageKey, parameters?: Record<string, string | number>): string;
}

export function translatorFor(language: PageLanguage): Translator {
  const messages = messagesFor(language);

  return { language, messages, t: (key, parameters) => formatMessage(messages[key], parameters) };
}
