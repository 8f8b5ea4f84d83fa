/**
 * Everything a librarian does to a question: status changes (the transitions
 * table), the follow-up answer (recorded and mailed through the outbox),
 * notes, codes, re-sending a failed mail. Each one is a single D1 batch whose
 * first statement checks the question is still as the librarian saw it; the
 * rest run only if it matched (`changes()`), so a refused or raced action
 * changes nothing at all.
 */
import type { Librarian } from "../auth/librarian";
import { logAccessDenied, type QuestionAccess } from "../db/tenancy";
import { ApiError, badRequest, forbidden, notFound } from "../http/errors";
import { composeFollowupMail, followupMailKey, followupMailKeyPrefix } from "../mail/followup-mail";
import { enqueueMail } from "../mail/outbox";
import { MAX_DESCRIPTIVE_CODES } from "../shared/codes";
import { TRANSITIONS, isAllowed, refusalMessage, type QuestionAction } from "../shared/question-rules";
import type { AnswerBody, QuestionCodesBody, TransitionBody } from "../shared/questions-api";
import { answerBlockedReason } from "./detail";
import { descriptiveCodesOf, transcriptOf, type QuestionRecord } from "./records";
import { ROUTING } from "./routing";

type Access = Exclude<QuestionAccess, "none">;
type MailEnv = Pick<Env, "DB" | "MAIL_QUEUE">;

const changedMeanwhile = () =>
  new ApiError(409, "invalid_transition", "The question changed while you were working on it. Reload it and try again.");

/** Refuses what only the home library may do, when the librarian is the cooperative one. */
async function assertMay(db: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, what: string, cooperativeMay: boolean): Promise<void> {
  if (access === "home" || cooperativeMay) return;
  await logAccessDenied(db, librarian, "question", record.id, what);
  throw forbidden(`Only librarians of ${record.library_name} can do this; you can answer the patron and add notes.`);
}

function assertAllowed(action: QuestionAction, record: QuestionRecord): void {
  if (!isAllowed(action, record.status)) throw new ApiError(409, "invalid_transition", refusalMessage(action, record.status), "action");
}

function eventInsert(db: D1Database, questionId: string, actorId: string, action: string, detail: Record<string, unknown>, at: number) {
  return db
    .prepare("INSERT INTO question_events (question_id, actor_id, action, detail, created_at) SELECT ?, ?, ?, ?, ? WHERE changes() = 1 RETURNING id")
    .bind(questionId, actorId, action, JSON.stringify(detail), at);
}

