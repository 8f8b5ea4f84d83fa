/**
 * Everything the question page shows, for one librarian: the question, the
 * patron, the session with its whole transcript and codes, the history, the
 * notes, the mails and their state, and what this librarian may do now.
 */
import type { QuestionAccess } from "../db/tenancy";
import { TRANSITIONS, allowedActions, isAllowed, refusalMessage, type QuestionAction } from "../shared/question-rules";
import type { CodeView, MailState, MailView, PersonRef, QuestionDetail } from "../shared/questions-api";
import { toEventViews, type EventRow } from "./history";
import { descriptiveCodesOf, patronDetailsOf, toSummary, transcriptOf, type QuestionRecord } from "./records";

interface CodeRow {
  code: string;
  label: string;
  active: number;
}

interface MailRow {
  event_key: string;
  subject: string;
  to_address: string;
  status: MailState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

function mailKind(eventKey: string): MailView["kind"] {
  if (eventKey.startsWith("transcript:")) return "transcript";
  if (eventKey.startsWith("followup:")) return "followup";
  return "other";
}

/** Why the follow-up box is closed for this question, or null when an answer can be sent. */
export function answerBlockedReason(record: Pick<QuestionRecord, "status" | "patron_email">): string | null {
  if (!record.patron_email) return "The patron left no e-mail address, so no answer can be sent.";
  if (!isAllowed("answer", record.status)) return refusalMessage("answer", record.status);
  return null;
}

export async function questionDetail(db: D1Database, record: QuestionRecord, access: Exclude<QuestionAccess, "none">): Promise<QuestionDetail> {
  const [events, mails, codes, colleagues] = await db.batch<EventRow | MailRow | CodeRow | { id: string; display_name: string }>([
    db
      .prepare(
        `SELECT e.id, e.actor_id, l.display_name AS actor_name, e.action, e.detail, e.created_at
         FROM question_events e LEFT JOIN librarians l ON l.id = e.actor_id WHERE e.question_id = ? ORDER BY e.id`,
      )
      .bind(record.id),
    db
      .prepare("SELECT event_key, subject, to_address, status, attempts, last_error, created_at, sent_at FROM mail_outbox WHERE question_id = ? ORDER BY created_at, event_key")
      .bind(record.id),
    db.prepare("SELECT code, label, active FROM descriptive_codes WHERE library_id = ? ORDER BY position, id").bind(record.library_id),
    db.prepare("SELECT id, display_name FROM librarians WHERE library_id = ? AND disabled_at IS NULL ORDER BY display_name").bind(record.library_id),
  ]);
  const libraryCodes = (codes!.results as CodeRow[]).map((c): CodeView => ({ code: c.code, label: c.label, active: c.active === 1 }));
  const byCode = new Map(libraryCodes.map((c) => [c.code, c]));
  // A code the library no longer has at all still shows, as inactive.
  const codeView = (code: string): CodeView => byCode.get(code) ?? { code, label: code, active: false };
  const { events: eventViews, notes } = toEventViews(events!.results as EventRow[], (code) => codeView(code).label);
  const home = access === "home";
  const blocked = answerBlockedReason(record);

  return {
    question: toSummary(record),
    patron: {
      name: record.patron_name,
      email: record.patron_email,
      details: patronDetailsOf(record),
      transcriptOptOut: record.transcript_opt_out === 1,
      referrer: record.referrer,
    },
    session: record.session_id
      ? {
          id: record.session_id,
          chattedWith: record.served_by
            ? { id: record.served_by, name: record.served_by_name ?? "A librarian", libraryName: record.answering_library_name }
            : null,
          servedByPartner: !!record.answering_library_id && record.answering_library_id !== record.library_id,
          resolution: record.resolution_code,
          descriptiveCodes: descriptiveCodesOf(record).map(codeView),
          endNote: record.end_note,
          createdAt: record.session_created_at ?? record.created_at,
          acceptedAt: record.accepted_at,
          endedAt: record.ended_at,
          transcript: transcriptOf(record),
        }
      : null,
    events: eventViews,
    notes,
    mails: (mails!.results as MailRow[]).map((m) => ({
      eventKey: m.event_key,
      kind: mailKind(m.event_key),
      subject: m.subject,
      to: m.to_address,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      createdAt: m.created_at,
      sentAt: m.sent_at,
    })),
    viewer: {
      home,
      actions: allowedActions(record.status).filter(
        (a): a is Exclude<QuestionAction, "answer"> => a !== "answer" && (home || TRANSITIONS[a].cooperativeMay),
      ),
      canAnswer: blocked === null && (home || TRANSITIONS.answer.cooperativeMay),
      answerBlocked: blocked,
      canEditCodes: home && record.session_id !== null,
    },
    colleagues: home ? (colleagues!.results as { id: string; display_name: string }[]).map((l): PersonRef => ({ id: l.id, name: l.display_name })) : [],
    codeChoices: home ? libraryCodes.filter((c) => c.active) : [],
  };
}
