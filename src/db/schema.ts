/**
 * D1 schema: everything configured (libraries, people, forms, codes) and
 * everything that outlives a chat (sessions once ended, questions, mail).
 * While a chat is live its Durable Object is the truth; D1 holds a row per
 * session so that lists, statistics and tenancy checks have one place to look.
 *
 * Migrations in `migrations/` are generated from this file by drizzle-kit.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { FiledResolution } from "../shared/codes";
import type { FeedbackRating } from "../shared/coop-api";
import type { DescriptiveCodesMode } from "../shared/codes-settings";
import type { QuestionStatus } from "../shared/question-rules";
import type { ScriptScope } from "../shared/scripts";
import type { SurveyQuestionKind } from "../shared/survey";
import type { MailState } from "../shared/questions-api";

const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const libraries = sqliteTable("libraries", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("UTC"),
  contactEmail: text("contact_email"),
  phone: text("phone"),
  hoursText: text("hours_text"),
  websiteUrl: text("website_url"),
  /** Shown to a patron when nobody can take the chat. */
  unavailableMessage: text("unavailable_message"),
  /** JSON array of {label, url}: the library's other ways to get help. */
  fallbackLinks: text("fallback_links", { mode: "json" }).$type<{ label: string; url: string }[]>().notNull().default(sql`'[]'`),
  brandColor: text("brand_color").notNull().default("#1d4ed8"),
  rolloverSeconds: integer("rollover_seconds").notNull().default(45),
  /** When requests overflow to the library's groups: src/queues/routing-policy.ts OVERFLOW_MODES. */
  overflowMode: text("overflow_mode").notNull().default("unstaffed_or_timeout"),
  waitLimitSeconds: integer("wait_limit_seconds").notNull().default(300),
  /** A chat with no message for this long (active, or left by the patron and not ended) ends by itself. */
  idleEndMinutes: integer("idle_end_minutes").notNull().default(30),
  retentionDays: integer("retention_days").notNull().default(30),
  /** How much of a patron's IP address is kept: 'none' or 'truncated'. */
  ipMode: text("ip_mode").notNull().default("truncated"),
  mailSenderName: text("mail_sender_name"),
  /** Template for the transcript mail; placeholders documented in src/mail/transcript-mail.ts. */
  transcriptTemplate: text("transcript_template"),
  /** JSON array of origins allowed to embed this library's Qwidget. */
  allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  createdAt: createdAt(),
  /** When a service administrator archived the library: its data stays, its forms and Qwidget take no new chats. */
  archivedAt: integer("archived_at"),
  // ---- migrations/0010_librarian_day.sql
  /** Descriptive codes at the end of a chat: src/shared/codes-settings.ts DESCRIPTIVE_CODES_MODES. */
  descriptiveCodesMode: text("descriptive_codes_mode").$type<DescriptiveCodesMode>().notNull().default("optional"),
  /** Opening hours per weekday, Monday first (seven lines, or none): {{hoursToday}} in scripts. */
  hoursByWeekday: text("hours_by_weekday", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  // ---- migrations/0011_chat_files.sql
  /** Whether patrons and librarians may send files (images, PDFs) in the library's chats. */
  filesAllowed: integer("files_allowed", { mode: "boolean" }).notNull().default(true),
});

export const groups = sqliteTable("groups", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
  /** Roll-over offers a request to the library scheduled now before the whole group (src/queues/routing-policy.ts). */
  rolloverPrefersScheduled: integer("rollover_prefers_scheduled", { mode: "boolean" }).notNull().default(false),
});

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id").notNull().references(() => groups.id),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    /** Order in which a library's requests roll over to its groups (0 first). */
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.libraryId] })],
);

