/**
 * The D1 side of scrubbing chats: every row that holds something a patron or a
 * librarian wrote about the patron, for a set of chats, in one batch. Works
 * from what the rows hold now, so it can run again over the same chats (after
 * an object that was not yet filed has filed them afresh) and change only what
 * came back. docs/privacy.md lists the decision for each column.
 */
import { and, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { chatSessions, coopFeedback, mailOutbox, questionEvents, questions, ratingLinks, surveyAnswers } from "../db/schema";
import { questionIdFor } from "../questions/file-session";
import { eventDetailHasText, scrubEventDetail } from "./event-detail";
import { patronNamesIn, REDACTED_EMAIL, REDACTED_NAME, REMOVED_TEXT, scrubTranscript } from "./redact";

/** Ids bound in one statement at most (D1 binds at most 100 parameters per query). */
const MAX_IDS = 90;

/** Why a mail that had not gone out yet never will. */
export const UNSENT_MAIL_NOTE = "Not sent: removed by the privacy scrub.";

/** What the scrub reads of one chat: the names it must find in the system lines. */
export interface ChatToScrub {
  id: string;
  patronName: string | null;
  questionPatronName: string | null;
  /** As stored (JSON text). */
  transcript: string | null;
}

export interface EventToScrub {
  id: number;
  /** As stored (JSON text). */
  detail: string;
}

export interface RecordCounts {
  sessions: number;
  questions: number;
  events: number;
  mails: number;
  feedback: number;
}

export const noRecords = (): RecordCounts => ({ sessions: 0, questions: 0, mails: 0, events: 0, feedback: 0 });

/** A JSON column as stored, read leniently: one damaged row must not stop the scrub. */
const storedJson = (column: SQLWrapper) => sql<string | null>`${column}`;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The chats `where` selects, with the question's patron name, oldest first. */
export function readChats(db: Database, where: SQL | undefined, limit: number): Promise<ChatToScrub[]> {
  return db
    .select({
      id: chatSessions.id,
      patronName: chatSessions.patronName,
      questionPatronName: questions.patronName,
      transcript: storedJson(chatSessions.transcript),
    })
    .from(chatSessions)
    .leftJoin(questions, eq(questions.sessionId, chatSessions.id))
    .where(where)
    .orderBy(chatSessions.createdAt)
    .limit(limit)
    .all() as Promise<ChatToScrub[]>;
}

/** History rows not yet scrubbed of these chats' questions. */
export function readOpenEvents(db: Database, sessionIds: readonly string[]): Promise<EventToScrub[]> {
  if (sessionIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: questionEvents.id, detail: storedJson(questionEvents.detail) })
    .from(questionEvents)
    .where(and(inArray(questionEvents.questionId, sessionIds.map(questionIdFor)), isNull(questionEvents.scrubbedAt)))
    .all() as Promise<EventToScrub[]>;
}

type Counted = keyof RecordCounts | null;

/** Statements of one batch, each tagged with the count its changed rows add to. */
export class ScrubBatch {
  readonly items: { statement: BatchItem<"sqlite">; counts: Counted }[] = [];

  add(statement: BatchItem<"sqlite">, counts: Counted = null): void {
    this.items.push({ statement, counts });
  }

  /** Runs the batch (one D1 call) and adds up what changed. */
  async run(db: Database): Promise<RecordCounts> {
    const counts = noRecords();
    const [first, ...rest] = this.items.map((i) => i.statement);
    if (!first) return counts;
    const results = (await db.batch([first, ...rest])) as unknown as { meta: { changes: number } }[];
    results.forEach((r, i) => {
      const kind = this.items[i]!.counts;
      if (kind) counts[kind] += r.meta?.changes ?? 0;
    });
    return counts;
  }
}

/** A history row's detail as an object; null when it is not one (damaged: it goes whole). */
function detailOf(e: EventToScrub): Record<string, unknown> | null {
  const detail = parseJson(e.detail);
  return detail && typeof detail === "object" && !Array.isArray(detail) ? (detail as Record<string, unknown>) : null;
}

/** Whether the scrub changes this history row's detail (rather than only marking it). */
export function eventNeedsScrub(e: EventToScrub): boolean {
  const record = detailOf(e);
  return !record || eventDetailHasText(record);
}