/** Assign, reassign, mark pending, close, reopen. */
export async function changeStatus(db: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, body: TransitionBody, now = Date.now()): Promise<void> {
  const t = TRANSITIONS[body.action];
  await assertMay(db, librarian, record, access, body.action, t.cooperativeMay);
  assertAllowed(body.action, record);

  let assignee = record.assigned_to;
  let assigneeName: string | null = record.assignee_name;
  if ("assigneeId" in body) {
    const target = await db
      .prepare("SELECT id, display_name FROM librarians WHERE id = ? AND library_id = ? AND disabled_at IS NULL")
      .bind(body.assigneeId, record.library_id)
      .first<{ id: string; display_name: string }>();
    if (!target) throw badRequest(`Choose a librarian of ${record.library_name}.`, "assigneeId");
    if (target.id === record.assigned_to) throw badRequest(`${target.display_name} already has this question.`, "assigneeId");
    assignee = target.id;
    assigneeName = target.display_name;
  } else if (body.action !== "close") {
    // Someone has to own a question that is being worked on: the librarian who acts, if nobody does yet.
    assignee = record.assigned_to ?? librarian.id;
    assigneeName = record.assigned_to ? record.assignee_name : librarian.displayName;
  }

  const detail = {
    from: record.status,
    to: t.to,
    assigneeId: assignee,
    assigneeName,
    ...(record.assigned_to !== assignee ? { previousAssigneeId: record.assigned_to, previousAssigneeName: record.assignee_name } : {}),
  };
  const [update] = await db.batch([
    db
      .prepare("UPDATE questions SET status = ?, assigned_to = ?, updated_at = ? WHERE id = ? AND status = ? AND assigned_to IS ?")
      .bind(t.to, assignee, now, record.id, record.status, record.assigned_to),
    eventInsert(db, record.id, librarian.id, body.action, detail, now),
  ]);
  if (update!.meta.changes !== 1) throw changedMeanwhile();
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
  const db = env.DB;
  await assertMay(db, librarian, record, access, "answer", TRANSITIONS.answer.cooperativeMay);
  const requestId = body.requestId ?? crypto.randomUUID();
  const earlier = await priorAnswer(db, record.id, requestId);
  if (earlier) return { mailKey: followupMailKey(record.id, earlier), replay: true };
  assertAllowed("answer", record);
  if (!record.patron_email) throw new ApiError(409, "no_recipient", answerBlockedReason(record)!, "body");

  const mail = composeFollowupMail({
    libraryName: record.library_name,
    timeZone: record.time_zone,
    librarianName: librarian.displayName,
    patronName: record.patron_name,
    question: record.question,
    askedAt: record.created_at,
    answer: body.body,
    transcript: record.transcript_opt_out === 1 ? null : transcriptOf(record),
    canReply: !!record.contact_email,
  });
  const from = TRANSITIONS.answer.from.map(() => "?").join(", ");
  const [update, event] = await db.batch<{ id: number }>([
    db
      .prepare(
        `UPDATE questions SET status = ?, assigned_to = COALESCE(assigned_to, ?), updated_at = ?
         WHERE id = ? AND status IN (${from}) AND patron_email IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM question_events WHERE question_id = ? AND action = 'answer' AND json_extract(detail, '$.requestId') = ?)`,
      )
      .bind(TRANSITIONS.answer.to, librarian.id, now, record.id, ...TRANSITIONS.answer.from, record.id, requestId),
    eventInsert(db, record.id, librarian.id, "answer", { from: record.status, to: TRANSITIONS.answer.to, body: body.body, requestId, sentTo: record.patron_email }, now),
    // last_insert_rowid() is the history row just written: one event, one mail key.
    db
      .prepare(
        `INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, from_name, reply_to, subject, text_body, html_body, status, created_at)
         SELECT ? || last_insert_rowid(), ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ? WHERE changes() = 1`,
      )
      .bind(
        followupMailKeyPrefix(record.id),
        record.library_id,
        record.id,
        record.patron_email,
        record.mail_sender_name ?? record.library_name,
        record.contact_email,
        mail.subject,
        mail.text,
        mail.html,
        now,
      ),
  ]);
  if (update!.meta.changes !== 1) {
    // Raced: by the same answer sent twice at once, or by a status change.
    const raced = await priorAnswer(db, record.id, requestId);
    if (raced) return { mailKey: followupMailKey(record.id, raced), replay: true };
    throw changedMeanwhile();
  }
  const mailKey = followupMailKey(record.id, event!.results[0]!.id);
  await enqueueOrMarkFailed(env, mailKey);
  return { mailKey, replay: false };
}

async function priorAnswer(db: D1Database, questionId: string, requestId: string): Promise<number | null> {
  const row = await db
    .prepare("SELECT id FROM question_events WHERE question_id = ? AND action = 'answer' AND json_extract(detail, '$.requestId') = ?")
    .bind(questionId, requestId)
    .first<{ id: number }>();
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
    await env.DB.prepare("UPDATE mail_outbox SET status = 'failed', last_error = ? WHERE event_key = ? AND status = 'pending'")
      .bind(`Could not be queued for sending: ${String(error).slice(0, 400)}`, eventKey)
      .run();
  }
}

/** An internal note: never shown to the patron. */
export async function addNote(db: D1Database, librarian: Librarian, record: QuestionRecord, body: string, now = Date.now()): Promise<void> {
  await db.batch([
    db.prepare("UPDATE questions SET updated_at = ? WHERE id = ?").bind(now, record.id),
    eventInsert(db, record.id, librarian.id, "note", { body }, now),
  ]);
}