export const librarians = sqliteTable(
  "librarians",
  {
    id: text("id").primaryKey(),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    /** 'librarian' | 'library_admin' | 'group_admin' | 'service_admin' */
    role: text("role").notNull().default("librarian"),
    disabledAt: integer("disabled_at"),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: integer("locked_until"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("librarians_email").on(t.email), index("librarians_library").on(t.libraryId)],
);

export const authSessions = sqliteTable(
  "auth_sessions",
  {
    /** SHA-256 of the cookie token: a leaked table does not leak live sessions. */
    tokenHash: text("token_hash").primaryKey(),
    librarianId: text("librarian_id").notNull().references(() => librarians.id),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("auth_sessions_librarian").on(t.librarianId)],
);

/**
 * Sign-in throttling (src/auth/sign-in-throttle.ts): one row per network, per
 * account address and per trusted browser, keyed by a digest (never the
 * address itself), kept only until `forgetAt`.
 */
export const signInThrottle = sqliteTable(
  "sign_in_throttle",
  {
    key: text("key").primaryKey(),
    /** Attempts counted since the row was last forgotten (a successful sign-in takes its own back). */
    attempts: integer("attempts").notNull(),
    /** No attempt under this key is checked before this time. */
    blockedUntil: integer("blocked_until").notNull(),
    /** The row means nothing after this time and may be deleted. */
    forgetAt: integer("forget_at").notNull(),
    /** The attempt that last counted here: lets the attempt's other keys see its own count as not blocking it. */
    lastAttempt: text("last_attempt"),
  },
  (t) => [index("sign_in_throttle_forget").on(t.forgetAt)],
);

/** Every sign-in and failed sign-in (src/admin/audit.ts): the account, and the network only as a /24 or /48. */
export const signInLog = sqliteTable(
  "sign_in_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Null when the address typed has no account. */
    libraryId: text("library_id"),
    librarianId: text("librarian_id"),
    /** 'signed_in' | 'failed' */
    outcome: text("outcome").$type<"signed_in" | "failed">().notNull(),
    network: text("network"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sign_in_log_library").on(t.libraryId, t.createdAt), index("sign_in_log_created").on(t.createdAt)],
);

export const forms = sqliteTable(
  "forms",
  {
    id: text("id").primaryKey(),
    libraryId: text("library_id").references(() => libraries.id),
    groupId: text("group_id").references(() => groups.id),
    /** Queue the form feeds, e.g. 'lib:springfield' or 'group:statewide'. */
    queueId: text("queue_id").notNull(),
    title: text("title").notNull(),
    intro: text("intro"),
    /** JSON array of field definitions (see src/shared/forms.ts). */
    fields: text("fields", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
    chatMethod: text("chat_method").notNull().default("chat"),
    brandColor: text("brand_color"),
    logoUrl: text("logo_url"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    /** What the patron is asked after the chat (src/shared/survey.ts); null: a rating and a comment. */
    survey: text("survey", { mode: "json" }).$type<unknown>(),
    // ---- migrations/0013_languages.sql
    /** The languages the form offers patrons (src/i18n/languages.ts tags), in the order its switcher lists them. */
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull().default(sql`'["en"]'`),
    /** The language shown when the patron's browser asks for none the form offers; its own texts above are in it. */
    defaultLanguage: text("default_language").notNull().default("en"),
    /** The form's texts in its other languages (src/shared/form-translations.ts); a text not given there shows in the default language. */
    translations: text("translations", { mode: "json" }).$type<unknown>().notNull().default(sql`'{}'`),
  },
  (t) => [index("forms_library").on(t.libraryId)],
);

export const descriptiveCodes = sqliteTable(
  "descriptive_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    code: text("code").notNull(),
    label: text("label").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("descriptive_codes_library_code").on(t.libraryId, t.code)],
);

/**
 * Scripts ("canned messages"): short texts librarians drop into a chat. Each
 * belongs to a library (every librarian of it), a cooperative (every librarian
 * of its member libraries) or one librarian (personal) — `scope` says which,
 * and exactly one of library_id / group_id / owner_id (with the owner's
 * library_id) names the owner. `use_count` counts insertions into a chat, for
 * statistics. (migrations/0002, rebuilt in 0010)
 */
export const cannedMessages = sqliteTable(
  "canned_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 'library' | 'group' | 'personal' (src/shared/scripts.ts SCRIPT_SCOPES). */
    scope: text("scope").$type<ScriptScope>().notNull().default("library"),
    /** The library of a library script, and the owner's library of a personal one; null for a group's. */
    libraryId: text("library_id").references(() => libraries.id),
    groupId: text("group_id").references(() => groups.id),
    /** The librarian a personal script belongs to. */
    ownerId: text("owner_id").references(() => librarians.id),
    category: text("category").notNull().default(""),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Display order within its owner's list (0 first). */
    position: integer("position").notNull().default(0),
    /** How often a librarian put it into a chat. */
    useCount: integer("use_count").notNull().default(0),
    lastUsedAt: integer("last_used_at"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    index("canned_messages_library_position").on(t.libraryId, t.position),
    index("canned_messages_group_position").on(t.groupId, t.position),
    index("canned_messages_owner_position").on(t.ownerId, t.position),
  ],
);

/** One row per chat request; filled in as the chat moves on, final once ended. */
export const chatSessions = sqliteTable(
  "chat_sessions",
  {
    id: text("id").primaryKey(),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    formId: text("form_id"),
    queueId: text("queue_id").notNull(),
    /** 'waiting' | 'active' | 'patron_left' | 'unavailable' | 'ended' */
    status: text("status").notNull(),
    question: text("question").notNull(),
    patronName: text("patron_name"),
    patronEmail: text("patron_email"),
    /** JSON: further form answers (patron type, card number, custom fields). */
    patronDetails: text("patron_details", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    transcriptOptOut: integer("transcript_opt_out", { mode: "boolean" }).notNull().default(false),
    patronIp: text("patron_ip"),
    userAgent: text("user_agent"),
    referrer: text("referrer"),
    librarianId: text("librarian_id"),
    librarianName: text("librarian_name"),
    /** Library of the librarian who accepted: differs from libraryId when a partner answered. */
    answeringLibraryId: text("answering_library_id"),
    resolutionCode: text("resolution_code").$type<FiledResolution>(),
    descriptiveCodes: text("descriptive_codes", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    endNote: text("end_note"),
    /** JSON array of transcript messages (src/shared/protocol.ts ChatMessage). */
    transcript: text("transcript", { mode: "json" }).$type<unknown[]>(),
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    createdAt: createdAt(),
    acceptedAt: integer("accepted_at"),
    endedAt: integer("ended_at"),
    scrubbedAt: integer("scrubbed_at"),
    /** Set while the chat's object retries filing it (mirrored from the object); cleared when the filing batch succeeds. */
    filingAttempts: integer("filing_attempts"),
    filingFailedAt: integer("filing_failed_at"),
    // ---- migrations/0010_librarian_day.sql
    /** A random id the patron's browser sent (and may clear): earlier chats without an e-mail address. Scrubbed with retention. */
    patronBrowserId: text("patron_browser_id"),
    /** When the patron last rated the chat. */
    ratedAt: integer("rated_at"),
    // ---- migrations/0013_languages.sql
    /** The language the patron was served in (src/i18n/languages.ts): the chat's mails are written in it. */
    language: text("language").notNull().default("en"),
  },
  (t) => [
    index("chat_sessions_library_created").on(t.libraryId, t.createdAt),
    index("chat_sessions_librarian").on(t.librarianId),
    index("chat_sessions_scrub").on(t.libraryId, t.scrubbedAt, t.createdAt),
    index("chat_sessions_filing").on(t.filingFailedAt).where(sql`filing_attempts IS NOT NULL`),
    index("chat_sessions_browser").on(t.libraryId, t.patronBrowserId).where(sql`patron_browser_id IS NOT NULL`),
    index("chat_sessions_rated").on(t.libraryId, t.ratedAt).where(sql`rated_at IS NOT NULL`),
  ],
);

/** The Ask a Librarian module: every transcript and e-mailed question. */
export const questions = sqliteTable(
  "questions",
  {
    id: text("id").primaryKey(),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    sessionId: text("session_id"),
    source: text("source").$type<"chat" | "email">().notNull(),
    status: text("status").$type<QuestionStatus>().notNull(),
    assignedTo: text("assigned_to"),
    hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
    excludeFromStats: integer("exclude_from_stats", { mode: "boolean" }).notNull().default(false),
    question: text("question").notNull(),
    patronName: text("patron_name"),
    patronEmail: text("patron_email"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("questions_session").on(t.sessionId),
    index("questions_library_status").on(t.libraryId, t.status, t.createdAt),
    index("questions_assigned").on(t.assignedTo, t.status),
    index("questions_library_created").on(t.libraryId, t.createdAt),
  ],
);

export const questionEvents = sqliteTable(
  "question_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: text("question_id").notNull().references(() => questions.id),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
    /** When the privacy scrub removed the row's free text (src/privacy/event-detail.ts); null until then. */
    scrubbedAt: integer("scrubbed_at"),
  },
  (t) => [index("question_events_question").on(t.questionId), index("question_events_unscrubbed").on(t.createdAt).where(sql`scrubbed_at IS NULL`)],
);

/**
 * Every mail Refdesk sends, keyed by the event that caused it, so the same
 * event never produces two mails. The queue consumer sends pending rows.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    eventKey: text("event_key").primaryKey(),
    libraryId: text("library_id").notNull(),
    questionId: text("question_id"),
    toAddress: text("to_address").notNull(),
    fromName: text("from_name"),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: text("status").$type<MailState>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** The exact MIME message handed to the send_email binding. */
    rawMessage: text("raw_message"),
    messageId: text("message_id"),
    createdAt: createdAt(),
    sentAt: integer("sent_at"),
    /** While a consumer is sending this row: until when its claim holds (see deliverMail). */
    claimedUntil: integer("claimed_until"),
    /** When the mail queue gave up on it and its dead-letter queue handed it back (src/mail/dead-letters.ts). */
    deadLetteredAt: integer("dead_lettered_at"),
    /** When a service administrator discarded it: never sent, no longer shown as failed. */
    discardedAt: integer("discarded_at"),
  },
  (t) => [index("mail_outbox_question").on(t.questionId), index("mail_outbox_status").on(t.status, t.createdAt)],
);

/**
 * Refused attempts to see or change a question of another library: who tried,
 * what, when. Kept for the library's audit; never shown to the one refused.
 */
export const accessDenials = sqliteTable(
  "access_denials",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    librarianId: text("librarian_id").notNull(),
    /** The refused librarian's own library. */
    libraryId: text("library_id").notNull(),
    /** 'question' */
    resource: text("resource").notNull(),
    resourceId: text("resource_id").notNull(),
    /** What was tried: 'read', 'answer', 'assign', … */
    action: text("action").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("access_denials_librarian").on(t.librarianId, t.createdAt)],
);

// ---- administration (migrations/0004_administration.sql) ------------------------

/** One-time links: an invitation to set a first password, or an admin-triggered reset. Only the digest is stored. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    librarianId: text("librarian_id").notNull().references(() => librarians.id),
    /** 'invite' | 'reset' */
    purpose: text("purpose").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("account_tokens_librarian").on(t.librarianId)],
);

