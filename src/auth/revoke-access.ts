/**
 * Revocation is immediate: when a librarian's sign-in ends (signed out, signed
 * out everywhere, a session revoked, password changed or reset) or their
 * access changes (a new role), every queue they may staff and every chat they
 * serve closes their sockets opened with those sign-ins at once, with
 * CLOSE_CODES.accessEnded — not only at the objects' periodic re-check
 * (TIMING.accessRecheckMs), which remains the safety net for a notice that
 * never arrives. Call it after the change is written to D1, so a socket
 * reopened in between is refused (or, after a role change, sees the new role).
 *
 * Disabling an account does more (its chats go back to their queues):
 * src/admin/hand-back.ts.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { chatSessions } from "../db/schema";
import { chatSession, requestQueue } from "../objects";
import { staffableQueues } from "../queues/staffing";
import type { Librarian } from "./librarian";

/**
 * Closes `librarian`'s queue and chat sockets opened with any of `signInKeys`
 * (stored session digests; null: every sign-in of theirs). `formerly` is the
 * same account before a change (its old role), whose queues are closed too.
 * Returns how many sockets closed. An object that cannot be reached is
 * logged and left to its periodic re-check; the change itself stands.
 */
export async function revokeAccess(env: Env, db: Database, librarian: Librarian, signInKeys: string[] | null, formerly?: Librarian): Promise<{ closed: number }> {
  if (signInKeys !== null && signInKeys.length === 0) return { closed: 0 };
  const [queuesNow, queuesBefore, serving] = await Promise.all([
    staffableQueues(db, librarian),
    formerly ? staffableQueues(db, formerly) : Promise.resolve([]),
    db
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(eq(chatSessions.librarianId, librarian.id), inArray(chatSessions.status, ["active", "patron_left"])))
      .all(),
  ]);
  const queueIds = [...new Set([...queuesNow, ...queuesBefore].map((q) => q.id))];
  const notices = [
    ...queueIds.map((id) => ({ object: "queue", id, revoke: () => requestQueue(env, id).revokeAccess(librarian.id, signInKeys) })),
    ...serving.map(({ id }) => ({ object: "chat", id, revoke: () => chatSession(env, id).revokeAccess(librarian.id, signInKeys) })),
  ];
  const results = await Promise.all(
    notices.map(({ object, id, revoke }) =>
      revoke().catch((error: unknown) => {
        console.error(JSON.stringify({ event: "revoke_access_failed", object, id, librarianId: librarian.id, error: String(error) }));
        return { closed: 0 };
      }),
    ),
  );
  return { closed: results.reduce((n, r) => n + r.closed, 0) };
}
