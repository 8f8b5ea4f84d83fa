/**
 * A form's own texts in its other languages: the title, the introduction,
 * each field's label and help, a choice field's options, and the
 * not-available message. The form's columns hold them in its default
 * language; a text not given for a language shows in the default language, so
 * no label or option is ever empty. The built-in fields' labels, when the
 * library kept Refdesk's wording, come from the patron's catalog instead.
 * An option's words change with the language, its answer does not: the
 * patron's choice is stored as the default language's option, so librarians
 * and statistics read one set of answers.
 */
import { z } from "zod";
import { ADMIN_TEXT_LIMITS as T } from "./admin-limits";
import { LANGUAGES, type Language } from "../i18n/languages";
import type { FormField } from "./form-layout";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

/** One language's texts. */
export const formTextsSchema = z.object({
  title: optionalText(T.formTitle),
  intro: optionalText(T.formIntro),
  unavailableMessage: optionalText(T.unavailableMessage),
  /** By field id: its label and help, and a choice field's options in the order of the default language's (an empty one shows that one). */
  fields: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/),
      z.object({ label: optionalText(120), help: optionalText(300), options: z.array(z.string().trim().max(120)).max(50).optional() }),
    )
    .optional(),
});
export type FormTexts = z.input<typeof formTextsSchema>;

/** Every language's texts, by language tag. */
export const formTranslationsSchema = z.partialRecord(z.enum(LANGUAGES), formTextsSchema);
export type FormTranslations = z.input<typeof formTranslationsSchema>;

/** The stored translations, or none when the column holds something unexpected. */
export function parseFormTranslations(raw: unknown): FormTranslations {
  const parsed = formTranslationsSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The languages a form offers, valid and at least one, its default first when missing. */
export function offeredLanguages(raw: unknown, fallback: string): Language[] {
  const list = Array.isArray(raw) ? raw.filter((l): l is Language => (LANGUAGES as readonly unknown[]).includes(l)) : [];
  const withDefault = list.length ? list : (LANGUAGES as readonly string[]).includes(fallback) ? [fallback as Language] : ["en" as const];
  return [...new Set(withDefault)];
}

/** Refdesk's own wording of the built-in fields, as the form builder fills them in (English), and the catalog key that says it in other languages. */
const BUILT_IN_WORDING: Record<string, { label: string; key: "form.questionLabel" | "form.nameLabel" | "form.emailLabel" }> = {
  question: { label: "Your question", key: "form.questionLabel" },
  name: { label: "Your name", key: "form.nameLabel" },
  email: { label: "Your e-mail", key: "form.emailLabel" },
};
const BUILT_IN_EMAIL_HELP = "We send the chat transcript to this address. Leave it empty to stay anonymous.";

/** A field in `language`: the library's words for it there, else Refdesk's for a built-in wording, else the default language's. */
export function localizeField(field: FormField, texts: FormTexts | undefined, say: (key: "form.questionLabel" | "form.nameLabel" | "form.emailLabel" | "form.emailHelp") => string): FormField {
  const own = texts?.fields?.[field.id];
  const builtIn = BUILT_IN_WORDING[field.id];
  const label = own?.label ?? (builtIn && field.label === builtIn.label ? say(builtIn.key) : field.label);
  const help = own?.help ?? (field.help === BUILT_IN_EMAIL_HELP ? say("form.emailHelp") : field.help);
  const optionLabels = field.options && own?.options?.some(Boolean) ? field.options.map((option, i) => own.options?.[i] || option) : undefined;
  return { ...field, label, ...(help ? { help } : {}), ...(optionLabels ? { optionLabels } : {}) };
}