/** Every administrative change: who, what, when, and the state before and after (JSON, never secrets). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    libraryId: text("library_id"),
    groupId: text("group_id"),
    actorId: text("actor_id"),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    before: text("before", { mode: "json" }).$type<Record<string, unknown> | null>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_library").on(t.libraryId, t.createdAt), index("audit_log_group").on(t.groupId, t.createdAt)],
);

/** A form's uploaded logo, served at /f/<formId>/logo. */
export const formLogos = sqliteTable("form_logos", {
  formId: text("form_id")
    .primaryKey()
    .references(() => forms.id),
  contentType: text("content_type").notNull(),
  dataBase64: text("data_base64").notNull(),
  byteSize: integer("byte_size").notNull(),
  digest: text("digest").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** One row per run of the daily privacy scrub, with totals. */
export const scrubRuns = sqliteTable("scrub_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The cron's scheduled time: the "now" the run measured ages against. */
  scheduledAt: integer("scheduled_at").notNull(),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
  librariesChecked: integer("libraries_checked").notNull().default(0),
  sessionsScrubbed: integer("sessions_scrubbed").notNull().default(0),
  questionsScrubbed: integer("questions_scrubbed").notNull().default(0),
  mailsScrubbed: integer("mails_scrubbed").notNull().default(0),
  error: text("error"),
  // ---- migrations/0007_complete_retention.sql
  eventsScrubbed: integer("events_scrubbed").notNull().default(0),
  feedbackScrubbed: integer("feedback_scrubbed").notNull().default(0),
  objectsErased: integer("objects_erased").notNull().default(0),
  /** Chat objects whose erase failed or was refused in this run: tried again on the next. */
  objectsPending: integer("objects_pending").notNull().default(0),
  /** Libraries with work that this run had no budget left for. */
  librariesDeferred: integer("libraries_deferred").notNull().default(0),
});

/** What one scrub run changed in one library (counts only); rows only for libraries where something changed. */
export const scrubChanges = sqliteTable(
  "scrub_changes",
  {
    runId: integer("run_id")
      .notNull()
      .references(() => scrubRuns.id),
    libraryId: text("library_id").notNull(),
    retentionDays: integer("retention_days").notNull(),
    cutoff: integer("cutoff").notNull(),
    sessionsScrubbed: integer("sessions_scrubbed").notNull().default(0),
    questionsScrubbed: integer("questions_scrubbed").notNull().default(0),
    mailsScrubbed: integer("mails_scrubbed").notNull().default(0),
    // ---- migrations/0007_complete_retention.sql
    eventsScrubbed: integer("events_scrubbed").notNull().default(0),
    feedbackScrubbed: integer("feedback_scrubbed").notNull().default(0),
    objectsErased: integer("objects_erased").notNull().default(0),
    objectsPending: integer("objects_pending").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.libraryId] }), index("scrub_changes_library").on(t.libraryId, t.runId)],
);

