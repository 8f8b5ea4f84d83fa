/**
 * Reading questions from D1: one row shape for lists (a summary) and one for
 * a single question (everything the page and the actions need), and the
 * tenancy gate every route goes through before it touches a question.
 */
import type { Librarian } from "../auth/librarian";
import { logAccessDenied, questionAccess, type QuestionAccess } from "../db/tenancy";
import { ApiError } from "../http/errors";
import type { ResolutionCode } from "../shared/codes";
import type { ChatMessage } from "../shared/protocol";
import type { QuestionStatus } from "../shared/question-rules";
import type { QuestionSummary } from "../shared/questions-api";

/** Columns of a summary, over `questions q` joined as in SUMMARY_FROM. */
export const SUMMARY_COLUMNS = `q.id, q.status, q.source, q.question, q.patron_name, q.patron_email, q.library_id, lib.name AS library_name,
  q.created_at, q.updated_at, q.assigned_to, a.display_name AS assignee_name, cs.librarian_id AS served_by, cs.librarian_name AS served_by_name,
  cs.resolution_code, cs.descriptive_codes, q.hidden, q.exclude_from_stats,
  (SELECT COUNT(*) FROM mail_outbox m WHERE m.question_id = q.id AND m.status = 'failed') AS failed_mails`;

export const SUMMARY_FROM = `questions q
  JOIN libraries lib ON lib.id = q.library_id
  LEFT JOIN chat_sessions cs ON cs.id = q.session_id
  LEFT JOIN librarians a ON a.id = q.assigned_to`;

export interface SummaryRow {
  id: string;
  status: QuestionStatus;
  source: "chat" | "email";
  question: string;
  patron_name: string | null;
  patron_email: string | null;
  library_id: string;
  library_name: string;
  created_at: number;
  updated_at: number;
  assigned_to: string | null;
  assignee_name: string | null;
  served_by: string | null;
  served_by_name: string | null;
  resolution_code: ResolutionCode | null;
  descriptive_codes: string | null;
  hidden: number;
  exclude_from_stats: number;
  failed_mails: number;
}

export interface QuestionRecord extends SummaryRow {
  session_id: string | null;
  answering_library_id: string | null;
  answering_library_name: string | null;
  end_note: string | null;
  transcript: string | null;
  transcript_opt_out: number | null;
  patron_details: string | null;
  referrer: string | null;
  session_created_at: number | null;
  accepted_at: number | null;
  ended_at: number | null;
  time_zone: string;
  contact_email: string | null;
  mail_sender_name: string | null;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function descriptiveCodesOf(row: Pick<SummaryRow, "descriptive_codes">): string[] {
  return parseJson<string[]>(row.descriptive_codes, []);
}

export function transcriptOf(row: Pick<QuestionRecord, "transcript">): ChatMessage[] {
  return parseJson<ChatMessage[]>(row.transcript, []);
}

export function patronDetailsOf(row: Pick<QuestionRecord, "patron_details">): Record<string, string> {
  return parseJson<Record<string, string>>(row.patron_details, {});
}

export function toSummary(r: SummaryRow): QuestionSummary {
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    question: r.question,
    patronName: r.patron_name,
    patronEmail: r.patron_email,
    libraryId: r.library_id,
    libraryName: r.library_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    assignee: r.assigned_to ? { id: r.assigned_to, name: r.assignee_name ?? "A former librarian" } : null,
    chattedWith: r.served_by ? { id: r.served_by, name: r.served_by_name ?? "A librarian" } : null,
    resolution: r.resolution_code,
    descriptiveCodes: descriptiveCodesOf(r),
    hidden: r.hidden === 1,
    excludeFromStats: r.exclude_from_stats === 1,
    failedMails: r.failed_mails,
  };
}

const QUESTION_ID = /^q-[0-9a-f-]{36}$/;

/** One question with its session and library settings, or null. */
export async function loadQuestionRecord(db: D1Database, questionId: string): Promise<QuestionRecord | null> {
  if (!QUESTION_ID.test(questionId)) return null;
  return db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, q.session_id, cs.answering_library_id, alib.name AS answering_library_name, cs.end_note, cs.transcript,
         cs.transcript_opt_out, cs.patron_details, cs.referrer, cs.created_at AS session_created_at, cs.accepted_at, cs.ended_at,
         lib.time_zone, lib.contact_email, lib.mail_sender_name
       FROM ${SUMMARY_FROM} LEFT JOIN libraries alib ON alib.id = cs.answering_library_id
       WHERE q.id = ?`,
    )
    .bind(questionId)
    .first<QuestionRecord>();
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
    libraryId: record.library_id,
    assignedTo: record.assigned_to,
    servedBy: record.served_by,
    resolution: record.resolution_code,
  });
  if (access === "none") {
    await logAccessDenied(db, librarian, "question", questionId, action);
    throw questionNotFound();
  }
  return { record, access };
}
