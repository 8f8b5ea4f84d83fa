/**
 * Reading questions from D1: one row shape for lists (a summary) and one for
 * a single question (everything the page and the actions need), and the
 * tenancy gate every route goes through before it touches a question.
 */
import { and, eq, sql, type SQLWrapper } from "drizzle-orm";
import { alias, type SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Librarian } from "../auth/librarian";
import { database, type Database } from "../db/client";
import { chatSessions, librarians, libraries, mailOutbox, questions } from "../db/schema";
import { logAccessDenied, questionAccess, type QuestionAccess } from "../db/tenancy";
import { ApiError } from "../http/errors";
import type { FiledResolution } from "../shared/codes";
import type { ChatMessage } from "../shared/protocol";
import type { QuestionStatus } from "../shared/question-rules";
import type { QuestionSummary } from "../shared/questions-api";

const homeLibrary = alias(libraries, "home_library");
const assignee = alias(librarians, "assignee");
const answeringLibrary = alias(libraries, "answering_library");

/** A JSON column as stored: parsed leniently below, so one damaged row cannot break a list. */
const storedJson = (column: SQLWrapper) => sql<string | null>`${column}`;

export interface SummaryRow {
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
  assignedTo: string | null;
  assigneeName: string | null;
  servedBy: string | null;
  servedByName: string | null;
  resolutionCode: FiledResolution | null;
  /** As stored (JSON text): read it with descriptiveCodesOf. */
  descriptiveCodes: string | null;
  hidden: boolean;
  excludeFromStats: boolean;
  failedMails: number;
  rating: number | null;
}

export interface QuestionRecord extends SummaryRow {
  sessionId: string | null;
  answeringLibraryId: string | null;
  answeringLibraryName: string | null;
  endNote: string | null;
  /** As stored (JSON text): read it with transcriptOf. */
  transcript: string | null;
  transcriptOptOut: boolean | null;
  /** The chat's language (its mails are written in it); null for a question that came by e-mail. */
  language: string | null;
  /** As stored (JSON text): read it with patronDetailsOf. */
  patronDetails: string | null;
  referrer: string | null;
  sessionCreatedAt: number | null;
  acceptedAt: number | null;
  endedAt: number | null;
  timeZone: string;
  contactEmail: string | null;
  mailSenderName: string | null;
}

/**
 * The columns of a summary, over the joins of `joinSummary`. Their SQL
 * names differ from one another, as D1 needs when a query runs in a batch
 * (its rows come back as objects there, keyed by column name).
 */
export function summaryFields(db: Database) {
  return {
    id: questions.id,
    status: questions.status,
    source: questions.source,
    question: questions.question,
    patronName: questions.patronName,
    patronEmail: questions.patronEmail,
    libraryId: questions.libraryId,
    libraryName: homeLibrary.name,
    createdAt: questions.createdAt,
    updatedAt: questions.updatedAt,
    assignedTo: questions.assignedTo,
    assigneeName: assignee.displayName,
    servedBy: chatSessions.librarianId,
    servedByName: chatSessions.librarianName,
    resolutionCode: chatSessions.resolutionCode,
    descriptiveCodes: storedJson(chatSessions.descriptiveCodes),
    hidden: questions.hidden,
    excludeFromStats: questions.excludeFromStats,
    failedMails: db.$count(mailOutbox, and(eq(mailOutbox.questionId, questions.id), eq(mailOutbox.status, "failed"))),
    rating: chatSessions.rating,
  } satisfies { [K in keyof SummaryRow]: SQLWrapper };
}

/** Joins a select from `questions` with each question's library, chat session (if any) and assignee (if any). */
export function joinSummary<T extends SQLiteSelect>(query: T) {
  return query
    .innerJoin(homeLibrary, eq(homeLibrary.id, questions.libraryId))
    .leftJoin(chatSessions, eq(chatSessions.id, questions.sessionId))
    .leftJoin(assignee, eq(assignee.id, questions.assignedTo));
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function descriptiveCodesOf(row: Pick<SummaryRow, "descriptiveCodes">): string[] {
  return parseJson<string[]>(row.descriptiveCodes, []);
}

export function transcriptOf(row: Pick<QuestionRecord, "transcript">): ChatMessage[] {
  return parseJson<ChatMessage[]>(row.transcript, []);
}

export function patronDetailsOf(row: Pick<QuestionRecord, "patronDetails">): Record<string, string> {
  return parseJson<Record<string, string>>(row.patronDetails, {});
}

export function toSummary(r: SummaryRow): QuestionSummary {
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    question: r.question,
    patronName: r.patronName,
    patronEmail: r.patronEmail,
    libraryId: r.libraryId,
    libraryName: r.libraryName,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    assignee: r.assignedTo ? { id: r.assignedTo, name: r.assigneeName ?? "A former librarian" } : null,
    chattedWith: r.servedBy ? { id: r.servedBy, name: r.servedByName ?? "A librarian" } : null,
    resolution: r.resolutionCode,
    descriptiveCodes: descriptiveCodesOf(r),
    hidden: r.hidden,
    excludeFromStats: r.excludeFromStats,
    failedMails: r.failedMails,
    rating: r.rating,
  };
}

const QUESTION_ID = /^q-[0-9a-f-]{36}$/;

/** One question with its session and library settings, or null. */
export async function loadQuestionRecord(d1: D1Database, questionId: string): Promise<QuestionRecord | null> {
  if (!QUESTION_ID.test(questionId)) return null;
  const db = database(d1);
  const query = db.select({
    ...summaryFields(db),
    sessionId: questions.sessionId,
    answeringLibraryId: chatSessions.answeringLibraryId,
    answeringLibraryName: answeringLibrary.name,
    endNote: chatSessions.endNote,
    transcript: storedJson(chatSessions.transcript),
    transcriptOptOut: chatSessions.transcriptOptOut,
    language: chatSessions.language,
    patronDetails: storedJson(chatSessions.patronDetails),
    referrer: chatSessions.referrer,
    sessionCreatedAt: chatSessions.createdAt,
    acceptedAt: chatSessions.acceptedAt,
    endedAt: chatSessions.endedAt,
    timeZone: homeLibrary.timeZone,
    contactEmail: homeLibrary.contactEmail,
    mailSenderName: homeLibrary.mailSenderName,
  } satisfies { [K in keyof QuestionRecord]: SQLWrapper })
    .from(questions)
    .$dynamic();
  const row = await joinSummary(query)
    .leftJoin(answeringLibrary, eq(answeringLibrary.id, chatSessions.answeringLibraryId))
    .where(eq(questions.id, questionId))
    .get();
  return row ?? null;
}

/** The answer to every question a librarian may not see: the same as for one that does not exist. */
export const questionNotFound = () => new ApiError(404, "not_found", "Question not found.");

/**
 * The tenancy gate: the question and how the librarian stands to it. A
 * question of another library is refused exactly like a missing one (so its
 * existence is not revealed), and the refusal is logged.
 */
export async function openQuestion(
  db: D1Database,
  librarian: Librarian,
  questionId: string,
  action: string,
): Promise<{ record: QuestionRecord; access: Exclude<QuestionAccess, "none"> }> {
  const record = await loadQuestionRecord(db, questionId);
  if (!record) throw questionNotFound();
  const access = questionAccess(librarian, {
    libraryId: record.libraryId,
    assignedTo: record.assignedTo,
    servedBy: record.servedBy,
    resolution: record.resolutionCode,
  });
  if (access === "none") {
    await logAccessDenied(db, librarian, "question", questionId, action);
    throw questionNotFound();
  }
  return { record, access };
}
