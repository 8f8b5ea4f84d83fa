/**
 * Quality feedback between cooperative libraries: a patron's home library rates
 * a session one of its partners answered; the answering librarian sees what was
 * said about their own sessions. One feedback per session.
 */
import { and, desc, eq, gte, isNotNull, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Librarian } from "../auth/librarian";
import { database, type Database } from "../db/client";
import { chatSessions, coopFeedback, libraries } from "../db/schema";
import { ApiError, forbidden } from "../http/errors";
import type { FeedbackRating } from "../shared/coop-api";

export interface FeedbackEntry {
  id: string;
  sessionId: string;
  question: string;
  homeLibraryName: string;
  answeringLibraryName: string;
  answeringLibrarianName: string | null;
  rating: FeedbackRating;
  comment: string | null;
  createdAt: number;
}

export async function leaveFeedback(d1: D1Database, librarian: Librarian, input: { sessionId: string; rating: FeedbackRating; comment?: string }, now = Date.now()): Promise<FeedbackEntry> {
  const db = database(d1);
  const s = await db
    .select({
      id: chatSessions.id,
      libraryId: chatSessions.libraryId,
      status: chatSessions.status,
      librarianId: chatSessions.librarianId,
      answeringLibraryId: chatSessions.answeringLibraryId,
    })
    .from(chatSessions)
    .where(eq(chatSessions.id, input.sessionId))
    .get();
  if (!s) throw new ApiError(404, "not_found", "Chat session not found.", "sessionId");
  // Only the home library rates; to anyone else the session is none of their business.
  if (s.libraryId !== librarian.libraryId) throw forbidden("Only the patron's home library may leave feedback about this chat.");
  if (!s.answeringLibraryId || !s.librarianId || s.answeringLibraryId === s.libraryId) {
    throw new ApiError(409, "validation_failed", "Feedback is for chats a partner library answered.", "sessionId");
  }
  if (s.status !== "ended") throw new ApiError(409, "not_active", "Leave feedback once the chat has ended.", "sessionId");
  const id = crypto.randomUUID();
  const result = await db
    .insert(coopFeedback)
    .values({
      id,
      sessionId: s.id,
      libraryId: s.libraryId,
      answeringLibraryId: s.answeringLibraryId,
      answeringLibrarianId: s.librarianId,
      authorId: librarian.id,
      rating: input.rating,
      comment: input.comment ?? null,
      createdAt: now,
    })
    .onConflictDoNothing({ target: coopFeedback.sessionId })
    .run();
  if (!result.meta.changes) throw new ApiError(409, "validation_failed", "Feedback about this chat has already been left.", "sessionId");
  const [entry] = await listFeedback(db, eq(coopFeedback.id, id));
  return entry!;
}

const homeLibrary = alias(libraries, "home_library");
const answeringLibrary = alias(libraries, "answering_library");

function listFeedback(db: Database, where: SQL): Promise<FeedbackEntry[]> {
  return db
    .select({
      id: coopFeedback.id,
      sessionId: coopFeedback.sessionId,
      question: chatSessions.question,
      homeLibraryName: homeLibrary.name,
      answeringLibraryName: answeringLibrary.name,
      answeringLibrarianName: chatSessions.librarianName,
      rating: coopFeedback.rating,
      comment: coopFeedback.comment,
      createdAt: coopFeedback.createdAt,
    })
    .from(coopFeedback)
    .innerJoin(chatSessions, eq(chatSessions.id, coopFeedback.sessionId))
    .innerJoin(homeLibrary, eq(homeLibrary.id, coopFeedback.libraryId))
    .innerJoin(answeringLibrary, eq(answeringLibrary.id, coopFeedback.answeringLibraryId))
    .where(where)
    .orderBy(desc(coopFeedback.createdAt))
    .limit(200)
    .all();
}

/** Feedback about the sessions this librarian answered for other libraries. */
export function feedbackAboutMe(d1: D1Database, librarian: Librarian): Promise<FeedbackEntry[]> {
  return listFeedback(database(d1), eq(coopFeedback.answeringLibrarianId, librarian.id));
}

/** Feedback the librarian's library has left about its partners. */
export function feedbackGiven(d1: D1Database, librarian: Librarian): Promise<FeedbackEntry[]> {
  return listFeedback(database(d1), eq(coopFeedback.libraryId, librarian.libraryId));
}

export interface PartnerAnswered {
  sessionId: string;
  question: string;
  answeringLibraryName: string;
  librarianName: string | null;
  endedAt: number | null;
  rated: boolean;
}

/** Recent ended sessions of the librarian's library that partner libraries answered (to rate them). */
export async function sessionsAnsweredByPartners(d1: D1Database, librarian: Librarian, sinceMs: number): Promise<PartnerAnswered[]> {
  const rows = await database(d1)
    .select({
      sessionId: chatSessions.id,
      question: chatSessions.question,
      answeringLibraryName: libraries.name,
      librarianName: chatSessions.librarianName,
      endedAt: chatSessions.endedAt,
      feedbackId: coopFeedback.id,
    })
    .from(chatSessions)
    .innerJoin(libraries, eq(libraries.id, chatSessions.answeringLibraryId))
    .leftJoin(coopFeedback, eq(coopFeedback.sessionId, chatSessions.id))
    .where(
      and(
        eq(chatSessions.libraryId, librarian.libraryId),
        eq(chatSessions.status, "ended"),
        isNotNull(chatSessions.answeringLibraryId),
        ne(chatSessions.answeringLibraryId, chatSessions.libraryId),
        gte(chatSessions.createdAt, sinceMs),
      ),
    )
    .orderBy(desc(chatSessions.endedAt))
    .limit(100)
    .all();
  return rows.map(({ feedbackId, ...r }) => ({ ...r, rated: feedbackId !== null }));
}
