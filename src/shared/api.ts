/**
 * Request bodies of the public HTTP API, one schema each. The routes validate
 * with these; docs/protocol.md is generated from them; clients import the types.
 */
import { z } from "zod";
import { isRoleLabel } from "./author-labels";
import { MAX_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES } from "./codes";
import type { FormField } from "./forms";
import { cleanName, cleanText } from "./display-text";
import { LIMITS } from "./limits";
import { LOCAL_PATH } from "./local-path";
import { webUrlProblem } from "./web-address";

/** Control characters other than tab and newline are refused in any text. */
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * Free text (a question, a note, a message body): bidirectional controls and
 * invisible characters dropped (./display-text.ts), then trimmed and checked.
 */
export const text = (max: number) =>
  z.string().overwrite(cleanText).trim().max(max, `Keep it under ${max} characters`).regex(NO_CONTROL, "Contains control characters");
export const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/**
 * One line of display text (a librarian's or library's name, a title, a
 * label): cleaned as a name — also without directional marks, line breaks or
 * runs of spaces.
 */
export const lineText = (max: number) =>
  z.string().regex(NO_CONTROL, "Contains control characters").overwrite(cleanName).max(max, `Keep it under ${max} characters`);

/** A patron's name, when they give one: a person's name, never a role label (./author-labels.ts). */
const patronNameSchema = lineText(LIMITS.nameChars)
  .refine((name) => !isRoleLabel(name), "Enter your own name, not a role such as Librarian")
  .optional()
  .transform((v) => (v ? v : undefined));

const idPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const slugSchema = z.string().regex(idPattern, "Not a valid id");

/** Descriptive code identifiers, e.g. "ready_reference". */
export const codeSchema = z.string().regex(/^[a-z0-9_]{1,64}$/, "Not a valid code");

export const emailSchema = z.string().trim().toLowerCase().max(LIMITS.emailChars).email("Enter a valid e-mail address");

/** Checkbox values from HTML forms ("on") and JSON booleans alike. */
export const checkbox = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export const startChatSchema = z.object({
  formId: slugSchema,
  question: text(LIMITS.questionChars).min(1, "Please type your question"),
  name: patronNameSchema,
  email: z
    .union([emailSchema, z.literal("")])
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** Further answers to the form's own fields, by field id. */
  fields: z.record(slugSchema, text(LIMITS.fieldChars)).optional().default({}),
  /** The patron asked not to be sent (or kept as) a transcript by e-mail. */
  noTranscript: checkbox,
  /** The language the patron was shown (a tag the form offers; anything else becomes the form's choice for this browser). */
  language: z.string().max(35).optional(),
  /** The page the patron asked from (the Qwidget's host page). */
  pageUrl: z
    .string()
    .url()
    .max(2000)
    // Only web pages: a javascript: or data: "page" would be a stored script waiting for a link to render it.
    .regex(/^https?:\/\//i, "Must be a web page address (http or https)")
    .optional(),
  /**
   * A random id the patron's browser keeps until the patron clears it (the
   * Qwidget's), so librarians see this patron's earlier chats with the library
   * without an e-mail address. Never a cookie; scrubbed with retention.
   */
  browserId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, "Not a browser id")
    .optional(),
});

export const endChatSchema = z.object({
  resolution: z.enum(RESOLUTION_CODE_VALUES, { message: "Choose a resolution code" }),
  descriptiveCodes: z
    .array(codeSchema)
    .max(MAX_DESCRIPTIVE_CODES, `Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes`)
    .default([])
    .refine((codes) => new Set(codes).size === codes.length, "Each descriptive code may be chosen once"),
  note: optionalText(LIMITS.endNoteChars),
});
export type EndChatBody = z.input<typeof endChatSchema>;

/** The patron switches the chat's language (the window's switcher): the chat's mails follow it. */
export const chatLanguageSchema = z.object({ language: z.string().min(2).max(35) });

export const leaveQuestionSchema = z.object({
  email: emailSchema,
  name: patronNameSchema,
  details: optionalText(LIMITS.questionChars),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
  /** Where to go after signing in (a path on this site). */
  next: z
    .string()
    .regex(LOCAL_PATH, "Not a local path")
    .optional(),
});

// ---- the chat monitor ------------------------------------------------------

/**
 * Transferring a chat: to one librarian who is monitoring (they are offered it
 * and accept it), or to a queue (every monitor there is offered it). The note
 * is internal: librarians see it, the patron never does.
 */
export const transferChatSchema = z.object({
  to: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("librarian"), librarianId: z.string().min(1).max(100) }),
    z.object({ kind: z.literal("queue"), queueId: z.string().min(1).max(100) }),
  ]),
  note: optionalText(LIMITS.transferNoteChars),
});
/** Invite a colleague to consult in a chat (POST /api/chats/:id/consult). */
export const consultInviteSchema = z.object({ librarianId: z.string().min(1).max(100) });
/** A consultant leaves, or the owner lets one go (POST /api/chats/:id/consult/leave); without `librarianId`, the caller leaves. */
export const consultLeaveSchema = z.object({ librarianId: z.string().min(1).max(100).optional() });

/** Which form a Qwidget serves (GET /api/embed/status): a form, or a library's own chat form. */
export const embedQuerySchema = z
  .object({
    form: slugSchema.optional(),
    library: slugSchema.optional(),
    /** A language asked for by the page (its `?lang=`); used when the form offers it. */
    lang: z.string().max(35).optional(),
    /** The browser's languages (`navigator.languages`, comma-separated), most wanted first; else the `Accept-Language` header. */
    langs: z.string().max(500).optional(),
  })
  .refine((q) => Boolean(q.form) !== Boolean(q.library), { message: "Give either form or library", path: ["form"] });

/** What the Qwidget learns before it shows its launcher (GET /api/embed/status). */
export interface EmbedStatus {
  form: { id: string; title: string; intro: string | null; fields: FormField[] };
  /** The language the widget shows (its catalog is loaded by tag), its direction, and the form's languages for the switcher. */
  language: { tag: string; dir: "ltr" | "rtl"; offered: { tag: string; name: string }[] };
  /** The launcher's words in that language (the loader carries no catalog). */
  launcher: { label: string; online: string; onlineNote: string; offline: string; offlineNote: string };
  library: { name: string; brandColor: string; brandText: string };
  /** A queue that would take a request from this form has a librarian monitoring it now. */
  available: boolean;
  /** The library is archived: the widget shows only to a patron whose chat is still open. */
  hidden?: true;
  waitLimitSeconds: number;
  alternatives: Alternatives;
  /** The form's chat method: "viewport" shows pushed pages beside the chat. */
  chatMethod: "chat" | "viewport";
}

/** The library's own ways to get help, shown when chat is not available. */
export interface Alternatives {
  message: string;
  email: string | null;
  phone: string | null;
  hours: string | null;
  links: { label: string; url: string }[];
}

/**
 * Pushing a page to the patron (POST /api/chats/:id/push): an http(s)
 * address, an optional title, and the client's id for the push so a retry is
 * stored once.
 */
export const pushPageSchema = z.object({
  url: z
    .string({ message: "Enter the address of the page" })
    .trim()
    .max(LIMITS.urlChars, `Keep the address under ${LIMITS.urlChars} characters`)
    .superRefine((url, ctx) => {
      const problem = webUrlProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  title: lineText(LIMITS.linkTitleChars)
    .optional()
    .transform((v) => (v ? v : undefined)),
  clientId: z.string().min(1).max(LIMITS.clientIdChars),
});
