/**
 * Direct messages between librarians: any two colleagues of one library or
 * cooperative (src/staff/colleagues.ts decides who is in reach), whether or
 * not they monitor the same queue — unlike a queue's staff chat.
 *
 * D1 keeps them (durable, readable after any reload, with a read mark per
 * message for the unread count); a send is one insert, idempotent by the
 * sender's client id. The recipient's open monitors hear of it at once through
 * the queues they may staff: each queue object passes it to that librarian's
 * sockets if they are there (RequestQueue.tellLibrarian), so no new object or
 * socket is needed. A monitor that was closed reads its unread messages when
 * it opens.
 */
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import type { Database } from "../db/client";
import { directMessages } from "../db/schema";
import { requestQueue } from "../objects/index";
import { LIMITS, TIMING } from "../shared/limits";
import type { DirectMessage } from "../shared/protocol";
import { errorSummary, logEvent } from "../ops/log";
import { queuesStaffedBy, type Colleague } from "./colleagues";

/** How many of a conversation's latest messages are read back. */
export const CONVERSATION_PAGE = 200;

type Row = typeof directMessages.$inferSelect;

function view(r: Row, names: Map<string, string>): DirectMessage {
  return {
    id: r.id,
    from: { id: r.fromLibrarianId, name: names.get(r.fromLibrarianId) ?? "" },
    to: { id: r.toLibrarianId, name: names.get(r.toLibrarianId) ?? "" },
    body: r.body,
    at: r.createdAt,
    clientId: r.clientId,
    readAt: r.readAt,
  };
}

const namesOf = (me: Librarian, colleague: Colleague) =>
  new Map([
    [me.id, me.displayName],
    [colleague.id, colleague.name],
  ]);

/** The message `from` already stored under this client id (a retry), or null. */
export async function storedDirect(db: Database, from: Librarian, to: Colleague, clientId: string): Promise<DirectMessage | null> {
  const stored = await db
    .select()
    .from(directMessages)
    .where(and(eq(directMessages.fromLibrarianId, from.id), eq(directMessages.clientId, clientId)))
    .get();
  return stored ? view(stored, namesOf(from, to)) : null;
}

/** Stores a message once per client id (a retry answers the stored one) and says whether it is new. */
export async function storeDirect(db: Database, from: Librarian, to: Colleague, input: { clientId: string; body: string }, now: number): Promise<{ message: DirectMessage; fresh: boolean }> {
  const inserted = await db
    .insert(directMessages)
    .values({ fromLibrarianId: from.id, toLibrarianId: to.id, body: input.body, clientId: input.clientId, createdAt: now })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) return { message: view(inserted, namesOf(from, to)), fresh: true };
  // Stored meanwhile by a retry racing this one.
  const stored = await storedDirect(db, from, to, input.clientId);
  if (!stored) throw new Error("direct message neither inserted nor found");
  return { message: stored, fresh: false };
}

/** Tells the recipient's open monitors (and the sender's other ones); a queue that cannot be reached only delays it until the next read. */
export async function announceDirect(env: Env, db: Database, message: DirectMessage, libraryIds: string[]): Promise<void> {
  const queues = await queuesStaffedBy(db, [...new Set(libraryIds)]);
  await Promise.all(
    queues.flatMap((q) =>
      [message.to.id, message.from.id].map((librarianId) =>
        requestQueue(env, q)
          .tellLibrarian(librarianId, message)
          .catch((error: unknown) => logEvent("warn", "direct_message_push_failed", { queueId: q, error: errorSummary(error) })),
      ),
    ),
  );
}

/** Whether `from` has sent LIMITS.directMessagesPerMinute messages in the last minute (a retry of one already stored is never refused). */
export async function sendingTooFast(db: Database, from: Librarian, now: number): Promise<boolean> {
  const row = await db
    .select({ count: sql<number>`count(*)` })
    .from(directMessages)
    .where(and(eq(directMessages.fromLibrarianId, from.id), gte(directMessages.createdAt, now - 60_000)))
    .get();
  return Number(row?.count ?? 0) >= LIMITS.directMessagesPerMinute;
}

/** The latest messages between the two, oldest first. */
export async function conversation(db: Database, me: Librarian, colleague: Colleague): Promise<DirectMessage[]> {
  const rows = await db
    .select()
    .from(directMessages)
    .where(
      or(
        and(eq(directMessages.fromLibrarianId, me.id), eq(directMessages.toLibrarianId, colleague.id)),
        and(eq(directMessages.fromLibrarianId, colleague.id), eq(directMessages.toLibrarianId, me.id)),
      ),
    )
    .orderBy(desc(directMessages.id))
    .limit(CONVERSATION_PAGE)
    .all();
  const names = namesOf(me, colleague);
  return rows.reverse().map((r) => view(r, names));
}

/** Marks what `colleague` sent `me` as read; says how many were unread. */
export async function markRead(db: Database, me: Librarian, colleagueId: string, now: number): Promise<number> {
  const rows = await db
    .update(directMessages)
    .set({ readAt: now })
    .where(and(eq(directMessages.toLibrarianId, me.id), eq(directMessages.fromLibrarianId, colleagueId), isNull(directMessages.readAt)))
    .returning({ id: directMessages.id })
    .all();
  return rows.length;
}

/** Unread messages to `me`, per sender (only senders among `fromIds`: people still in reach). */
export async function unreadBySender(db: Database, me: Librarian, fromIds: string[]): Promise<Map<string, number>> {
  if (fromIds.length === 0) return new Map();
  const rows = await db
    .select({ from: directMessages.fromLibrarianId, count: sql<number>`count(*)` })
    .from(directMessages)
    .where(and(eq(directMessages.toLibrarianId, me.id), isNull(directMessages.readAt), inArray(directMessages.fromLibrarianId, fromIds)))
    .groupBy(directMessages.fromLibrarianId)
    .all();
  return new Map(rows.map((r) => [r.from, Number(r.count)]));
}

/** The daily scrub: direct messages older than TIMING.directMessagesKeepMs go. */
export async function dropOldDirectMessages(db: Database, now: number): Promise<number> {
  const gone = await db.delete(directMessages).where(lt(directMessages.createdAt, now - TIMING.directMessagesKeepMs)).returning({ id: directMessages.id }).all();
  return gone.length;
}