/**
 * Changes the session's resolution and descriptive codes. New descriptive
 * codes must be active codes of the question's library; codes the session
 * already carries may stay even if the library has since hidden them. The
 * resolution's routing rule decides hidden and statistics afresh; the status
 * stays as it is (that is what the transition actions are for).
 */
export async function changeCodes(db: D1Database, librarian: Librarian, record: QuestionRecord, access: Access, body: QuestionCodesBody, now = Date.now()): Promise<void> {
  await assertMay(db, librarian, record, access, "codes", false);
  if (!record.session_id) throw new ApiError(409, "invalid_transition", "This question has no chat session, so it has no codes.");
  const chosen = body.descriptiveCodes ?? [];
  if (chosen.length > MAX_DESCRIPTIVE_CODES) throw badRequest(`Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes`, "descriptiveCodes");
  const current = descriptiveCodesOf(record);
  const known = chosen.length
    ? await db
        .prepare(`SELECT code, active FROM descriptive_codes WHERE library_id = ? AND code IN (${chosen.map(() => "?").join(", ")})`)
        .bind(record.library_id, ...chosen)
        .all<{ code: string; active: number }>()
    : { results: [] };
  const state = new Map(known.results.map((r) => [r.code, r.active === 1]));
  chosen.forEach((code, i) => {
    if (current.includes(code) || state.get(code) === true) return;
    if (state.get(code) === false) throw badRequest(`“${code}” is hidden in ${record.library_name}'s list of codes; choose an active code.`, `descriptiveCodes.${i}`);
    throw badRequest(`“${code}” is not a descriptive code of ${record.library_name}.`, `descriptiveCodes.${i}`);
  });
  if (body.resolution === record.resolution_code && JSON.stringify(chosen) === JSON.stringify(current)) return;

  const rule = ROUTING[body.resolution];
  const [update] = await db.batch([
    db
      .prepare("UPDATE chat_sessions SET resolution_code = ?, descriptive_codes = ? WHERE id = ? AND resolution_code IS ? AND descriptive_codes IS ?")
      .bind(body.resolution, JSON.stringify(chosen), record.session_id, record.resolution_code, record.descriptive_codes),
    db
      .prepare("UPDATE questions SET hidden = ?, exclude_from_stats = ?, updated_at = ? WHERE id = ? AND changes() = 1")
      .bind(rule.hidden ? 1 : 0, rule.excludeFromStats ? 1 : 0, now, record.id),
    eventInsert(
      db,
      record.id,
      librarian.id,
      "codes",
      { from: { resolution: record.resolution_code, descriptiveCodes: current }, to: { resolution: body.resolution, descriptiveCodes: chosen } },
      now,
    ),
  ]);
  if (update!.meta.changes !== 1) throw changedMeanwhile();
}

/**
 * Sends a failed mail again: its attempts start over and it goes back on the
 * queue. Only a failed mail can be re-sent — a sent one never goes twice.
 */
export async function resendMail(env: MailEnv, librarian: Librarian, record: QuestionRecord, eventKey: string, now = Date.now()): Promise<void> {
  const db = env.DB;
  const [update] = await db.batch([
    db
      .prepare("UPDATE mail_outbox SET status = 'pending', attempts = 0, last_error = NULL WHERE event_key = ? AND question_id = ? AND status = 'failed'")
      .bind(eventKey, record.id),
    eventInsert(db, record.id, librarian.id, "mail_resent", { eventKey }, now),
  ]);
  if (update!.meta.changes !== 1) {
    const row = await db.prepare("SELECT status FROM mail_outbox WHERE event_key = ? AND question_id = ?").bind(eventKey, record.id).first<{ status: string }>();
    if (!row) throw notFound("Mail");
    if (row.status === "sent") throw new ApiError(409, "invalid_transition", "This mail has been sent already; a mail is never sent twice.", "eventKey");
    throw new ApiError(409, "invalid_transition", "This mail is still being sent; only a mail that failed can be re-sent.", "eventKey");
  }
  await db.prepare("UPDATE questions SET updated_at = ? WHERE id = ?").bind(now, record.id).run();
  await enqueueOrMarkFailed(env, eventKey);
}
