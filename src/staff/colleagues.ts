/**
 * A librarian's colleagues: everyone at their library and at every library
 * that shares a cooperative with it (the reach of direct messages and
 * consults), and whether each is online, busy, away or offline.
 *
 * Presence is not stored anywhere new: it is read from the queues' own live
 * presence (request-queue/presence.ts), on the queues those colleagues may
 * staff — their libraries' queues and those libraries' cooperatives' queues —
 * so a partner who monitors only their own library's queue still shows online.
 * That is one call per queue in reach, so the monitor asks only on opening,
 * when a message arrives, and every half minute while its panel is open.
 */
import { and, asc, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import type { Database } from "../db/client";
import { groupMembers, libraries, librarians } from "../db/schema";
import type { LibrarianRef } from "../objects/contracts";
import { requestQueue } from "../objects/index";
import { groupQueueId, libraryQueueId } from "../queues/queue-ids";
import type { LibrarianStatus } from "../shared/protocol";

export interface Colleague {
  id: string;
  name: string;
  libraryId: string;
  libraryName: string;
}

/** The libraries whose librarians this one may reach: their own and every cooperative partner. */
export async function librariesInReach(db: Database, libraryId: string): Promise<string[]> {
  const mine = db.select({ groupId: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.libraryId, libraryId));
  const partners = await db.selectDistinct({ libraryId: groupMembers.libraryId }).from(groupMembers).where(inArray(groupMembers.groupId, mine)).all();
  return [...new Set([libraryId, ...partners.map((p) => p.libraryId)])];
}

/** Every colleague in reach (enabled accounts, not the librarian themselves), by name. */
export async function colleaguesInReach(db: Database, librarian: Librarian): Promise<Colleague[]> {
  const reach = await librariesInReach(db, librarian.libraryId);
  return db
    .select({ id: librarians.id, name: librarians.displayName, libraryId: librarians.libraryId, libraryName: libraries.name })
    .from(librarians)
    .innerJoin(libraries, eq(libraries.id, librarians.libraryId))
    .where(and(inArray(librarians.libraryId, reach), isNull(librarians.disabledAt), ne(librarians.id, librarian.id)))
    .orderBy(asc(librarians.displayName), asc(librarians.id))
    .all();
}

/** One colleague in reach, or null (not found, disabled, themselves, or outside their library and cooperatives). */
export async function colleagueInReach(db: Database, librarian: Librarian, colleagueId: string): Promise<Colleague | null> {
  if (colleagueId === librarian.id) return null;
  const reach = await librariesInReach(db, librarian.libraryId);
  const row = await db
    .select({ id: librarians.id, name: librarians.displayName, libraryId: librarians.libraryId, libraryName: libraries.name })
    .from(librarians)
    .innerJoin(libraries, eq(libraries.id, librarians.libraryId))
    .where(and(eq(librarians.id, colleagueId), inArray(librarians.libraryId, reach), isNull(librarians.disabledAt)))
    .get();
  return row ?? null;
}

/** The queues the librarians of `libraryIds` may staff: each library's own and its cooperatives'. */
export async function queuesStaffedBy(db: Database, libraryIds: string[]): Promise<string[]> {
  if (libraryIds.length === 0) return [];
  const groups = await db.selectDistinct({ groupId: groupMembers.groupId }).from(groupMembers).where(inArray(groupMembers.libraryId, libraryIds)).all();
  return [...libraryIds.map(libraryQueueId), ...groups.map((g) => groupQueueId(g.groupId))];
}

/** A colleague's presence on one queue they monitor. */
interface Seen {
  status: LibrarianStatus;
  queueId: string;
  ref: LibrarianRef;
}

/** Where each of `librarianIds` is monitoring now: the best status over the queues (online before busy before away). */
export async function presenceOn(env: Env, queueIds: string[], librarianIds: Set<string>): Promise<Map<string, Seen>> {
  const rank: Record<LibrarianStatus, number> = { online: 0, busy: 1, away: 2 };
  const seen = new Map<string, Seen>();
  const snapshots = await Promise.all(queueIds.map(async (queueId) => ({ queueId, monitors: await requestQueue(env, queueId).monitors() })));
  for (const { queueId, monitors } of snapshots) {
    for (const m of monitors) {
      if (!librarianIds.has(m.librarianId)) continue;
      const before = seen.get(m.librarianId);
      if (!before || rank[m.status] < rank[before.status]) seen.set(m.librarianId, { status: m.status, queueId, ref: { id: m.librarianId, name: m.name, libraryId: m.libraryId } });
    }
  }
  return seen;
}

/**
 * A colleague in reach who can be invited to consult now: monitoring (and not
 * away on) one of the queues they staff, which is where the invitation
 * reaches them. Null when they are out of reach or not online.
 */
export async function reachableOnline(env: Env, db: Database, librarian: Librarian, colleagueId: string): Promise<{ colleague: LibrarianRef; queueId: string } | null> {
  const colleague = await colleagueInReach(db, librarian, colleagueId);
  if (!colleague) return null;
  const seen = (await presenceOn(env, await queuesStaffedBy(db, [colleague.libraryId]), new Set([colleague.id]))).get(colleague.id);
  if (!seen || seen.status === "away") return null;
  return { colleague: { id: colleague.id, name: colleague.name, libraryId: colleague.libraryId }, queueId: seen.queueId };
}
