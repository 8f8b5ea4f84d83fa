/**
 * Groups (cooperatives) and their members: creating a group, inviting a
 * library, a library accepting, the order of a library's groups (its roll-over
 * order), and each member's contribution. Every rule that refuses something
 * throws an ApiError and changes nothing.
 */
import { and, asc, eq, exists, gte, inArray, isNotNull, isNull, lt, max, ne, notExists, notInArray, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Librarian } from "../auth/librarian";
import { database, type Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { chatSessions, groupInvitations, groupMembers, groups, libraries } from "../db/schema";
import { assertGroupAdmin, assertLibraryAdmin } from "../db/tenancy";
import { ApiError, badRequest, forbidden, notFound } from "../http/errors";
import { ROUTING } from "../questions/routing";
import type { FiledResolution } from "../shared/codes";

/** A group's id and name, or null when there is no such group. */
export async function findGroup(d1: D1Database, groupId: string): Promise<{ id: string; name: string } | null> {
  return (await database(d1).select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.id, groupId)).get()) ?? null;
}

/** The group's member libraries, by name. */
export async function memberLibraries(d1: D1Database, groupId: string): Promise<{ id: string; name: string; timeZone: string }[]> {
  return database(d1)
    .select({ id: libraries.id, name: libraries.name, timeZone: libraries.timeZone })
    .from(groupMembers)
    .innerJoin(libraries, eq(libraries.id, groupMembers.libraryId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(libraries.name))
    .all();
}

const isMember = (db: Database, groupId: string, libraryId: string) =>
  db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.libraryId, libraryId)));

/** The position after the library's last group: where a group it joins goes in its roll-over order. */
const nextPosition = (db: Database, libraryId: string) =>
  sql<number>`${db
    .select({ next: sql<number>`coalesce(${max(groupMembers.position)} + 1, 0)` })
    .from(groupMembers)
    .where(eq(groupMembers.libraryId, libraryId))}`;

export async function createGroup(d1: D1Database, librarian: Librarian, id: string, name: string, now = Date.now()): Promise<void> {
  if (librarian.role !== "service_admin" && librarian.role !== "group_admin") throw forbidden("Only group or service administrators may create a group.");
  const db = database(d1);
  if (await findGroup(d1, id)) throw new ApiError(409, "validation_failed", `A group with the id "${id}" already exists.`, "id");
  const insertGroup = db.insert(groups).values({ id, name, createdAt: now });
  // A group administrator's own library is the group's first member.
  if (librarian.role === "group_admin") {
    await db.batch([insertGroup, insertIf(db, groupMembers, { groupId: id, libraryId: librarian.libraryId, position: nextPosition(db, librarian.libraryId), createdAt: now })]);
  } else {
    await db.batch([insertGroup]);
  }
}

export interface Invitation {
  id: string;
  groupId: string;
  groupName: string;
  libraryId: string;
  libraryName: string;
  createdAt: number;
}

const pendingInvitation = (db: Database, groupId: string, libraryId: string) =>
  db
    .select({ id: groupInvitations.id })
    .from(groupInvitations)
    .where(and(eq(groupInvitations.groupId, groupId), eq(groupInvitations.libraryId, libraryId), isNull(groupInvitations.acceptedAt)));

export async function inviteLibrary(d1: D1Database, librarian: Librarian, groupId: string, libraryId: string, now = Date.now()): Promise<Invitation> {
  await assertGroupAdmin(d1, librarian, groupId);
  const db = database(d1);
  const library = await db.select({ id: libraries.id, name: libraries.name }).from(libraries).where(eq(libraries.id, libraryId)).get();
  if (!library) throw new ApiError(404, "not_found", `There is no library "${libraryId}".`, "libraryId");
  if (await isMember(db, groupId, libraryId).get()) {
    throw new ApiError(409, "validation_failed", `${library.name} is already a member of this group.`, "libraryId");
  }
  if (await pendingInvitation(db, groupId, libraryId).get()) {
    throw new ApiError(409, "validation_failed", `${library.name} has already been invited and has not answered yet.`, "libraryId");
  }
  const id = crypto.randomUUID();
  await db.insert(groupInvitations).values({ id, groupId, libraryId, invitedBy: librarian.id, createdAt: now });
  const group = await findGroup(d1, groupId);
  return { id, groupId, groupName: group!.name, libraryId, libraryName: library.name, createdAt: now };
}

/** Invitations not yet accepted: to one library, or from one group. */
export async function pendingInvitations(d1: D1Database, by: { libraryId: string } | { groupId: string }): Promise<Invitation[]> {
  return database(d1)
    .select({
      id: groupInvitations.id,
      groupId: groupInvitations.groupId,
      groupName: groups.name,
      libraryId: groupInvitations.libraryId,
      libraryName: libraries.name,
      createdAt: groupInvitations.createdAt,
    })
    .from(groupInvitations)
    .innerJoin(groups, eq(groups.id, groupInvitations.groupId))
    .innerJoin(libraries, eq(libraries.id, groupInvitations.libraryId))
    .where(and("libraryId" in by ? eq(groupInvitations.libraryId, by.libraryId) : eq(groupInvitations.groupId, by.groupId), isNull(groupInvitations.acceptedAt)))
    .orderBy(asc(groupInvitations.createdAt))
    .all();
}

/**
 * The librarian's library joins a group — only with a pending invitation, and
 * only by its administrator. The membership and the accepted invitation are
 * written in one batch, guarded by the invitation, so a double click joins once.
 */
