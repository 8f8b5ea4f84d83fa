/**
 * Quality feedback between cooperative libraries: a patron's home library rates
 * a session one of its partners answered; the answering librarian sees what was
 * said about their own sessions. One feedback per session.
 */
import type { Librarian } from "../auth/librarian";
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
  const s = await d1
    .prepare("SELECT id, library_id, status, librarian_id, answering_library_id FROM chat_sessions WHERE id = ?")
    .bind(input.sessionId)
    .first<{ id: string; library_id: string; status: string; librarian_id: string | null; answering_library_id: string | null }>();
  if (!s) throw new ApiError(404, "not_found", "Chat session not found.", "sessionId");
  // Only the home library rates; to anyone else the session is none of their business.
  if (s.library_id !== librarian.libraryId) throw forbidden("Only the patron's home library may leave feedback about this chat.");
  if (!s.answering_library_id || !s.librarian_id || s.answering_library_id === s.library_id) {
    throw new ApiError(409, "validation_failed", "Feedback is for chats a partner library answered.", "sessionId");
  }
  if (s.status !== "ended") throw new ApiError(409, "not_active", "Leave feedback once the chat has ended.", "sessionId");
  const id = crypto.randomUUID();
  const result = await d1
    .prepare(
      `INSERT INTO coop_feedback (id, session_id, library_id, answering_library_id, answering_librarian_id, author_id, rating, comment, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(session_id) DO NOTHING`,
    )
    .bind(id, s.id, s.library_id, s.answering_library_id, s.librarian_id, librarian.id, input.rating, input.comment ?? null, now)
    .run();
  if (!result.meta.changes) throw new ApiError(409, "validation_failed", "Feedback about this chat has already been left.", "sessionId");
  const [entry] = await listFeedback(d1, "id = ?", [id]);
  return entry!;
}

async function listFeedback(d1: D1Database, where: string, binds: unknown[]): Promise<FeedbackEntry[]> {
  const { results } = await d1
    .prepare(
      `SELECT f.id, f.session_id, s.question, home.name AS home_name, ans.name AS answering_name, s.librarian_name, f.rating, f.comment, f.created_at
       FROM coop_feedback f JOIN chat_sessions s ON s.id = f.session_id
       JOIN libraries home ON home.id = f.library_id JOIN libraries ans ON ans.id = f.answering_library_id
       WHERE f.${where} ORDER BY f.created_at DESC LIMIT 200`,
    )
    .bind(...binds)
    .all<{ id: string; session_id: string; question: string; home_name: string; answering_name: string; librarian_name: string | null; rating: FeedbackRating; comment: string | null; created_at: number }>();
  return results.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    question: r.question,
    homeLibraryName: r.home_name,
    answeringLibraryName: r.answering_name,
    answeringLibrarianName: r.librarian_name,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.created_at,
  }));
}

/** Feedback about the sessions this librarian answered for other libraries. */
export function feedbackAboutMe(d1: D1Database, librarian: Librarian): Promise<FeedbackEntry[]> {
  return listFeedback(d1, "answering_librarian_id = ?", [librarian.id]);
}

/** Feedback the librarian's library has left about its partners. */
export function feedbackGiven(d1: D1Database, librarian: Librarian): Promise<FeedbackEntry[]> {
  return listFeedback(d1, "library_id = ?", [librarian.libraryId]);
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
  const { results } = await d1
    .prepare(
      `SELECT s.id, s.question, l.name AS answering_name, s.librarian_name, s.ended_at, f.id AS feedback_id
       FROM chat_sessions s JOIN libraries l ON l.id = s.answering_library_id LEFT JOIN coop_feedback f ON f.session_id = s.id
       WHERE s.library_id = ? AND s.status = 'ended' AND s.answering_library_id IS NOT NULL AND s.answering_library_id <> s.library_id AND s.created_at >= ?
       ORDER BY s.ended_at DESC LIMIT 100`,
    )
    .bind(librarian.libraryId, sinceMs)
    .all<{ id: string; question: string; answering_name: string; librarian_name: string | null; ended_at: number | null; feedback_id: string | null }>();
  return results.map((r) => ({ sessionId: r.id, question: r.question, answeringLibraryName: r.answering_name, librarianName: r.librarian_name, endedAt: r.ended_at, rated: r.feedback_id !== null }));
}

