/**
 * Tenancy: who may see what of a chat session and of a question. One place, so
 * routes cannot drift. A library's librarians see its own patrons' sessions and
 * questions; a librarian of another library (cooperative service) sees only the
 * sessions they serve, and of questions only their own "Followup By Me" ones.
 * Every refusal is logged.
 */
import { eq, or, type SQL } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { forbidden } from "../http/errors";
import type { SessionView } from "../shared/protocol";
import { chatSessions } from "./schema";

export function canReadSession(librarian: Librarian, session: SessionView): boolean {
  return librarian.libraryId === session.libraryId || session.librarian?.id === librarian.id;
}

export function assertCanReadSession(librarian: Librarian, session: SessionView): void {
  if (!canReadSession(librarian, session)) {
    console.warn(JSON.stringify({ event: "access_refused", librarianId: librarian.id, sessionId: session.id }));
    throw forbidden("This chat belongs to another library.");
  }
}

/** What tenancy needs to know about a question. */
export interface QuestionTenancy {
  libraryId: string;
  assignedTo: string | null;
  /** The librarian who served the chat (chat_sessions.librarian_id). */
  servedBy: string | null;
  /** The session's resolution code as it stands. */
  resolution: string | null;
}

/** How a librarian stands to a question: its home library, the cooperative librarian following it up, or nobody. */
export type QuestionAccess = "home" | "cooperative" | "none";

/**
 * The cooperative exception: a librarian of another library who served the
 * chat, ended it "Followup By Me" and still owns the question.
 */
export function questionAccess(librarian: Librarian, q: QuestionTenancy): QuestionAccess {
  if (q.libraryId === librarian.libraryId) return "home";
  if (q.assignedTo === librarian.id && q.servedBy === librarian.id && q.resolution === "followup_by_me") return "cooperative";
  return "none";
}

/**
 * The same rule as `questionAccess`, as an SQL condition over `questions q`
 * joined with `chat_sessions cs`, for lists and counts. Binds: library id, librarian id twice.
 */
export function visibleQuestionsSql(librarian: Librarian): { sql: string; binds: string[] } {
  return {
    sql: "(q.library_id = ? OR (q.assigned_to = ? AND cs.librarian_id = ? AND cs.resolution_code = 'followup_by_me'))",
    binds: [librarian.libraryId, librarian.id, librarian.id],
  };
}

/**
 * Records a refused attempt (structured log and the access_denials table). The
 * caller answers exactly as for something that does not exist.
 */
export async function logAccessDenied(db: D1Database, librarian: Librarian, resource: "question" | "mail", resourceId: string, action: string): Promise<void> {
  console.warn(JSON.stringify({ event: "access_refused", resource, resourceId, action, librarianId: librarian.id, libraryId: librarian.libraryId }));
  await db
    .prepare("INSERT INTO access_denials (librarian_id, library_id, resource, resource_id, action, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(librarian.id, librarian.libraryId, resource, resourceId.slice(0, 200), action, Date.now())
    .run()
    .catch((error: unknown) => console.error(JSON.stringify({ event: "access_denial_log_failed", error: String(error) })));
}

/**
 * The same rule as a query condition on chat_sessions, for lists (e.g. a
 * patron's earlier sessions): add it to every query that reads patron rows.
 */
export function readableSessions(librarian: Librarian): SQL {
  return or(eq(chatSessions.libraryId, librarian.libraryId), eq(chatSessions.librarianId, librarian.id))!;
}
