/**
 * A library's rated chats for its administrators: newest rating first, with
 * the comment and the survey's answers, who answered, the form, and a link to
 * the question (where the transcript is), and the count and average.
 */
import { and, desc, eq, gte, isNotNull } from "drizzle-orm";
import { database } from "../db/client";
import { chatSessions, forms, questions } from "../db/schema";
import type { RatingView } from "../shared/survey";
import { ratingsOf } from "./store";

export interface RatedChatRow extends RatingView {
  sessionId: string;
  questionId: string | null;
  librarianName: string | null;
  formTitle: string | null;
  createdAt: number;
}

/** Rows on one page of the list. */
export const RATINGS_PAGE = 100;

export async function libraryRatings(d1: D1Database, libraryId: string, since: number): Promise<{ count: number; average: number | null; ratings: RatedChatRow[] }> {
  const db = database(d1);
  const rows = await db
    .select({ sessionId: chatSessions.id, questionId: questions.id, librarianName: chatSessions.librarianName, formTitle: forms.title, createdAt: chatSessions.createdAt, rating: chatSessions.rating })
    .from(chatSessions)
    .leftJoin(questions, eq(questions.sessionId, chatSessions.id))
    .leftJoin(forms, eq(forms.id, chatSessions.formId))
    .where(and(eq(chatSessions.libraryId, libraryId), isNotNull(chatSessions.ratedAt), gte(chatSessions.ratedAt, since)))
    .orderBy(desc(chatSessions.ratedAt))
    .all();
  const scores = rows.map((r) => r.rating ?? 0).filter((n) => n > 0);
  const page = rows.slice(0, RATINGS_PAGE);
  const views = await ratingsOf(d1, page.map((r) => r.sessionId));
  return {
    count: scores.length,
    average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
    ratings: page.flatMap(({ rating: _rating, ...r }) => {
      const view = views.get(r.sessionId);
      return view ? [{ ...r, ...view }] : [];
    }),
  };
}
