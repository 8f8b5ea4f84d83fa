/**
 * What a library's or a group's archive holds, section by section: the table
 * each section comes from, which of its rows belong to the owner, the columns
 * never exported (secrets, and state that means something only on the
 * installation that wrote it), and how each row is checked on import.
 *
 * Rows are exported as drizzle reads them (camelCase keys, JSON columns
 * parsed), so a section follows src/db/schema.ts by itself: a column added
 * there is exported and imported without a change here. The sections are
 * listed in import order (a row's references come before it).
 *
 * Autoincrement ids (history entries, codes, scripts, audit entries, shifts)
 * are not carried: the importing installation numbers them anew, in the order
 * the archive lists them.
 */
import { LANGUAGES } from "../i18n/languages";
import { formTranslationsSchema } from "../shared/form-translations";
import { and, asc, eq, getTableColumns, gt, inArray, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { ROLES } from "../auth/librarian";
import type { Database } from "../db/client";
import {
  auditLog,
  cannedMessages,
  chatSessions,
  coopFeedback,
  coverageShifts,
  descriptiveCodes,
  formLogos,
  forms,
  groupInvitations,
  groupMembers,
  groupPages,
  groups,
  librarians,
  libraries,
  mailOutbox,
  policyPages,
  questionEvents,
  questions,
  statChatCodes,
  statChats,
  surveyAnswers,
} from "../db/schema";
import { slugSchema } from "../shared/api";
import { FEEDBACK_RATINGS } from "../shared/coop-api";
import { QUESTION_STATUSES } from "../shared/question-rules";

export type ArchiveKind = "library" | "group";
export type Row = Record<string, unknown>;

export interface Section {
  /** The section's name in the manifest, and the base of its file names. */
  name: string;
  table: SQLiteTable;
  /** Columns never exported (drizzle keys). */
  omit: readonly string[];
  /** The autoincrement id is not carried: the importing installation assigns its own. */
  autoId?: boolean;
  /** Whether the owner can have so many rows that the section is split into numbered files. */
  chunked?: boolean;
  /** The owner's rows, a page at a time after `after` (the key of the last row of the previous page). */
  page(db: Database, ownerId: string, after: string | number | null, limit: number): Promise<Row[]>;
  /** The key rows are paged and ordered by. */
  key: string;
  /** Which column names the owner: every imported row must name the archive's own. */
  ownerColumn?: string;
  /** Checks beyond the column types (enumerations, the shape of JSON columns). */
  refine?: Partial<Record<string, z.ZodType>>;
}

/** Rows of `table` where `where` holds, ordered by `key`, a page after `after`. */
function pageOf(db: Database, table: SQLiteTable, key: SQLiteColumn, where: SQL | undefined, after: string | number | null, limit: number): Promise<Row[]> {
  return db
    .select()
    .from(table)
    .where(and(where, after === null ? undefined : gt(key, after)))
    .orderBy(asc(key))
    .limit(limit)
    .all() as Promise<Row[]>;
}

/**
 * Rows of a table keyed by a chat and something more (its codes, its survey answers),
 * whole chats at a time: every row of the next `limit` chats after `after`, so a page
 * never splits a chat's rows (and holds at least `limit` rows while chats remain).
 */
function chatsPageOf(db: Database, table: SQLiteTable, chat: SQLiteColumn, then: SQLiteColumn, where: SQL | undefined, after: string | number | null, limit: number): Promise<Row[]> {
  const chats = db
    .selectDistinct({ id: chat })
    .from(table)
    .where(and(where, after === null ? undefined : gt(chat, after)))
    .orderBy(asc(chat))
    .limit(limit);
  return db.select().from(table).where(inArray(chat, chats)).orderBy(asc(chat), asc(then)).all() as Promise<Row[]>;
}

const link = z.object({ label: z.string(), url: z.string() }).strict();
const stringList = z.array(z.string());
const record = z.record(z.string(), z.unknown());
const nullableRecord = record.nullable();

/** The library's own forms (a group's forms go with the group). */
const libraryForms = (libraryId: string) => and(eq(forms.libraryId, libraryId), isNull(forms.groupId));
const groupForms = (groupId: string) => eq(forms.groupId, groupId);

/** Ended chats only: a chat still open is exported once it has ended and been filed. */
const FILED = ["ended", "unavailable"] as const;
/** Mail that has been sent or has failed: one still waiting would be sent twice, by both installations. */
const SETTLED_MAIL = ["sent", "failed"] as const;

export const LIBRARY_SECTIONS: readonly Section[] = [
  {
    name: "library",
    table: libraries,
    omit: [],
    key: "id",
    ownerColumn: "id",
    page: (db, id, after, limit) => pageOf(db, libraries, libraries.id, eq(libraries.id, id), after, limit),
    refine: { id: slugSchema, fallbackLinks: z.array(link), allowedOrigins: stringList },
  },
  {
    name: "librarians",
    table: librarians,
    // Never a password hash; lock-out counts belong to the installation that counted them.
    omit: ["passwordHash", "failedLogins", "lockedUntil"],
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, librarians, librarians.id, eq(librarians.libraryId, id), after, limit),
    refine: { role: z.enum(ROLES), email: z.string().max(254) },
  },
  {
    name: "forms",
    table: forms,
    omit: [],
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, forms, forms.id, libraryForms(id), after, limit),
    refine: { id: slugSchema, groupId: z.null(), fields: z.array(record), languages: z.array(z.enum(LANGUAGES)).min(1), defaultLanguage: z.enum(LANGUAGES), translations: formTranslationsSchema },
  },
  {
    name: "formLogos",
    table: formLogos,
    omit: [],
    chunked: true,
    key: "formId",
    page: (db, id, after, limit) => pageOf(db, formLogos, formLogos.formId, inArray(formLogos.formId, db.select({ id: forms.id }).from(forms).where(libraryForms(id))), after, limit),
  },
  {
    name: "descriptiveCodes",
    table: descriptiveCodes,
    omit: [],
    autoId: true,
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, descriptiveCodes, descriptiveCodes.id, eq(descriptiveCodes.libraryId, id), after, limit),
  },
  {
    name: "scripts",
    table: cannedMessages,
    omit: [],
    autoId: true,
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, cannedMessages, cannedMessages.id, eq(cannedMessages.libraryId, id), after, limit),
  },
  {
    name: "policyPage",
    table: policyPages,
    omit: [],
    key: "libraryId",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, policyPages, policyPages.libraryId, eq(policyPages.libraryId, id), after, limit),
    refine: { sections: z.record(z.string(), z.string()), links: z.array(z.object({ kind: z.string(), label: z.string(), url: z.string() }).strict()), quickAnswers: z.array(z.object({ title: z.string(), text: z.string() }).strict()) },
  },
  {
    name: "sessions",
    table: chatSessions,
    // Whether a filing is being retried is the exporting installation's business.
    omit: ["filingAttempts", "filingFailedAt"],
    chunked: true,
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, chatSessions, chatSessions.id, and(eq(chatSessions.libraryId, id), inArray(chatSessions.status, [...FILED])), after, limit),
    refine: { status: z.enum(FILED), patronDetails: z.record(z.string(), z.string()), descriptiveCodes: stringList, transcript: z.array(record).nullable() },
  },
  {
    name: "questions",
    table: questions,
    omit: [],
    chunked: true,
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, questions, questions.id, eq(questions.libraryId, id), after, limit),
    refine: { status: z.enum(QUESTION_STATUSES), source: z.enum(["chat", "email"]) },
  },
  {
    name: "questionHistory",
    table: questionEvents,
    omit: [],
    autoId: true,
    chunked: true,
    key: "id",
    page: (db, id, after, limit) =>
      pageOf(db, questionEvents, questionEvents.id, inArray(questionEvents.questionId, db.select({ id: questions.id }).from(questions).where(eq(questions.libraryId, id))), after, limit),
    refine: { detail: record },
  },
  {
    // Statistics facts: what each filed chat counts for, without a name or a text (src/stats/fact.ts).
    name: "statisticsFacts",
    table: statChats,
    // Whether a fact is in this installation's cooperative rollups, and its change counter, are the exporting installation's.
    omit: ["counted", "version"],
    chunked: true,
    key: "sessionId",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, statChats, statChats.sessionId, eq(statChats.libraryId, id), after, limit),
    refine: { codes: stringList, source: z.enum(["chat", "email"]), outcome: z.enum(["answered", "turned_away", "abandoned"]) },
  },
  {
    name: "statisticsCodes",
    table: statChatCodes,
    omit: [],
    chunked: true,
    key: "sessionId",
    page: (db, id, after, limit) =>
      chatsPageOf(db, statChatCodes, statChatCodes.sessionId, statChatCodes.code, inArray(statChatCodes.sessionId, db.select({ id: statChats.sessionId }).from(statChats).where(eq(statChats.libraryId, id))), after, limit),
  },
  {
    name: "surveyAnswers",
    table: surveyAnswers,
    omit: [],
    chunked: true,
    key: "sessionId",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => chatsPageOf(db, surveyAnswers, surveyAnswers.sessionId, surveyAnswers.questionId, eq(surveyAnswers.libraryId, id), after, limit),
  },
  {
    name: "mails",
    table: mailOutbox,
    // The MIME copy, the send lease and the operator's marks are the sending installation's.
    omit: ["rawMessage", "claimedUntil", "deadLetteredAt", "discardedAt"],
    chunked: true,
    key: "eventKey",
    ownerColumn: "libraryId",
    // Mail about questions only: an account mail carries a sign-in link, which stays with its installation.
    page: (db, id, after, limit) =>
      pageOf(db, mailOutbox, mailOutbox.eventKey, and(eq(mailOutbox.libraryId, id), inArray(mailOutbox.status, [...SETTLED_MAIL]), isNotNull(mailOutbox.questionId)), after, limit),
    refine: { status: z.enum(SETTLED_MAIL), questionId: z.string() },
  },
  {
    name: "feedback",
    table: coopFeedback,
    omit: [],
    key: "id",
    ownerColumn: "libraryId",
    page: (db, id, after, limit) => pageOf(db, coopFeedback, coopFeedback.id, eq(coopFeedback.libraryId, id), after, limit),
    refine: { rating: z.enum(FEEDBACK_RATINGS) },
  },
  {
    name: "auditLog",
    table: auditLog,
    omit: [],
    autoId: true,
    chunked: true,
    key: "id",
    ownerColumn: "libraryId",
    // Entries about a group (a member added, a group form) go with the group's archive.
    page: (db, id, after, limit) => pageOf(db, auditLog, auditLog.id, and(eq(auditLog.libraryId, id), isNull(auditLog.groupId)), after, limit),
    refine: { before: nullableRecord, after: nullableRecord, groupId: z.null() },
  },
];