/**
 * Chat objects the privacy scrub still has to erase: written with the chat's
 * D1 scrub when its object could not be erased (unreachable, or refusing
 * because the chat has not ended and been filed yet), tried again on every
 * later run, removed once the object has deleted its storage.
 */
export const scrubPendingObjects = sqliteTable(
  "scrub_pending_objects",
  {
    sessionId: text("session_id").primaryKey(),
    libraryId: text("library_id").notNull(),
    /** Erases tried so far. */
    attempts: integer("attempts").notNull().default(0),
    /** Why the last attempt did not erase: the object's refusal or the call's error. */
    lastError: text("last_error"),
    createdAt: createdAt(),
    lastAttemptAt: integer("last_attempt_at"),
  },
  (t) => [index("scrub_pending_objects_library").on(t.libraryId, t.lastAttemptAt)],
);

// ---- cooperative reference (migrations/0005_cooperation.sql) -------------------

/** A group administrator's invitation to a library; the library's administrator accepts it. */
export const groupInvitations = sqliteTable(
  "group_invitations",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id").notNull().references(() => groups.id),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    invitedBy: text("invited_by").notNull(),
    createdAt: createdAt(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by"),
  },
  (t) => [index("group_invitations_library").on(t.libraryId, t.acceptedAt)],
);

