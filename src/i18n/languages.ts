/**
 * The languages patrons can be served in, and choosing one: a form offers
 * some of them and names a default; the patron's browser languages (the
 * `Accept-Language` header, `navigator.languages`) choose among those offered,
 * in the browser's order of preference; `?lang=` overrides both. A region
 * tag counts as its language (es-MX → es); a language the form does not
 * offer is passed over.
 */

/** Every language with a catalog (src/i18n/catalogs/<tag>.json), in the order a form builder lists them. */
export const LANGUAGES = ["en", "es", "fr", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name (what a language switcher shows). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", es: "Español", fr: "Français", ar: "العربية" };

/** Languages written right to left. */
const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(["ar"]);

export const DEFAULT_LANGUAGE: Language = "en";

export function isLanguage(tag: unknown): tag is Language {
  return typeof tag === "string" && (LANGUAGES as readonly string[]).includes(tag);
}

/** The text direction of a language, for `dir`. */
export function directionOf(language: string): "ltr" | "rtl" {
  return RIGHT_TO_LEFT.has(language) ? "rtl" : "ltr";
}

/** The primary language of a tag, lower-cased: "es-MX" → "es". */
function primary(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
}

/**
 * The languages of an `Accept-Language` header, most wanted first (by
 * q-value, then the order given); `q=0` means "not this one".
 */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((item, order) => {
      const [tag = "", ...rest] = item.trim().split(";");
      const q = rest.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      const weight = q === undefined ? 1 : Number(q);
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .map((l) => l.tag);
}

export interface LanguageChoice {
  /** The languages the form offers (at least one). */
  offered: readonly string[];
  /** The form's default: shown when nothing else matches. */
  fallback: string;
  /** `?lang=` (or the switcher's choice): wins when offered. */
  requested?: string | null;
  /** The browser's languages, most wanted first. */
  preferred?: readonly string[];
}

/** The language to show: the requested one if offered, else the browser's first offered language, else the form's default. */
export function chooseLanguage({ offered, fallback, requested, preferred = [] }: LanguageChoice): Language {
  const pick = (tag: string | null | undefined) => {
    const p = tag ? primary(tag) : "";
    return offered.includes(p) && isLanguage(p) ? p : null;
  };
  return pick(requested) ?? preferred.map(pick).find((l) => l !== null) ?? (isLanguage(fallback) ? fallback : DEFAULT_LANGUAGE);
}
