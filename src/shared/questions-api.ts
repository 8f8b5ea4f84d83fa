/**
 * The Ask a Librarian module's HTTP API: request schemas (zod; the routes
 * validate with them) and response shapes. The module's front end imports
 * only the types from here, so zod stays out of its bundle.
 */
import { z } from "zod";
import { DESCRIPTIVE_CODES_MODES } from "./codes-settings";
import { lineText, NO_CONTROL, text } from "./api";
import { FILED_RESOLUTION_VALUES, MAX_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES, type FiledResolution } from "./codes";
import { LIMITS } from "./limits";
import type { ChatMessage } from "./protocol";
import type { RatingView } from "./survey";
import { QUESTION_LISTS, type QuestionAction, type QuestionList, type QuestionStatus } from "./question-rules";

/** Text that must not be empty (free text, or one line for a label). */
const required = (max: number, empty: string) => text(max).min(1, empty);

/**
 * Text searched for with LIKE: control characters are refused, as in any text
 * — SQLite's LIKE stops reading a pattern at a NUL, so "x\u0000" would search
 * for "" and match every question.
 */
const searchText = (max: number) =>
  z.string().trim().max(max, `Keep the search under ${max} characters`).regex(NO_CONTROL, "A search cannot contain control characters");

/** A query parameter left empty (as a GET form sends it) counts as not given. */
const param = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateParam = z
  .string()
  .regex(DATE, "Use the form YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "Not a real date");

export const descriptiveCodeSchema = z.string().regex(/^[a-z0-9_]{1,64}$/, "Not a valid code");
const librarianIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, "Not a valid librarian id");

export const questionListQuerySchema = z
  .object({
    list: param(z.enum(QUESTION_LISTS, { message: `Choose one of: ${QUESTION_LISTS.join(", ")}` })).transform((v) => v ?? "new"),
    /** Words in the question or anywhere in the transcript. */
    q: param(searchText(LIMITS.searchChars)),
    /** All or part of the patron's e-mail address. */
    email: param(searchText(LIMITS.emailChars).toLowerCase()),
    /** Received on or after this day / on or before this day, in the library's time zone. */
    from: param(dateParam),
    to: param(dateParam),
    /** A descriptive code the session carries. */
    code: param(descriptiveCodeSchema),
    resolution: param(z.enum(FILED_RESOLUTION_VALUES, { message: "Not a resolution code" })),
    /** The librarian who owns the question or chatted with the patron. */
    librarian: param(librarianIdSchema),
    order: param(z.enum(["newest", "oldest"], { message: "Choose newest or oldest" })).transform((v) => v ?? "newest"),
    page: param(z.coerce.number({ message: "Page must be a number" }).int("Page must be a whole number").min(1, "Pages start at 1").max(100_000)).transform((v) => v ?? 1),
    size: param(
      z.coerce
        .number({ message: "Size must be a number" })
        .int("Size must be a whole number")
        .min(1, "Show at least 1 question")
        .max(LIMITS.questionPageSizeMax, `Show at most ${LIMITS.questionPageSizeMax} questions a page`),
    ).transform((v) => v ?? LIMITS.questionPageSize),
    /** Spam (hidden) questions: left out unless asked for. */
    hidden: param(z.enum(["exclude", "include", "only"], { message: "Choose exclude, include or only" })).transform((v) => v ?? "exclude"),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "The end date is before the start date", path: ["to"] });
export type QuestionListQuery = z.output<typeof questionListQuerySchema>;

const assigneeSchema = librarianIdSchema;

/** Status changes other than answering (which has its own body). */
export const transitionSchema = z.discriminatedUnion(
  "action",
  [
    z.object({ action: z.literal("assign"), assigneeId: assigneeSchema }),
    z.object({ action: z.literal("reassign"), assigneeId: assigneeSchema }),
    z.object({ action: z.literal("pending") }),
    z.object({ action: z.literal("close") }),
    z.object({ action: z.literal("reopen") }),
  ],
  { message: "Choose an action: assign, reassign, pending, close or reopen" },
);
export type TransitionBody = z.input<typeof transitionSchema>;

export const answerSchema = z.object({
  body: required(LIMITS.followupChars, "Write the answer before sending it"),
  /** The sender's id for this answer: sending the same one twice sends one mail. */
  requestId: z.string().uuid("Not a valid request id").optional(),
});
export type AnswerBody = z.input<typeof answerSchema>;

export const noteSchema = z.object({ body: required(LIMITS.noteChars, "Write the note before saving it") });

export const questionCodesSchema = z.object({
  resolution: z.enum(RESOLUTION_CODE_VALUES, { message: "Choose a resolution code" }),
  descriptiveCodes: z
    .array(descriptiveCodeSchema)
    .max(MAX_DESCRIPTIVE_CODES, `Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes`)
    .default([])
    .refine((codes) => new Set(codes).size === codes.length, "Each descriptive code may be chosen once"),
});
export type QuestionCodesBody = z.input<typeof questionCodesSchema>;