/**
 * Weekly shifts of a group's cooperative queue, as zoned rules: local wall-clock
 * minutes in an IANA zone (src/coverage/schedule.ts explains why).
 */
export const coverageShifts = sqliteTable(
  "coverage_shifts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: text("group_id").notNull().references(() => groups.id),
    libraryId: text("library_id").notNull().references(() => libraries.id),
    timeZone: text("time_zone").notNull(),
    /** 1 = Monday … 7 = Sunday (ISO). */
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
    endsNextDay: integer("ends_next_day", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("coverage_shifts_group").on(t.groupId)],
);

/** A library's policy page for cooperative librarians: sanitised HTML per section. */
export const policyPages = sqliteTable("policy_pages", {
  libraryId: text("library_id")
    .primaryKey()
    .references(() => libraries.id),
  /** JSON object: section id (src/policies/sections.ts) → sanitised HTML. */
  sections: text("sections", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  /** JSON array of {kind, label, url}: catalog, databases, account, other. */
  links: text("links", { mode: "json" }).$type<{ kind: string; label: string; url: string }[]>().notNull().default(sql`'[]'`),
  /** JSON array of {title, text}: plain-text answers with a copy button. */
  quickAnswers: text("quick_answers", { mode: "json" }).$type<{ title: string; text: string }[]>().notNull().default(sql`'[]'`),
  /** Where cooperative librarians report a mistake on this page. */
  reportEmail: text("report_email"),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

/** A group's own page: cooperative-wide rules, sanitised HTML. */
export const groupPages = sqliteTable("group_pages", {
  groupId: text("group_id")
    .primaryKey()
    .references(() => groups.id),
  body: text("body").notNull().default(""),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

/** The home library's quality feedback about a session a partner library answered. */
export const coopFeedback = sqliteTable(
  "coop_feedback",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    /** The patron's home library, which wrote the feedback. */
    libraryId: text("library_id").notNull().references(() => libraries.id),
    answeringLibraryId: text("answering_library_id").notNull(),
    answeringLibrarianId: text("answering_librarian_id").notNull(),
    authorId: text("author_id").notNull(),
    rating: text("rating").$type<FeedbackRating>().notNull(),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("coop_feedback_session").on(t.sessionId), index("coop_feedback_librarian").on(t.answeringLibrarianId, t.createdAt)],
);

/** A continuous stretch one librarian monitored one queue (written by the queue object when it ends): coverage and staffing. */
export const monitoringSpans = sqliteTable(
  "monitoring_spans",
  {
    id: text("id").primaryKey(),
    queueId: text("queue_id").notNull(),
    librarianId: text("librarian_id").notNull(),
    libraryId: text("library_id").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
  },
  (t) => [
    index("monitoring_spans_queue_started").on(t.queueId, t.startedAt),
    index("monitoring_spans_library_started").on(t.libraryId, t.startedAt),
    index("monitoring_spans_librarian_started").on(t.librarianId, t.startedAt),
  ],
);

// ---- operations (migrations/0008_operations.sql) ---------------------------------

/** The service's recent errors as structured events (src/ops/log.ts): an event name and ids, never personal data. */
export const opsEvents = sqliteTable("ops_events", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  event: text("event").notNull(),
  detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  createdAt: createdAt(),
});

/** Each scheduled export of a library's or a group's archive to R2 (src/transfer/scheduled-export.ts). */
export const archiveExports = sqliteTable(
  "archive_exports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 'library' | 'group' */
    kind: text("kind").$type<"library" | "group">().notNull(),
    ownerId: text("owner_id").notNull(),
    objectKey: text("object_key"),
    bytes: integer("bytes"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    error: text("error"),
  },
  (t) => [index("archive_exports_owner").on(t.kind, t.ownerId, t.startedAt)],
);

// ---- statistics (migrations/0009_statistics.sql; src/stats, docs/statistics.md) ------------
// No table here holds a name, an address or a text: statistics survive the privacy scrub.

/** `prefix0` … `prefix{n-1}`: integer counters (histogram bins, rating counts). */
function counters<P extends string>(prefix: P, from: number, to: number) {
  const out: Record<string, ReturnType<typeof counter>> = {};
  for (let i = from; i <= to; i++) out[`${prefix}${i}`] = counter(`${prefix}${i}`);
  return out as Record<`${P}${number}`, ReturnType<typeof counter>>;
}
const counter = (name: string) => integer(name).notNull().default(0);

/** One row per filed chat: the facts statistics count (src/stats/fact.ts). */
export const statChats = sqliteTable(
  "stat_chats",
  {
    sessionId: text("session_id").primaryKey(),
    /** The patron's library. */
    libraryId: text("library_id").notNull(),
    /** The library of the librarian who ended the chat (null: nobody answered). */
    answeringLibraryId: text("answering_library_id"),
    librarianId: text("librarian_id"),
    formId: text("form_id"),
    homeQueueId: text("home_queue_id").notNull(),
    acceptedQueueId: text("accepted_queue_id"),
    /** ",q1,q2,": every queue the request was shown in, in order (more than one: it rolled over). */
    queueIds: text("queue_ids").notNull().default(""),
    queueCount: integer("queue_count").notNull(),
    /** The library site the Qwidget ran on; null for Refdesk's hosted form. */
    patronOrigin: text("patron_origin"),
    source: text("source").$type<"chat" | "email">().notNull(),
    outcome: text("outcome").$type<"answered" | "turned_away" | "abandoned">().notNull(),
    resolution: text("resolution").$type<FiledResolution>().notNull(),
    codes: text("codes", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    endedAutomatically: integer("ended_automatically", { mode: "boolean" }).notNull(),
    /** Practice and spam: left out of statistics unless asked for. */
    leftOut: integer("left_out", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
    acceptedAt: integer("accepted_at"),
    endedAt: integer("ended_at").notNull(),
    waitMs: integer("wait_ms"),
    durationMs: integer("duration_ms"),
    waitBin: integer("wait_bin"),
    durationBin: integer("duration_bin"),
    patronMessages: integer("patron_messages").notNull(),
    librarianMessages: integer("librarian_messages").notNull(),
    rating: integer("rating"),
    /** ",g1,g2,": the groups of the patron's and the answering library when the chat was filed. */
    groupIds: text("group_ids").notNull().default(""),
    /** Its part is in the group rollups. */
    counted: integer("counted", { mode: "boolean" }).notNull().default(false),
    /** Bumped by every change after filing: changes are compare-and-set. */
    version: integer("version").notNull().default(0),
  },
  (t) => [
    index("stat_chats_library").on(t.libraryId, t.createdAt),
    index("stat_chats_answering").on(t.answeringLibraryId, t.createdAt),
    index("stat_chats_librarian").on(t.librarianId, t.createdAt),
    index("stat_chats_created").on(t.createdAt),
    index("stat_chats_origin").on(t.patronOrigin, t.createdAt).where(sql`patron_origin IS NOT NULL`),
  ],
);

export const statChatCodes = sqliteTable(
  "stat_chat_codes",
  {
    sessionId: text("session_id").notNull(),
    code: text("code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.code] }), index("stat_chat_codes_code").on(t.code, t.sessionId)],
);

/** The zone a cooperative's figures are counted in, chosen once. */
export const statGroupZones = sqliteTable("stat_group_zones", {
  groupId: text("group_id").primaryKey(),
  timeZone: text("time_zone").notNull(),
  chosenAt: integer("chosen_at").notNull(),
});

export const statGroupHours = sqliteTable(
  "stat_group_hours",
  {
    groupId: text("group_id").notNull(),
    /** "" for every chat, else the filter value these chats share (src/stats/slices.ts). */
    slice: text("slice").notNull(),
    localDay: integer("local_day").notNull(),
    localHour: integer("local_hour").notNull(),
    leftOut: integer("left_out").notNull(),
    requests: counter("requests"),
    answered: counter("answered"),
    turnedAway: counter("turned_away"),
    abandoned: counter("abandoned"),
    autoEnded: counter("auto_ended"),
    partnerAnswered: counter("partner_answered"),
    rolledOver: counter("rolled_over"),
    waitSumMs: counter("wait_sum_ms"),
    waitMaxMs: counter("wait_max_ms"),
    durationSumMs: counter("duration_sum_ms"),
    durationMaxMs: counter("duration_max_ms"),
    ...counters("r", 1, 5),
    ...counters("w", 0, 10),
    ...counters("d", 0, 12),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.slice, t.localDay, t.localHour, t.leftOut] })],
);

export const statGroupCodes = sqliteTable(
  "stat_group_codes",
  {
    groupId: text("group_id").notNull(),
    /** "" for every chat, else the filter value these chats share (src/stats/slices.ts). */
    slice: text("slice").notNull(),
    /** "day", or "month" for a whole month (local_day its first day). */
    span: text("span").$type<"day" | "month">().notNull(),
    localDay: integer("local_day").notNull(),
    leftOut: integer("left_out").notNull(),
    kind: text("kind").$type<"resolution" | "descriptive">().notNull(),
    code: text("code").notNull(),
    n: counter("n"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.slice, t.span, t.localDay, t.leftOut, t.kind, t.code] })],
);

export const statGroupPairs = sqliteTable(
  "stat_group_pairs",
  {
    groupId: text("group_id").notNull(),
    /** "" for every chat, else the filter value these chats share (src/stats/slices.ts). */
    slice: text("slice").notNull(),
    /** "day", or "month" for a whole month (local_day its first day). */
    span: text("span").$type<"day" | "month">().notNull(),
    localDay: integer("local_day").notNull(),
    leftOut: integer("left_out").notNull(),
    libraryId: text("library_id").notNull(),
    answeringLibraryId: text("answering_library_id").notNull(),
    requests: counter("requests"),
    answered: counter("answered"),
    turnedAway: counter("turned_away"),
    abandoned: counter("abandoned"),
    rolledOver: counter("rolled_over"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.slice, t.span, t.localDay, t.leftOut, t.libraryId, t.answeringLibraryId] })],
);