/** History rows: free text out, marked scrubbed. Rows already without text are only marked. */
export function scrubEvents(db: Database, batch: ScrubBatch, events: readonly EventToScrub[], now: number): void {
  const plain: number[] = [];
  for (const e of events) {
    if (!eventNeedsScrub(e)) {
      plain.push(e.id);
      continue;
    }
    const record = detailOf(e);
    batch.add(db.update(questionEvents).set({ detail: record ? scrubEventDetail(record) : {}, scrubbedAt: now }).where(eq(questionEvents.id, e.id)), "events");
  }
  for (let i = 0; i < plain.length; i += MAX_IDS) batch.add(db.update(questionEvents).set({ scrubbedAt: now }).where(inArray(questionEvents.id, plain.slice(i, i + MAX_IDS))));
}

/**
 * Adds to `batch` the statements that scrub `chats` and everything filed about
 * them: the session row, the question, its history rows (`events`, read with
 * readOpenEvents), its mails, the cooperative feedback. `firstTime` scrubs only
 * a session not yet marked (two runs at once count a chat once) and marks it.
 */
export function scrubChats(db: Database, batch: ScrubBatch, chats: readonly ChatToScrub[], events: readonly EventToScrub[], now: number, firstTime: boolean): void {
  if (chats.length === 0) return;
  for (const c of chats) {
    const transcript = parseJson(c.transcript);
    const names = [c.patronName, c.questionPatronName, ...patronNamesIn(transcript)].filter((n): n is string => !!n && n !== REDACTED_NAME);
    batch.add(
      db
        .update(chatSessions)
        .set({
          patronName: null,
          patronEmail: null,
          patronDetails: {},
          patronIp: null,
          userAgent: null,
          referrer: null,
          question: REMOVED_TEXT,
          endNote: null,
          ratingComment: null,
          patronBrowserId: null,
          // A transcript that cannot be read cannot be scrubbed message by message: it goes.
          transcript: transcript === null || transcript === undefined ? null : (scrubTranscript(transcript, names) as unknown[]),
          ...(firstTime ? { scrubbedAt: now } : {}),
        })
        .where(firstTime ? and(eq(chatSessions.id, c.id), isNull(chatSessions.scrubbedAt)) : eq(chatSessions.id, c.id)),
      firstTime ? "sessions" : null,
    );
  }
  const ids = chats.map((c) => c.id);
  const questionIds = ids.map(questionIdFor);
  batch.add(
    db
      .update(questions)
      .set({ question: REMOVED_TEXT, patronName: null, patronEmail: null })
      .where(and(inArray(questions.sessionId, ids), or(ne(questions.question, REMOVED_TEXT), isNotNull(questions.patronName), isNotNull(questions.patronEmail)))),
    "questions",
  );
  scrubEvents(db, batch, events, now);
  batch.add(
    db
      .update(mailOutbox)
      .set({
        toAddress: REDACTED_EMAIL,
        subject: REMOVED_TEXT,
        textBody: "",
        htmlBody: "",
        rawMessage: null,
        // A mail not sent by now never goes: there is nobody left to send it to.
        status: sql`case when ${mailOutbox.status} = 'sent' then 'sent' else 'failed' end`,
        lastError: sql`case when ${mailOutbox.status} = 'sent' then null else ${UNSENT_MAIL_NOTE} end`,
        claimedUntil: null,
      })
      .where(
        and(
          inArray(mailOutbox.questionId, questionIds),
          or(ne(mailOutbox.toAddress, REDACTED_EMAIL), ne(mailOutbox.subject, REMOVED_TEXT), ne(mailOutbox.textBody, ""), ne(mailOutbox.htmlBody, ""), isNotNull(mailOutbox.rawMessage)),
        ),
      ),
    "mails",
  );
  batch.add(db.update(coopFeedback).set({ comment: null }).where(and(inArray(coopFeedback.sessionId, ids), isNotNull(coopFeedback.comment))), "feedback");
  // The survey's free-text answers (numbers stay, for statistics), and the chat's rating links.
  batch.add(db.update(surveyAnswers).set({ answerText: null }).where(and(inArray(surveyAnswers.sessionId, ids), eq(surveyAnswers.kind, "text"), isNotNull(surveyAnswers.answerText))));
  batch.add(db.delete(ratingLinks).where(inArray(ratingLinks.sessionId, ids)));
}
