/**
 * Everything the question page shows, for one librarian: the question, the
 * patron, the session with its whole transcript and codes, the history, the
 * notes, the mails and their state, and what this librarian may do now.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { database } from "../db/client";
import { descriptiveCodes, librarians, mailOutbox, questionEvents } from "../db/schema";
import type { QuestionAccess } from "../db/tenancy";
import { TRANSITIONS, allowedActions, isAllowed, refusalMessage, type QuestionAction } from "../shared/question-rules";
import type { CodeView, MailView, PersonRef, QuestionDetail } from "../shared/questions-api";
import { ratingOf } from "../ratings/store";
import { toEventViews } from "./history";
import { descriptiveCodesOf, patronDetailsOf, toSummary, transcriptOf, type QuestionRecord } from "./records";

function mailKind(eventKey: string): MailView["kind"] {
  if (eventKey.startsWith("transcript:")) return "transcript";
  if (eventKey.startsWith("followup:")) return "followup";
  return "other";
}

/** Why the follow-up box is closed for this question, or null when an answer can be sent. */
export function answerBlockedReason(record: Pick<QuestionRecord, "status" | "patronEmail">): string | null {
  if (!record.patronEmail) return "The patron left no e-mail address, so no answer can be sent.";
  if (!isAllowed("answer", record.status)) return refusalMessage("answer", record.status);
  return null;
}

export async function questionDetail(d1: D1Database, record: QuestionRecord, access: Exclude<QuestionAccess, "none">): Promise<QuestionDetail> {
  const db = database(d1);
  // In a batch D1 returns rows keyed by column name: each query's column names are distinct.
  const [events, mails, libraryCodes, colleagues] = await db.batch([
    db
      .select({
        id: questionEvents.id,
        actorId: questionEvents.actorId,
        actorName: librarians.displayName,
        action: questionEvents.action,
        // As stored: history.ts reads it leniently.
        detail: sql<string>`${questionEvents.detail}`,
        createdAt: questionEvents.createdAt,
      })
      .from(questionEvents)
      .leftJoin(librarians, eq(librarians.id, questionEvents.actorId))
      .where(eq(questionEvents.questionId, record.id))
      .orderBy(asc(questionEvents.id)),
    db
      .select({
        eventKey: mailOutbox.eventKey,
        subject: mailOutbox.subject,
        to: mailOutbox.toAddress,
        status: mailOutbox.status,
        attempts: mailOutbox.attempts,
        lastError: mailOutbox.lastError,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
      })
      .from(mailOutbox)
      .where(eq(mailOutbox.questionId, record.id))
      .orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.eventKey)),
    db
      .select({ code: descriptiveCodes.code, label: descriptiveCodes.label, active: descriptiveCodes.active })
      .from(descriptiveCodes)
      .where(eq(descriptiveCodes.libraryId, record.libraryId))
      .orderBy(asc(descriptiveCodes.position), asc(descriptiveCodes.id)),
    db
      .select({ id: librarians.id, name: librarians.displayName })
      .from(librarians)
      .where(and(eq(librarians.libraryId, record.libraryId), isNull(librarians.disabledAt)))
      .orderBy(asc(librarians.displayName)),
  ]);
  const rating = record.sessionId ? await ratingOf(d1, record.sessionId) : null;
  const byCode = new Map(libraryCodes.map((c) => [c.code, c]));
  // A code the library no longer has at all still shows, as inactive.
  const codeView = (code: string): CodeView => byCode.get(code) ?? { code, label: code, active: false };
  const { events: eventViews, notes } = toEventViews(events, (code) => codeView(code).label);
  const home = access === "home";
  const blocked = answerBlockedReason(record);

  return {
    question: toSummary(record),
    patron: {
      name: record.patronName,
      email: record.patronEmail,
      details: patronDetailsOf(record),
      transcriptOptOut: record.transcriptOptOut === true,
      referrer: record.referrer,
    },
    session: record.sessionId
      ? {
          id: record.sessionId,
          chattedWith: record.servedBy
            ? { id: record.servedBy, name: record.servedByName ?? "A librarian", libraryName: record.answeringLibraryName }
            : null,
          servedByPartner: !!record.answeringLibraryId && record.answeringLibraryId !== record.libraryId,
          resolution: record.resolutionCode,
          descriptiveCodes: descriptiveCodesOf(record).map(codeView),
          endNote: record.endNote,
          createdAt: record.sessionCreatedAt ?? record.createdAt,
          acceptedAt: record.acceptedAt,
          endedAt: record.endedAt,
          transcript: transcriptOf(record),
          rating,
        }
      : null,
    events: eventViews,
    notes,
    mails: mails.map(
      (m): MailView => ({
        eventKey: m.eventKey,
        kind: mailKind(m.eventKey),
        subject: m.subject,
        to: m.to,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
      }),
    ),
    viewer: {
      home,
      actions: allowedActions(record.status).filter(
        (a): a is Exclude<QuestionAction, "answer"> => a !== "answer" && (home || TRANSITIONS[a].cooperativeMay),
      ),
      canAnswer: blocked === null && (home || TRANSITIONS.answer.cooperativeMay),
      answerBlocked: blocked,
      canEditCodes: home && record.sessionId !== null,
    },
    colleagues: home ? colleagues.map((l): PersonRef => ({ id: l.id, name: l.name })) : [],
    codeChoices: home ? libraryCodes.filter((c) => c.active) : [],
  };
}
