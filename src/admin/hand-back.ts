/**
 * What disabling an account does beyond D1: every chat the librarian was
 * serving goes back to its queue (ChatSession.handBack), and their monitoring
 * sockets close at once so presence stops counting them.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { chatSessions } from "../db/schema";
import { chatSession, requestQueue } from "../objects";
import { staffableQueues } from "../queues/staffing";
import type { Librarian } from "../auth/librarian";

export async function handBackChatsOf(env: Env, db: Database, librarian: Librarian): Promise<{ handedBack: number; monitorsClosed: number }> {
  // Presence first, so a handed-back chat is not re-offered to the librarian being disabled.
  const queues = await staffableQueues(db, librarian);
  const closed = await Promise.all(queues.map((q) => requestQueue(env, q.id).disconnectLibrarian(librarian.id)));
  const open = await db
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(and(eq(chatSessions.librarianId, librarian.id), inArray(chatSessions.status, ["active", "patron_left"])))
    .all();
  const results = await Promise.all(open.map((s) => chatSession(env, s.id).handBack(librarian.id)));
  return { handedBack: results.filter((r) => r.ok).length, monitorsClosed: closed.reduce((n, r) => n + r.closed, 0) };
}