export const resendMailSchema = z.object({ eventKey: z.string().min(1, "Name the mail to re-send").max(300) });

// ---- descriptive codes administration ---------------------------------------

const codeLabel = lineText(LIMITS.codeLabelChars).min(1, "Give the code a label");

export const addCodeSchema = z.object({
  label: codeLabel,
  /** Stable identifier; made from the label when left out. */
  code: param(descriptiveCodeSchema),
});

export const updateCodeSchema = z
  .object({ label: codeLabel.optional(), active: z.boolean({ message: "active must be true or false" }).optional() })
  .refine((v) => v.label !== undefined || v.active !== undefined, "Change the label, the active flag, or both");

export const reorderCodesSchema = z.object({
  codes: z
    .array(descriptiveCodeSchema)
    .min(1, "List the codes in their new order")
    .max(LIMITS.descriptiveCodesMax)
    .refine((codes) => new Set(codes).size === codes.length, "Each code may appear once"),
});

// ---- responses ------------------------------------------------------------------

export interface PersonRef {
  id: string;
  name: string;
}

export interface QuestionSummary {
  id: string;
  status: QuestionStatus;
  source: "chat" | "email";
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  libraryId: string;
  libraryName: string;
  createdAt: number;
  updatedAt: number;
  assignee: PersonRef | null;
  /** The librarian who chatted with the patron (possibly a partner library's). */
  chattedWith: PersonRef | null;
  resolution: FiledResolution | null;
  descriptiveCodes: string[];
  hidden: boolean;
  excludeFromStats: boolean;
  /** Mails about this question that gave up and wait to be re-sent. */
  failedMails: number;
  /** The patron's rating of the chat (1–5), if they gave one. */
  rating: number | null;
}

export interface QuestionListResponse {
  list: QuestionList;
  order: "newest" | "oldest";
  page: number;
  size: number;
  /** Questions in this list matching the search; `pages` pages of `size`. */
  total: number;
  pages: number;
  /** How many match the search in each list. */
  counts: Record<QuestionList, number>;
  questions: QuestionSummary[];
}

export interface CodeView {
  code: string;
  label: string;
  active: boolean;
}

export interface QuestionEventView {
  id: number;
  action: string;
  actor: PersonRef | null;
  /** What happened, in words, after the actor's name. */
  summary: string;
  detail: Record<string, unknown>;
  at: number;
}

export interface NoteView {
  id: number;
  author: PersonRef | null;
  body: string;
  at: number;
}

export const MAIL_STATES = ["pending", "sent", "failed"] as const;
export type MailState = (typeof MAIL_STATES)[number];

export interface MailView {
  eventKey: string;
  kind: "transcript" | "followup" | "other";
  subject: string;
  to: string;
  status: MailState;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface QuestionDetail {
  question: QuestionSummary;
  patron: {
    name: string | null;
    email: string | null;
    details: Record<string, string>;
    transcriptOptOut: boolean;
    referrer: string | null;
  };
  session: {
    id: string;
    chattedWith: (PersonRef & { libraryName: string | null }) | null;
    /** A partner library's librarian served the chat. */
    servedByPartner: boolean;
    resolution: FiledResolution | null;
    descriptiveCodes: CodeView[];
    endNote: string | null;
    createdAt: number;
    acceptedAt: number | null;
    endedAt: number | null;
    transcript: ChatMessage[];
    /** What the patron said after the chat: the rating, a comment, the survey's answers. */
    rating: RatingView | null;
  } | null;
  events: QuestionEventView[];
  notes: NoteView[];
  mails: MailView[];
  viewer: {
    /** A librarian of the question's home library (rather than the cooperative librarian). */
    home: boolean;
    /** Status changes offered now (answering is `canAnswer`). */
    actions: Exclude<QuestionAction, "answer">[];
    canAnswer: boolean;
    /** Why the follow-up box is closed, when it is. */
    answerBlocked: string | null;
    canEditCodes: boolean;
  };
  /** Librarians of the home library a question can be assigned to. */
  colleagues: PersonRef[];
  /** The library's active descriptive codes, in its order (what codes may be chosen from). */
  codeChoices: CodeView[];
}

/** Choices for the search form. */
export interface QuestionFilters {
  librarians: PersonRef[];
  codes: CodeView[];
}

export interface CodesAdminResponse {
  codes: (CodeView & { position: number })[];
}

/** What the module's pages hand their script (src/routes/question-pages.ts). */
export interface QuestionsBootstrap {
  view: "list" | "question" | "codes";
  questionId: string | null;
  librarian: { id: string; displayName: string; libraryId: string; libraryName: string; isAdmin: boolean };
  /** The library's time zone: dates are shown and searched in it. */
  timeZone: string;
}

/** Whether chats end with descriptive codes (PUT /api/descriptive-codes/settings): ./codes-settings.ts. */
export const codesSettingsSchema = z.object({
  mode: z.enum(DESCRIPTIVE_CODES_MODES, { message: `Choose one of: ${DESCRIPTIVE_CODES_MODES.join(", ")}` }),
});
