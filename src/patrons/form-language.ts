/**
 * A form in the patron's language: which of the form's languages to show
 * (src/i18n/languages.ts chooses), and the form's texts in it — the library's
 * own words for that language where given, its default language's otherwise,
 * Refdesk's catalog for everything Refdesk itself says.
 */
import { translate, translator, type Translator } from "../i18n/catalog";
import { chooseLanguage, directionOf, LANGUAGE_NAMES, type Language } from "../i18n/languages";
import type { Alternatives } from "../shared/api";
import { localizeField, offeredLanguages, parseFormTranslations } from "../shared/form-translations";
import { patronFields, questionField, type FormField } from "../shared/forms";
import type { forms, libraries } from "../db/schema";

type FormRow = typeof forms.$inferSelect;
type LibraryRow = typeof libraries.$inferSelect;

/** The languages a form offers and its default. */
export function formLanguages(form: Pick<FormRow, "languages" | "defaultLanguage">): { offered: Language[]; fallback: Language } {
  const offered = offeredLanguages(form.languages, form.defaultLanguage);
  const fallback = offered.find((l) => l === form.defaultLanguage) ?? offered[0]!;
  return { offered, fallback };
}

/** The language to serve a patron in: `requested` (`?lang=`) when the form offers it, else the browser's preference among the offered, else the form's default. */
export function languageFor(form: Pick<FormRow, "languages" | "defaultLanguage">, requested: string | null | undefined, preferred: readonly string[]): Language {
  return chooseLanguage({ ...formLanguages(form), requested, preferred });
}

/** What a language switcher offers: each language's tag and own name. */
export function languageOptions(form: Pick<FormRow, "languages" | "defaultLanguage">): { tag: Language; name: string }[] {
  return formLanguages(form).offered.map((tag) => ({ tag, name: LANGUAGE_NAMES[tag] }));
}

export interface LocalizedForm {
  language: Language;
  dir: "ltr" | "rtl";
  t: Translator;
  title: string;
  intro: string | null;
  /** The question field as worded in this language. */
  question: FormField;
  /** Every other field, in order. */
  fields: FormField[];
  /** The library's not-available message, or null for Refdesk's own. */
  unavailableMessage: string | null;
}

/** The form's texts in `language`, each falling back to the default language's. */
export function localizeForm({ form, library }: { form: FormRow; library: LibraryRow }, language: Language): LocalizedForm {
  const texts = language === formLanguages(form).fallback ? undefined : parseFormTranslations(form.translations)[language];
  const t = translator(language);
  const say = (key: Parameters<typeof t>[0]) => t(key);
  return {
    language,
    dir: directionOf(language),
    t,
    title: texts?.title ?? form.title,
    intro: texts?.intro ?? form.intro,
    question: localizeField(questionField(form.fields), texts, say),
    fields: patronFields(form.fields).map((f) => localizeField(f, texts, say)),
    unavailableMessage: texts?.unavailableMessage ?? library.unavailableMessage,
  };
}

/** The library's ways to get help, its message in `language` (the form's words for it, else the library's, else Refdesk's). */
export function alternativesIn(library: LibraryRow, language: Language, formMessage?: string | null): Alternatives {
  return {
    message: formMessage ?? library.unavailableMessage ?? translate(language, "alternatives.message", { library: library.name }),
    email: library.contactEmail,
    phone: library.phone,
    hours: library.hoursText,
    links: library.fallbackLinks,
  };
}