export async function joinGroup(d1: D1Database, librarian: Librarian, groupId: string, now = Date.now()): Promise<void> {
  const libraryId = librarian.libraryId;
  assertLibraryAdmin(librarian, libraryId, "which groups it belongs to");
  const db = database(d1);
  if (!(await findGroup(d1, groupId))) throw notFound("Group");
  if (await isMember(db, groupId, libraryId).get()) {
    throw new ApiError(409, "validation_failed", "Your library is already a member of this group.");
  }
  const invitation = await pendingInvitation(db, groupId, libraryId).orderBy(asc(groupInvitations.createdAt)).limit(1).get();
  if (!invitation) throw forbidden("Your library has no invitation to this group. Ask one of its administrators to invite it.");
  const stillPending = db
    .select({ id: groupInvitations.id })
    .from(groupInvitations)
    .where(and(eq(groupInvitations.id, invitation.id), isNull(groupInvitations.acceptedAt)));
  const [joined] = await db.batch([
    insertIf(
      db,
      groupMembers,
      { groupId, libraryId, position: nextPosition(db, libraryId), createdAt: now },
      and(exists(stillPending), notExists(isMember(db, groupId, libraryId))),
    ),
    db
      .update(groupInvitations)
      .set({ acceptedAt: now, acceptedBy: librarian.id })
      .where(and(eq(groupInvitations.id, invitation.id), isNull(groupInvitations.acceptedAt))),
  ]);
  if (!joined.meta.changes) throw new ApiError(409, "validation_failed", "This invitation was just used. Your library is a member now.");
}

/** The library's groups in roll-over order. */
export async function librarysGroups(d1: D1Database, libraryId: string): Promise<{ id: string; name: string; position: number }[]> {
  return database(d1)
    .select({ id: groups.id, name: groups.name, position: groupMembers.position })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.libraryId, libraryId))
    .orderBy(asc(groupMembers.position), asc(groupMembers.createdAt))
    .all();
}

/** The library's groups for lists: in roll-over order, groups at the same position by name. */
export async function groupsOfLibrary(d1: D1Database, libraryId: string): Promise<{ id: string; name: string }[]> {
  return database(d1)
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .innerJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .where(eq(groupMembers.libraryId, libraryId))
    .orderBy(asc(groupMembers.position), asc(groups.name))
    .all();
}

/** Statements that set the library's roll-over order; the order must name each of its groups once. */
export async function groupOrderStatements(d1: D1Database, libraryId: string, order: string[]): Promise<BatchItem<"sqlite">[]> {
  const current = (await librarysGroups(d1, libraryId)).map((g) => g.id);
  const same = order.length === current.length && new Set(order).size === order.length && order.every((g) => current.includes(g));
  if (!same) throw badRequest(`List each of your library's groups once, in the order requests should roll over to them (${current.join(", ") || "none"}).`, "groupOrder");
  const db = database(d1);
  return order.map((groupId, position) =>
    db
      .update(groupMembers)
      .set({ position })
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.libraryId, libraryId))),
  );
}

export interface Contribution {
  libraryId: string;
  libraryName: string;
  /** Sessions of other members' patrons that this library's librarians answered. */
  answeredForOthers: number;
  /** Sessions of this library's patrons that other members' librarians answered. */
  answeredByOthers: number;
  /** Sessions of this library's patrons its own librarians answered. */
  answeredOwn: number;
}

/** Practice and spam sessions stay out of statistics (src/questions/routing.ts). */
const EXCLUDED = (Object.keys(ROUTING) as FiledResolution[]).filter((c) => ROUTING[c].excludeFromStats);

/** Each member's contribution to the group over [fromMs, toMs), from chat_sessions' home and answering libraries. */
export async function contribution(d1: D1Database, groupId: string, fromMs: number, toMs: number): Promise<Contribution[]> {
  const db = database(d1);
  const members = db.$with("members").as(db.select({ libraryId: groupMembers.libraryId }).from(groupMembers).where(eq(groupMembers.groupId, groupId)));
  const memberIds = db.select({ libraryId: members.libraryId }).from(members);
  const answered = db.$with("answered").as(
    db
      .select({ home: sql<string>`${chatSessions.libraryId}`.as("home"), answerer: sql<string>`${chatSessions.answeringLibraryId}`.as("answerer") })
      .from(chatSessions)
      .where(
        and(
          isNotNull(chatSessions.answeringLibraryId),
          gte(chatSessions.createdAt, fromMs),
          lt(chatSessions.createdAt, toMs),
          inArray(chatSessions.libraryId, memberIds),
          inArray(chatSessions.answeringLibraryId, memberIds),
          or(isNull(chatSessions.resolutionCode), notInArray(chatSessions.resolutionCode, EXCLUDED)),
        ),
      ),
  );
  return db
    .with(members, answered)
    .select({
      libraryId: libraries.id,
      libraryName: libraries.name,
      answeredForOthers: db.$count(answered, and(eq(answered.answerer, libraries.id), ne(answered.home, libraries.id))),
      answeredByOthers: db.$count(answered, and(eq(answered.home, libraries.id), ne(answered.answerer, libraries.id))),
      answeredOwn: db.$count(answered, and(eq(answered.home, libraries.id), eq(answered.answerer, libraries.id))),
    })
    .from(members)
    .innerJoin(libraries, eq(libraries.id, members.libraryId))
    .orderBy(asc(libraries.name))
    .all();
}
