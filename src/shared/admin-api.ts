/**
 * Request bodies of the administration API (/api/admin), one schema each. The
 * routes validate with these; the admin client imports only the types.
 */
import { z } from "zod";
import { ADMIN_TEXT_LIMITS as T, CHAT_METHODS, IP_MODES, PASSWORD_RULES, ROLE_ORDER, SETTING_RANGES } from "./admin-limits";
import { brandColorProblem } from "./color";
import { parseEmbedOrigin } from "./embed-origin";
import { formFieldSchema } from "./forms";
import { formTranslationsSchema } from "./form-translations";
import { LANGUAGES } from "../i18n/languages";
import { emailSchema, lineText, slugSchema, text } from "./api";

/** Optional text where an empty string means "none". */
const nullable = (schema: z.ZodType<string>) =>
  schema
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));
const nullableText = (max: number) => nullable(text(max));
const nullableLine = (max: number) => nullable(lineText(max));

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .url("Enter a full web address, e.g. https://www.library.org/faq")
  .refine((u) => /^https?:\/\//i.test(u), "Web addresses must start with https:// or http://");

const brandColor = z.string().superRefine((v, ctx) => {
  const problem = brandColorProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const intIn = (range: { min: number; max: number }, what: string) =>
  z.coerce
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(range.min, `${what} must be at least ${range.min}`)
    .max(range.max, `${what} must be at most ${range.max}`);

export const roleSchema = z.enum(ROLE_ORDER, { message: `Choose one of: ${ROLE_ORDER.join(", ")}` });

// ---- accounts -------------------------------------------------------------------

export const inviteSchema = z.object({
  email: emailSchema,
  displayName: lineText(T.displayName).min(1, "Enter the person's name"),
  role: roleSchema.default("librarian"),
});

export const roleChangeSchema = z.object({ role: roleSchema });

/** Password rules other than the common-password check (src/auth/password-policy.ts). */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_RULES.minChars, `Use at least ${PASSWORD_RULES.minChars} characters`)
  .max(PASSWORD_RULES.maxChars, `Use at most ${PASSWORD_RULES.maxChars} characters`);

export const setPasswordSchema = z
  .object({
    token: z.string().min(20).max(100),
    password: newPasswordSchema,
    confirm: z.string().max(PASSWORD_RULES.maxChars),
  })
  .refine((b) => b.password === b.confirm, { message: "The two passwords do not match", path: ["confirm"] });

export const changePasswordSchema = z
  .object({
    current: z.string().min(1, "Enter your current password").max(PASSWORD_RULES.maxChars),
    password: newPasswordSchema,
    confirm: z.string().max(PASSWORD_RULES.maxChars),
  })
  .refine((b) => b.password === b.confirm, { message: "The two passwords do not match", path: ["confirm"] });

// ---- forms ------------------------------------------------------------------------

const BUILT_IN_KINDS = { question: "textarea", name: "text", email: "email" } as const;

export const adminFormFieldSchema = formFieldSchema.extend({
  // The hosted form posts extra answers as field:<id>, validated as slugs.
  id: slugSchema,
  label: lineText(120).min(1, "Every field needs a label"),
  help: text(300)
    .optional()
    .transform((v) => (v ? v : undefined)),
  options: z.array(lineText(120).min(1)).max(50).optional(),
});

export const formFieldsSchema = z
  .array(adminFormFieldSchema)
  .min(1, "A form needs at least the question field")
  .max(T.formFields, `A form can have at most ${T.formFields} fields`)
  .superRefine((fields, ctx) => {
    const ids = new Set<string>();
    fields.forEach((f, i) => {
      if (ids.has(f.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `Two fields have the id "${f.id}"` });
      ids.add(f.id);
      const builtIn = BUILT_IN_KINDS[f.id as keyof typeof BUILT_IN_KINDS];
      if (builtIn && f.kind !== builtIn) ctx.addIssue({ code: "custom", path: [i, "kind"], message: `The ${f.id} field must be of kind ${builtIn}` });
      if (f.id === "question" && !f.required) ctx.addIssue({ code: "custom", path: [i, "required"], message: "The question field is always required" });
      if (f.kind === "select" && !(f.options && f.options.length > 0)) ctx.addIssue({ code: "custom", path: [i, "options"], message: `"${f.label}" needs at least one option` });
    });
    if (!ids.has("question")) ctx.addIssue({ code: "custom", message: "The question field cannot be removed: every chat starts with the patron's question" });
  });

const formSettingsFields = z.object({
  title: lineText(T.formTitle).min(1, "Give the form a title"),
  intro: nullableText(T.formIntro),
  fields: formFieldsSchema,
  /** The queue the form feeds: its library's own or a group's the library belongs to. */
  queueId: z.string().regex(/^(lib|group):[a-z0-9][a-z0-9-]{0,62}$/, "Choose a queue"),
  chatMethod: z.enum(CHAT_METHODS, { message: "Choose plain chat or chat with viewport" }),
  brandColor: brandColor.nullable().optional().transform((v) => v ?? null),
  enabled: z.boolean().default(true),
  /** The languages offered to patrons; the texts above are in `defaultLanguage`, the others' in `translations`. */
  languages: z
    .array(z.enum(LANGUAGES, { message: `Choose among ${LANGUAGES.join(", ")}` }))
    .min(1, "Offer at least one language")
    .refine((l) => new Set(l).size === l.length, "A language is listed twice")
    .optional(),
  defaultLanguage: z.enum(LANGUAGES, { message: `Choose among ${LANGUAGES.join(", ")}` }).optional(),
  translations: formTranslationsSchema.optional(),
});

/** The default language must be one the form offers (left out, each keeps what the form had: English for a new form). */
const offersDefault = (f: { languages?: string[]; defaultLanguage?: string }) => (f.languages ?? ["en"]).includes(f.defaultLanguage ?? f.languages?.[0] ?? "en");
const DEFAULT_NOT_OFFERED = { message: "The default language must be one of the languages offered", path: ["defaultLanguage"] };

export const formSettingsSchema = formSettingsFields.refine(offersDefault, DEFAULT_NOT_OFFERED);

export const newFormSchema = formSettingsFields
  .extend({
    /** The library whose questions the form files (group forms choose a member library). */
    libraryId: slugSchema.optional(),
  })
  .refine(offersDefault, DEFAULT_NOT_OFFERED);

// ---- library settings -------------------------------------------------------------

const librarySettingsFields = z.object({
    name: lineText(T.libraryName).min(1, "Enter the library's name"),
    contactEmail: z
      .union([emailSchema, z.literal(""), z.null()])
      .optional()
      .transform((v) => (v ? v : null)),
    phone: nullableLine(T.phone),
    websiteUrl: z
      .union([httpUrl, z.literal(""), z.null()])
      .optional()
      .transform((v) => (v ? v : null)),
    timeZone: z
      .string()
      .trim()
      .min(1, "Choose a time zone")
      .refine(isIanaTimeZone, "Not a time zone Refdesk knows: use an IANA name such as America/Chicago or Europe/Berlin"),
    hoursText: nullableText(T.hoursText),
    /** Hours per weekday, Monday first (seven lines, or none): {{hoursToday}} in scripts. */
    hoursByWeekday: z
      .array(lineText(T.dayHours))
      .refine((days) => days.length === 0 || days.length === 7, "Give the hours of all seven days, or none")
      .transform((days) => (days.every((d) => d === "") ? [] : days)),
    unavailableMessage: nullableText(T.unavailableMessage),
    fallbackLinks: z
      .array(z.object({ label: lineText(T.linkLabel).min(1, "Every link needs a label"), url: httpUrl }))
      .max(T.fallbackLinks, `At most ${T.fallbackLinks} links`),
    brandColor,
    rolloverSeconds: intIn(SETTING_RANGES.rolloverSeconds, "Roll-over time"),
    waitLimitSeconds: intIn(SETTING_RANGES.waitLimitSeconds, "Wait limit"),
    idleEndMinutes: intIn(SETTING_RANGES.idleEndMinutes, "Idle chats end after"),
    retentionDays: intIn(SETTING_RANGES.retentionDays, "Retention period"),
    ipMode: z.enum(IP_MODES, { message: "Choose truncated or none" }),
    /** Whether files (images, PDFs) may be sent in the library's chats. */
    filesAllowed: z.boolean(),
    mailSenderName: nullableLine(T.mailSenderName),
    transcriptTemplate: nullableText(T.transcriptTemplate),
    allowedOrigins: z
      .array(z.string().max(300))
      .max(T.allowedOrigins, `At most ${T.allowedOrigins} sites`)
      .transform((list, ctx) => {
        const out: string[] = [];
        list.forEach((raw, i) => {
          const parsed = parseEmbedOrigin(raw);
          if (!parsed.ok) ctx.addIssue({ code: "custom", path: [i], message: parsed.message });
          else if (!out.includes(parsed.origin)) out.push(parsed.origin);
        });
        return out;
      }),
  });

export const librarySettingsSchema = librarySettingsFields.partial().refine((b) => Object.keys(b).length > 0, "Send at least one setting to change");

// ---- service administration ---------------------------------------------------------

/** A new library: its id (in its form and queue addresses, never changed), name, time zone, contacts and fallback help. */
export const newLibrarySchema = librarySettingsFields
  .pick({ name: true, timeZone: true, contactEmail: true, phone: true, websiteUrl: true, hoursText: true, unavailableMessage: true })
  .extend({
    id: slugSchema,
    fallbackLinks: librarySettingsFields.shape.fallbackLinks.default([]),
  });

/** A new group (cooperative): its id and name. */
export const newGroupSchema = z.object({
  id: slugSchema,
  name: lineText(T.libraryName).min(1, "Enter the group's name"),
});

/** A library to add to a group. */
export const groupMemberSchema = z.object({ libraryId: slugSchema });

/** A mail in the outbox, by the event that caused it. */
export const mailActionSchema = z.object({ eventKey: z.string().min(1).max(200) });

/** True when the runtime's Intl knows `zone` as a time zone. */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