export const statGroupPeople = sqliteTable(
  "stat_group_people",
  {
    groupId: text("group_id").notNull(),
    /** "" for every chat, else the filter value these chats share (src/stats/slices.ts). */
    slice: text("slice").notNull(),
    /** "day", or "month" for a whole month (local_day its first day). */
    span: text("span").$type<"day" | "month">().notNull(),
    localDay: integer("local_day").notNull(),
    leftOut: integer("left_out").notNull(),
    librarianId: text("librarian_id").notNull(),
    libraryId: text("library_id").notNull(),
    chats: counter("chats"),
    waitSumMs: counter("wait_sum_ms"),
    waitMinMs: counter("wait_min_ms"),
    waitMaxMs: counter("wait_max_ms"),
    durationSumMs: counter("duration_sum_ms"),
    durationMaxMs: counter("duration_max_ms"),
    ...counters("r", 1, 5),
    ...counters("w", 0, 10),
    ...counters("d", 0, 12),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.slice, t.span, t.localDay, t.leftOut, t.librarianId, t.libraryId] })],
);

export const statPresenceHours = sqliteTable(
  "stat_presence_hours",
  {
    libraryId: text("library_id").notNull(),
    localDay: integer("local_day").notNull(),
    localHour: integer("local_hour").notNull(),
    librarianId: text("librarian_id").notNull(),
    queueId: text("queue_id").notNull(),
    queueMs: counter("queue_ms"),
    personMs: counter("person_ms"),
  },
  (t) => [primaryKey({ columns: [t.libraryId, t.localDay, t.localHour, t.librarianId, t.queueId] }), index("stat_presence_hours_librarian").on(t.librarianId, t.localDay)],
);