export const GROUP_SECTIONS: readonly Section[] = [
  {
    name: "group",
    table: groups,
    omit: [],
    key: "id",
    ownerColumn: "id",
    page: (db, id, after, limit) => pageOf(db, groups, groups.id, eq(groups.id, id), after, limit),
    refine: { id: slugSchema },
  },
  {
    name: "groupPage",
    table: groupPages,
    omit: [],
    key: "groupId",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, groupPages, groupPages.groupId, eq(groupPages.groupId, id), after, limit),
  },
  {
    name: "members",
    table: groupMembers,
    omit: [],
    key: "libraryId",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, groupMembers, groupMembers.libraryId, eq(groupMembers.groupId, id), after, limit),
  },
  {
    name: "forms",
    table: forms,
    omit: [],
    key: "id",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, forms, forms.id, groupForms(id), after, limit),
    refine: { id: slugSchema, fields: z.array(record) },
  },
  {
    name: "formLogos",
    table: formLogos,
    omit: [],
    chunked: true,
    key: "formId",
    page: (db, id, after, limit) => pageOf(db, formLogos, formLogos.formId, inArray(formLogos.formId, db.select({ id: forms.id }).from(forms).where(groupForms(id))), after, limit),
  },
  {
    name: "scripts",
    table: cannedMessages,
    omit: [],
    autoId: true,
    key: "id",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, cannedMessages, cannedMessages.id, eq(cannedMessages.groupId, id), after, limit),
  },
  {
    name: "coverageShifts",
    table: coverageShifts,
    omit: [],
    autoId: true,
    key: "id",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, coverageShifts, coverageShifts.id, eq(coverageShifts.groupId, id), after, limit),
  },
  {
    name: "invitations",
    table: groupInvitations,
    omit: [],
    key: "id",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, groupInvitations, groupInvitations.id, eq(groupInvitations.groupId, id), after, limit),
  },
  {
    name: "auditLog",
    table: auditLog,
    omit: [],
    autoId: true,
    chunked: true,
    key: "id",
    ownerColumn: "groupId",
    page: (db, id, after, limit) => pageOf(db, auditLog, auditLog.id, eq(auditLog.groupId, id), after, limit),
    refine: { before: nullableRecord, after: nullableRecord },
  },
];

