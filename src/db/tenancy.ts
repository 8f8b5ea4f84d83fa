/**
 * Tenancy: who may see what of a chat session. One place, so routes cannot
 * drift: a library's librarians see its own patrons' sessions; a librarian of
 * another library (cooperative service) sees only the sessions they serve.
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

/**
 * The same rule as a query condition on chat_sessions, for lists (e.g. a
 * patron's earlier sessions): add it to every query that reads patron rows.
 */
export function readableSessions(librarian: Librarian): SQL {
  return or(eq(chatSessions.libraryId, librarian.libraryId), eq(chatSessions.librarianId, librarian.id))!;
}