export const statGroupPresenceHours = sqliteTable(
  "stat_group_presence_hours",
  {
    groupId: text("group_id").notNull(),
    localDay: integer("local_day").notNull(),
    localHour: integer("local_hour").notNull(),
    personMs: counter("person_ms"),
    groupQueueMs: counter("group_queue_ms"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.localDay, t.localHour] })],
);

export const statGroupPresencePeople = sqliteTable(
  "stat_group_presence_people",
  {
    groupId: text("group_id").notNull(),
    localDay: integer("local_day").notNull(),
    librarianId: text("librarian_id").notNull(),
    libraryId: text("library_id").notNull(),
    queueId: text("queue_id").notNull(),
    queueMs: counter("queue_ms"),
    personMs: counter("person_ms"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.localDay, t.librarianId, t.libraryId, t.queueId] })],
);

/** The same per local month (`local_month`: the month's first day), so a long range reads whole months from a few rows. */
export const statGroupPresenceMonths = sqliteTable(
  "stat_group_presence_months",
  {
    groupId: text("group_id").notNull(),
    localMonth: integer("local_month").notNull(),
    librarianId: text("librarian_id").notNull(),
    libraryId: text("library_id").notNull(),
    queueId: text("queue_id").notNull(),
    queueMs: counter("queue_ms"),
    personMs: counter("person_ms"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.localMonth, t.librarianId, t.libraryId, t.queueId] })],
);