export const SECTIONS: Record<ArchiveKind, readonly Section[]> = { library: LIBRARY_SECTIONS, group: GROUP_SECTIONS };

/** The columns a section exports: drizzle key → column. */
export function exportedColumns(section: Section): [string, SQLiteColumn][] {
  return (Object.entries(getTableColumns(section.table)) as [string, SQLiteColumn][]).filter(([key]) => !section.omit.includes(key) && !(section.autoId && key === "id"));
}

/** A row as it goes into the archive: only the exported columns, in the table's order. */
export function exportRow(section: Section, row: Row): Row {
  return Object.fromEntries(exportedColumns(section).map(([key]) => [key, row[key] ?? null]));
}

/** Longest text an imported value may have (D1 keeps at most 2 MB in one value). */
const TEXT_MAX = 1_000_000;

function columnSchema(column: SQLiteColumn): z.ZodType {
  const base: z.ZodType =
    column.columnType === "SQLiteBoolean"
      ? z.boolean()
      : column.columnType === "SQLiteInteger" || column.columnType === "SQLiteTimestamp"
        ? z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)
        : column.columnType === "SQLiteTextJson"
          ? z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= TEXT_MAX, "Too large, or not JSON")
          : z.string().max(TEXT_MAX);
  return column.notNull ? base : base.nullable();
}

/** The schema one row of the section must pass: every exported column, nothing else. */
export function rowSchema(section: Section): z.ZodType<Row> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, column] of exportedColumns(section)) {
    const refined = section.refine?.[key];
    shape[key] = refined ? (column.notNull ? refined : refined.nullable()) : columnSchema(column);
  }
  return z.object(shape).strict() as unknown as z.ZodType<Row>;
}
