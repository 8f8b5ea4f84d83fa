/**
 * Everything a librarian does to a question: status changes (the transitions
 * table), the follow-up answer (recorded and mailed through the outbox),
 * notes, codes, re-sending a failed mail. Each one is a single D1 batch whose
 * first statement checks the question is still as the librarian saw it; the
 * rest run only if it matched (`changes()`), so a refused or raced action
 * changes nothing at all.
 */
import { and, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { database, type Database } from "../db/client";
import { insertIf, isSameAs, lastInsertedRowId, previousChangedOneRow } from "../db/guarded-writes";
import { chatSessions, descriptiveCodes, librarians, mailOutbox, questionEvents, questions } from "../db/schema";
import { logAccessDenied, type QuestionAccess } from "../db/tenancy";
import { ApiError, badRequest, forbidden, notFound } from "../http/errors";
import { composeFollowupMail, followupMailKey, followupMailKeyPrefix } from "../mail/followup-mail";
import { enqueueMail } from "../mail/outbox";
import { syncStatFact } from "../stats/record";
import { MAX_DESCRIPTIVE_CODES } from "../shared/codes";
import { TRANSITIONS, isAllowed, refusalMessage, type QuestionAction } from "../shared/question-rules";
import type { AnswerBody, QuestionCodesBody, TransitionBody } from "../shared/questions-api";
import { answerBlockedReason } from "./detail";
import { descriptiveCodesOf, transcriptOf, type QuestionRecord } from "./records";
import { ROUTING } from "./routing";
import { answersRequest } from "./sql-conditions";

type Access = Exclude<QuestionAccess, "none">;
type MailEnv = Pick<Env, "DB" | "MAIL_QUEUE">;

const changedMeanwhile = () =>
  new ApiError(409, "invalid_transition", "The question changed while you were working on it. Reload it and try again.");

/** Refuses what only the home library may do, when the librarian is the cooperative one. */
async function assertMay(d1: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, what: string, cooperativeMay: boolean): Promise<void> {
  if (access === "home" || cooperativeMay) return;
  await logAccessDenied(d1, librarian, "question", record.id, what);
  throw forbidden(`Only librarians of ${record.libraryName} can do this; you can answer the patron and add notes.`);
}

function assertAllowed(action: QuestionAction, record: QuestionRecord): void {
  if (!isAllowed(action, record.status)) throw new ApiError(409, "invalid_transition", refusalMessage(action, record.status), "action");
}

/** The history row of an action, written only if the batch statement before it changed the question. */
function eventInsert(db: Database, questionId: string, actorId: string, action: string, detail: Record<string, unknown>, at: number) {
  return insertIf(db, questionEvents, { questionId, actorId, action, detail, createdAt: at }, previousChangedOneRow).returning({ id: questionEvents.id });
}

/** Assign, reassign, mark pending, close, reopen. */
export async function changeStatus(d1: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, body: TransitionBody, now = Date.now()): Promise<void> {
  const db = database(d1);
  const t = TRANSITIONS[body.action];
  await assertMay(d1, librarian, record, access, body.action, t.cooperativeMay);
  assertAllowed(body.action, record);

  let assignee = record.assignedTo;
  let assigneeName: string | null = record.assigneeName;
  if ("assigneeId" in body) {
    const target = await db
      .select({ id: librarians.id, displayName: librarians.displayName })
      .from(librarians)
      .where(and(eq(librarians.id, body.assigneeId), eq(librarians.libraryId, record.libraryId), isNull(librarians.disabledAt)))
      .get();
    if (!target) throw badRequest(`Choose a librarian of ${record.libraryName}.`, "assigneeId");
    if (target.id === record.assignedTo) throw badRequest(`${target.displayName} already has this question.`, "assigneeId");
    assignee = target.id;
    assigneeName = target.displayName;
  } else if (body.action !== "close") {
    // Someone has to own a question that is being worked on: the librarian who acts, if nobody does yet.
    assignee = record.assignedTo ?? librarian.id;
    assigneeName = record.assignedTo ? record.assigneeName : librarian.displayName;
  }

  const detail = {
    from: record.status,
    to: t.to,
    assigneeId: assignee,
    assigneeName,
    ...(record.assignedTo !== assignee ? { previousAssigneeId: record.assignedTo, previousAssigneeName: record.assigneeName } : {}),
  };
  const [update] = await db.batch([
    db
      .update(questions)
      .set({ status: t.to, assignedTo: assignee, updatedAt: now })
      .where(and(eq(questions.id, record.id), eq(questions.status, record.status), isSameAs(questions.assignedTo, record.assignedTo))),
    eventInsert(db, record.id, librarian.id, body.action, detail, now),
  ]);
  if (update.meta.changes !== 1) throw changedMeanwhile();
}

export interface AnswerOutcome {
  /** The outbox key of the follow-up mail. */
  mailKey: string;
  /** The same answer (request id) had already been recorded: nothing new was sent. */
  replay: boolean;
}

/**
 * Records the follow-up answer and queues its mail, in one batch: the status
 * change, the history row and the outbox row keyed by that row's id. The same
 * requestId twice records and mails once.
 */
export async function answerQuestion(env: MailEnv, librarian: Librarian, record: QuestionRecord, access: Access, body: AnswerBody, now = Date.now()): Promise<AnswerOutcome> {
  const db = database(env.DB);
  await assertMay(env.DB, librarian, record, access, "answer", TRANSITIONS.answer.cooperativeMay);
  const requestId = body.requestId ?? crypto.randomUUID();
  const earlier = await priorAnswer(db, record.id, requestId);
  if (earlier) return { mailKey: followupMailKey(record.id, earlier), replay: true };
  assertAllowed("answer", record);
  if (!record.patronEmail) throw new ApiError(409, "no_recipient", answerBlockedReason(record)!, "body");

  const mail = composeFollowupMail({
    libraryName: record.libraryName,
    timeZone: record.timeZone,
    librarianName: librarian.displayName,
    patronName: record.patronName,
    question: record.question,
    askedAt: record.createdAt,
    answer: body.body,
    transcript: record.transcriptOptOut === true ? null : transcriptOf(record),
    canReply: !!record.contactEmail,
    language: record.language,
  });
  const [update, event] = await db.batch([
    db
      .update(questions)
      .set({ status: TRANSITIONS.answer.to, assignedTo: sql`coalesce(${questions.assignedTo}, ${librarian.id})`, updatedAt: now })
      .where(
        and(
          eq(questions.id, record.id),
          inArray(questions.status, [...TRANSITIONS.answer.from]),
          isNotNull(questions.patronEmail),
          notExists(answerEvents(db, record.id, requestId)),
        ),
      ),
    eventInsert(db, record.id, librarian.id, "answer", { from: record.status, to: TRANSITIONS.answer.to, body: body.body, requestId, sentTo: record.patronEmail }, now),
    // The history row just written keys the mail: one event, one mail.
    insertIf(
      db,
      mailOutbox,
      {
        eventKey: sql`${followupMailKeyPrefix(record.id)} || ${lastInsertedRowId}`,
        libraryId: record.libraryId,
        questionId: record.id,
        toAddress: record.patronEmail,
        fromName: record.mailSenderName ?? record.libraryName,
        replyTo: record.contactEmail,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        status: "pending",
        createdAt: now,
      },
      previousChangedOneRow,
    ),
  ]);
  if (update.meta.changes !== 1) {
    // Raced: by the same answer sent twice at once, or by a status change.
    const raced = await priorAnswer(db, record.id, requestId);
    if (raced) return { mailKey: followupMailKey(record.id, raced), replay: true };
    throw changedMeanwhile();
  }
  const mailKey = followupMailKey(record.id, event[0]!.id);
  await enqueueOrMarkFailed(env, mailKey);
  return { mailKey, replay: false };
}

/** The history rows of the answer sent with `requestId`. */
function answerEvents(db: Database, questionId: string, requestId: string) {
  return db
    .select({ id: questionEvents.id })
    .from(questionEvents)
    .where(and(eq(questionEvents.questionId, questionId), eq(questionEvents.action, "answer"), answersRequest(requestId)));
}

async function priorAnswer(db: Database, questionId: string, requestId: string): Promise<number | null> {
  const row = await answerEvents(db, questionId, requestId).get();
  return row?.id ?? null;
}

/**
 * Puts a mail on the queue. If the queue refuses, the row is marked failed
 * with the reason, so the question shows it and a librarian can re-send it.
 */
async function enqueueOrMarkFailed(env: MailEnv, eventKey: string): Promise<void> {
  try {
    await enqueueMail(env.MAIL_QUEUE, eventKey);
  } catch (error) {
    console.error(JSON.stringify({ event: "mail_enqueue_failed", eventKey, error: String(error).slice(0, 200) }));
    await database(env.DB)
      .update(mailOutbox)
      .set({ status: "failed", lastError: `Could not be queued for sending: ${String(error).slice(0, 400)}` })
      .where(and(eq(mailOutbox.eventKey, eventKey), eq(mailOutbox.status, "pending")));
  }
}

/** An internal note: never shown to the patron. */
export async function addNote(d1: D1Database, librarian: Librarian, record: QuestionRecord, body: string, now = Date.now()): Promise<void> {
  const db = database(d1);
  await db.batch([db.update(questions).set({ updatedAt: now }).where(eq(questions.id, record.id)), eventInsert(db, record.id, librarian.id, "note", { body }, now)]);
}

/**
 * Changes the session's resolution and descriptive codes. New descriptive
 * codes must be active codes of the question's library; codes the session
 * already carries may stay even if the library has since hidden them. The
 * resolution's routing rule decides hidden and statistics afresh; the status
 * stays as it is (that is what the transition actions are for).
 */
export async function changeCodes(d1: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, body: QuestionCodesBody, now = Date.now()): Promise<void> {
  const db = database(d1);
  await assertMay(d1, librarian, record, access, "codes", false);
  if (!record.sessionId) throw new ApiError(409, "invalid_transition", "This question has no chat session, so it has no codes.");
  const chosen = body.descriptiveCodes ?? [];
  if (chosen.length > MAX_DESCRIPTIVE_CODES) throw badRequest(`Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes`, "descriptiveCodes");
  const current = descriptiveCodesOf(record);
  const known = chosen.length
    ? await db
        .select({ code: descriptiveCodes.code, active: descriptiveCodes.active })
        .from(descriptiveCodes)
        .where(and(eq(descriptiveCodes.libraryId, record.libraryId), inArray(descriptiveCodes.code, chosen)))
        .all()
    : [];
  const state = new Map(known.map((r) => [r.code, r.active]));
  chosen.forEach((code, i) => {
    if (current.includes(code) || state.get(code) === true) return;
    if (state.get(code) === false) throw badRequest(`“${code}” is hidden in ${record.libraryName}'s list of codes; choose an active code.`, `descriptiveCodes.${i}`);
    throw badRequest(`“${code}” is not a descriptive code of ${record.libraryName}.`, `descriptiveCodes.${i}`);
  });
  if (body.resolution === record.resolutionCode && JSON.stringify(chosen) === JSON.stringify(current)) return;

  const rule = ROUTING[body.resolution];
  const [update] = await db.batch([
    db
      .update(chatSessions)
      .set({ resolutionCode: body.resolution, descriptiveCodes: chosen })
      .where(
        and(
          eq(chatSessions.id, record.sessionId),
          isSameAs(chatSessions.resolutionCode, record.resolutionCode),
          // Compared as stored, so a damaged value still counts as "as the librarian saw it".
          isSameAs(chatSessions.descriptiveCodes, record.descriptiveCodes),
        ),
      ),
    db
      .update(questions)
      .set({ hidden: rule.hidden, excludeFromStats: rule.excludeFromStats, updatedAt: now })
      .where(and(eq(questions.id, record.id), previousChangedOneRow)),
    eventInsert(
      db,
      record.id,
      librarian.id,
      "codes",
      { from: { resolution: record.resolutionCode, descriptiveCodes: current }, to: { resolution: body.resolution, descriptiveCodes: chosen } },
      now,
    ),
  ]);
  if (update.meta.changes !== 1) throw changedMeanwhile();
  // Statistics follow the new codes (and a resolution that leaves the chat out of them, or brings it back).
  await syncStatFact(d1, record.sessionId);
}

/**
 * Sends a failed mail again: its attempts start over and it goes back on the
 * queue. Only a failed mail can be re-sent — a sent one never goes twice.
 */
export async function resendMail(env: MailEnv, librarian: Librarian, record: QuestionRecord, eventKey: string, now = Date.now()): Promise<void> {
  const db = database(env.DB);
  const thisMail = and(eq(mailOutbox.eventKey, eventKey), eq(mailOutbox.questionId, record.id));
  const [update] = await db.batch([
    db.update(mailOutbox).set({ status: "pending", attempts: 0, lastError: null }).where(and(thisMail, eq(mailOutbox.status, "failed"))),
    eventInsert(db, record.id, librarian.id, "mail_resent", { eventKey }, now),
  ]);
  if (update.meta.changes !== 1) {
    const row = await db.select({ status: mailOutbox.status }).from(mailOutbox).where(thisMail).get();
    if (!row) throw notFound("Mail");
    if (row.status === "sent") throw new ApiError(409, "invalid_transition", "This mail has been sent already; a mail is never sent twice.", "eventKey");
    throw new ApiError(409, "invalid_transition", "This mail is still being sent; only a mail that failed can be re-sent.", "eventKey");
  }
  await db.update(questions).set({ updatedAt: now }).where(eq(questions.id, record.id));
  await enqueueOrMarkFailed(env, eventKey);
}