export const statCursors = sqliteTable("stat_cursors", {
  name: text("name").primaryKey(),
  position: integer("position").notNull().default(0),
  lease: text("lease").notNull().default(""),
  leaseUntil: integer("lease_until").notNull().default(0),
});
// ---- the librarian's day (migrations/0010_librarian_day.sql) ---------------------

/**
 * A patron's answers to their form's survey questions, one row per question
 * (the overall rating stays in chat_sessions.rating). The question's wording
 * is kept as it was asked. Past retention `answer_text` (free text) goes;
 * numbers (a scale's value, a choice's index) stay for statistics.
 */
export const surveyAnswers = sqliteTable(
  "survey_answers",
  {
    sessionId: text("session_id").notNull(),
    questionId: text("question_id").notNull(),
    libraryId: text("library_id").notNull(),
    formId: text("form_id"),
    question: text("question").notNull(),
    kind: text("kind").$type<SurveyQuestionKind>().notNull(),
    /** A scale's value, or the index of the option chosen. */
    answerNumber: integer("answer_number"),
    /** A text answer, or the wording of the option chosen. */
    answerText: text("answer_text"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.questionId] }), index("survey_answers_library_created").on(t.libraryId, t.createdAt)],
);

/** One-use links in transcript mails to rate a chat later (src/ratings/links.ts). Only the digest is stored. */
export const ratingLinks = sqliteTable(
  "rating_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id").notNull(),
    libraryId: text("library_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("rating_links_session").on(t.sessionId)],
);

// ---- direct messages between librarians (migrations/0012_direct_messages.sql) ----

/**
 * A librarian's message to one colleague of their library or cooperatives
 * (src/staff/direct-messages.ts): kept for TIMING.directMessagesKeepMs, then
 * scrubbed. `clientId` makes a retried send store nothing twice.
 */
export const directMessages = sqliteTable(
  "direct_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    fromLibrarianId: text("from_librarian_id").notNull().references(() => librarians.id),
    toLibrarianId: text("to_librarian_id").notNull().references(() => librarians.id),
    body: text("body").notNull(),
    clientId: text("client_id").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    uniqueIndex("direct_messages_client").on(t.fromLibrarianId, t.clientId),
    index("direct_messages_to_unread").on(t.toLibrarianId, t.readAt),
    index("direct_messages_pair").on(t.fromLibrarianId, t.toLibrarianId, t.id),
    index("direct_messages_created").on(t.createdAt),
    index("direct_messages_from_created").on(t.fromLibrarianId, t.createdAt),
  ],
);
