/**
 * Ratings and surveys in D1: the form's survey a chat is rated against, a
 * rating with its answers saved in one batch (the score in
 * chat_sessions.rating, where statistics read it; each answer a row of
 * survey_answers), and a chat's rating as librarians see it.
 *
 * A rating may be given again (from the chat window): it replaces the earlier
 * one and its answers. A rating through a mailed link is written only while
 * the link is unused (./links.ts), in the same batch that uses it up.
 */
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { database, type Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { chatSessions, forms, surveyAnswers } from "../db/schema";
import { asksComment, type RatingView, type SurveyConfig } from "../shared/survey";
import { checkSurveyAnswers, surveyOf, type RatingBody } from "../shared/survey-schemas";

/** What rating a chat needs: its library, form and the form's survey. */
export interface RatedChat {
  sessionId: string;
  libraryId: string;
  formId: string | null;
  survey: SurveyConfig;
}

/** The chat's library, form and survey (null: no such chat). */
export async function ratedChat(d1: D1Database, sessionId: string): Promise<RatedChat | null> {
  const row = await database(d1)
    .select({ libraryId: chatSessions.libraryId, formId: chatSessions.formId, survey: forms.survey })
    .from(chatSessions)
    .leftJoin(forms, eq(forms.id, chatSessions.formId))
    .where(eq(chatSessions.id, sessionId))
    .get();
  return row ? { sessionId, libraryId: row.libraryId, formId: row.formId, survey: surveyOf(row.survey) } : null;
}

export type RatingProblem = { field: string; message: string };

/**
 * The statements that store a rating (checked against the chat's survey), each
 * taking effect only while `guard` holds; or the first problem with it.
 */
export function ratingStatements(db: Database, chat: RatedChat, body: RatingBody, now: number, guard?: SQL): { ok: true; statements: BatchItem<"sqlite">[] } | ({ ok: false } & RatingProblem) {
  if (chat.survey.mode === "off") return { ok: false, field: "rating", message: "This chat's library does not ask for ratings." };
  const checked = checkSurveyAnswers(chat.survey, body);
  if (!checked.ok) return checked;
  const comment = asksComment(chat.survey) ? (body.comment ?? null) : null;
  const where = (condition: SQL) => (guard ? and(condition, guard)! : condition);
  const statements: BatchItem<"sqlite">[] = [
    db.update(chatSessions).set({ rating: body.rating, ratingComment: comment, ratedAt: now }).where(where(eq(chatSessions.id, chat.sessionId))),
    db.delete(surveyAnswers).where(where(eq(surveyAnswers.sessionId, chat.sessionId))),
    ...checked.answers.map((a) =>
      insertIf(
        db,
        surveyAnswers,
        {
          sessionId: chat.sessionId,
          questionId: a.question.id,
          libraryId: chat.libraryId,
          formId: chat.formId,
          question: a.question.text,
          kind: a.question.kind,
          answerNumber: a.answerNumber,
          answerText: a.answerText,
          createdAt: now,
        },
        guard,
      ),
    ),
  ];
  return { ok: true, statements };
}

/** The ratings of some chats as librarians see them (chats without a rating are left out). */
export async function ratingsOf(d1: D1Database, sessionIds: string[]): Promise<Map<string, RatingView>> {
  const out = new Map<string, RatingView>();
  if (sessionIds.length === 0) return out;
  const db = database(d1);
  const ids = sessionIds.slice(0, 100);
  const [rated, answers] = await db.batch([
    db.select({ id: chatSessions.id, rating: chatSessions.rating, comment: chatSessions.ratingComment, ratedAt: chatSessions.ratedAt }).from(chatSessions).where(inArray(chatSessions.id, ids)),
    db
      .select({ sessionId: surveyAnswers.sessionId, questionId: surveyAnswers.questionId, question: surveyAnswers.question, kind: surveyAnswers.kind, answerNumber: surveyAnswers.answerNumber, answerText: surveyAnswers.answerText })
      .from(surveyAnswers)
      .where(inArray(surveyAnswers.sessionId, ids))
      .orderBy(asc(surveyAnswers.sessionId), asc(surveyAnswers.questionId)),
  ]);
  for (const r of rated) if (r.rating !== null) out.set(r.id, { score: r.rating, comment: r.comment, ratedAt: r.ratedAt, answers: [] });
  for (const a of answers) {
    const answer = a.kind === "scale" ? String(a.answerNumber ?? "") : (a.answerText ?? "");
    // Text answers are removed past retention: a scrubbed one shows as such.
    out.get(a.sessionId)?.answers.push({ questionId: a.questionId, question: a.question, kind: a.kind, answer: answer || "[removed after the retention period]" });
  }
  return out;
}

/** One chat's rating, or null. */
export async function ratingOf(d1: D1Database, sessionId: string): Promise<RatingView | null> {
  return (await ratingsOf(d1, [sessionId])).get(sessionId) ?? null;
}
