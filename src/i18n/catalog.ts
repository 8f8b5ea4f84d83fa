/**
 * The patron-facing catalogs, one data file per language
 * (src/i18n/catalogs/<tag>.json, ICU MessageFormat), and formatting a message
 * in a language. English is the reference: every other catalog has the same
 * keys and placeholders (a worker test checks it). The server side carries
 * every catalog; the front ends get only the language they show.
 */
import ar from "./catalogs/ar.json";
import en from "./catalogs/en.json";
import es from "./catalogs/es.json";
import fr from "./catalogs/fr.json";
import type { Language } from "./languages";
import { formatMessage, type MessageParams } from "./message-format";
import { escapeHtml } from "../shared/html-escape";

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const CATALOGS: Record<Language, Catalog> = { en, es, fr, ar };

/** Parameters that are people's or places' names: isolated where their text could run into the words around them. */
const NAME_PARAMS: ReadonlySet<string> = new Set(["name", "owner", "to", "from", "patron", "librarian", "reasonName", "library"]);

/** Right-to-left letters (Hebrew, Arabic and their presentation forms). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * Shows a name inside a sentence of plain text: isolated (FSI…PDI) when it or
 * the sentence holds right-to-left letters — the only case where a name and
 * its neighbours can be reordered into each other. Other values as they are.
 */
export function isolateNames(template: string): (name: string, value: string | number) => string {
  return (name, value) => {
    const text = String(value);
    return NAME_PARAMS.has(name) && (RIGHT_TO_LEFT.test(text) || RIGHT_TO_LEFT.test(template)) ? `\u2068${text}\u2069` : text;
  };
}

/** A message of `language`'s catalog, formatted, names isolated (`show` renders values another way, e.g. escaped for HTML). */
export function translate(language: Language, key: MessageKey, params?: MessageParams, show?: (name: string, value: string | number) => string): string {
  const text = CATALOGS[language][key];
  return formatMessage(language, text, params, show ?? isolateNames(text));
}

/** A message as HTML for mails: the text escaped, every value escaped, names in `<bdi>` (cleaned by the caller). */
export function translateHtml(language: Language, key: MessageKey, params?: MessageParams): string {
  return formatMessage(language, escapeHtml(CATALOGS[language][key]), params, (name, value) => (NAME_PARAMS.has(name) ? `<bdi>${escapeHtml(String(value))}</bdi>` : escapeHtml(String(value))));
}

/** The message of `key` when the catalog has one (system lines look up keys built from stored data). */
export function lookupIn(language: Language): (key: string, params?: MessageParams) => string | undefined {
  return (key, params) => (key in CATALOGS[language] ? translate(language, key as MessageKey, params) : undefined);
}

/** `translate` bound to one language. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;
export const translator =
  (language: Language): Translator =>
  (key, params) =>
    translate(language, key, params);

/** What a patron's page needs of a catalog: every message but the mails'. */
export function patronCatalog(language: Language): Partial<Catalog> {
  return Object.fromEntries(Object.entries(CATALOGS[language]).filter(([key]) => !key.startsWith("mail."))) as Partial<Catalog>;
}
