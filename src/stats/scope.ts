/**
 * Who sees which figures (the same tenancy as everywhere, in one place):
 * - a librarian: their own chats (scope "me");
 * - a library administrator: everything asked by the library's patrons and
 *   everything its librarians answered (scope "library"), and their own;
 * - a group administrator: also each cooperative their library belongs to,
 *   every member in both directions (scope "group");
 * - a service administrator: any library or cooperative.
 * Figures about another library's patrons are only ever counts (no report
 * lists a chat), and patrons' comments are shown only to administrators of the
 * patrons' own library. Also decides the report's time zone and which slice of
 * the cooperative rollups, if any, answers.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { database, type Database } from "../db/client";
import { descriptiveCodes, groupMembers, groups, librarians, libraries } from "../db/schema";
import { ApiError, badRequest } from "../http/errors";
import { groupQueueId, libraryQueueId } from "../queues/queue-ids";
import type { StatScopeKind, StatsQuery } from "../shared/stats-api";
import { groupZones } from "./group-zones";
import { sliceFor } from "./slices";

export interface ScopeLibrary {
  id: string;
  name: string;
  timeZone: string;
}

export interface ResolvedScope {
  kind: StatScopeKind;
  /** The librarian's, library's or group's id. */
  id: string;
  name: string;
  viewer: Librarian;
  /** scope=library: the library; scope=group with a library chosen: the member. */
  library: ScopeLibrary | null;
  /** scope=group: the cooperative and the zone its figures are counted in. */
  group: { id: string; name: string; zone: string; members: ScopeLibrary[] } | null;
  /** scope=me: the viewer; otherwise the librarian chosen, if any. */
  librarian: { id: string; name: string; libraryId: string } | null;
  /** The zone days and hours are counted in. */
  zone: string;
  /** The slice of the cooperative rollups that answers ("" whole), or null when the facts are counted (src/stats/slices.ts). */
  slice: string | null;
  /** Libraries whose codes, queues and librarians the filters may name. */
  libraries: ScopeLibrary[];
  /** Whose patrons' comments this viewer may read: a library id, every library (service), or nobody. */
  commentsOf: string | "all" | null;
}

const isAdmin = (l: Librarian) => l.role !== "librarian";

async function libraryById(db: Database, id: string): Promise<ScopeLibrary | undefined> {
  return db.select({ id: libraries.id, name: libraries.name, timeZone: libraries.timeZone }).from(libraries).where(eq(libraries.id, id)).get();
}

async function membersOf(db: Database, groupId: string): Promise<ScopeLibrary[]> {
  return db
    .select({ id: libraries.id, name: libraries.name, timeZone: libraries.timeZone })
    .from(groupMembers)
    .innerJoin(libraries, eq(libraries.id, groupMembers.libraryId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(libraries.name))
    .all();
}

/** The groups whose figures the viewer may see: their library's groups for a group administrator, every group for a service administrator. */
export async function viewableGroups(db: Database, viewer: Librarian): Promise<{ id: string; name: string }[]> {
  if (viewer.role === "service_admin") return db.select({ id: groups.id, name: groups.name }).from(groups).orderBy(asc(groups.name)).all();
  if (viewer.role !== "group_admin") return [];
  return db
    .select({ id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.libraryId, viewer.libraryId))
    .orderBy(asc(groupMembers.position))
    .all();
}

/** The scope a viewer gets when they choose none: the widest they have. */
async function defaultScope(db: Database, viewer: Librarian): Promise<StatScopeKind> {
  if (!isAdmin(viewer)) return "me";
  if (viewer.role === "group_admin" && (await viewableGroups(db, viewer)).length > 0) return "group";
  return "library";
}

/** The scope a query asks for, checked against who asks; a 400 or 403 naming the field otherwise. */
export async function resolveScope(d1: D1Database, viewer: Librarian, q: StatsQuery): Promise<ResolvedScope> {
  const db = database(d1);
  const kind = q.scope ?? (await defaultScope(db, viewer));
  const own = (await libraryById(db, viewer.libraryId))!;
  let scope: ResolvedScope;
  if (kind === "me") {
    if (q.library && q.library !== own.id) throw forbiddenScope("Your own figures are your library's: choose scope=library or scope=group to see another library.", "library");
    scope = { kind, id: viewer.id, name: viewer.displayName, viewer, library: null, group: null, librarian: { id: viewer.id, name: viewer.displayName, libraryId: own.id }, zone: own.timeZone, slice: null, libraries: [own], commentsOf: null };
  } else if (kind === "library") {
    if (!isAdmin(viewer)) throw forbiddenScope("A library's figures are for its administrators; choose scope=me for your own.");
    const libraryId = q.library ?? own.id;
    if (libraryId !== own.id && viewer.role !== "service_admin") throw forbiddenScope("You may see your own library's figures only.", "library");
    const library = await libraryById(db, libraryId);
    if (!library) throw badRequest(`There is no library "${libraryId}".`, "library");
    scope = { kind, id: library.id, name: library.name, viewer, library, group: null, librarian: null, zone: library.timeZone, slice: null, libraries: [library], commentsOf: viewer.role === "service_admin" ? "all" : library.id };
  } else {
    if (viewer.role !== "group_admin" && viewer.role !== "service_admin") throw forbiddenScope("A cooperative's figures are for its group administrators.");
    const allowed = await viewableGroups(db, viewer);
    if (!q.group && allowed.length === 0) throw forbiddenScope("Your library belongs to no cooperative.");
    const groupId = q.group ?? allowed[0]!.id;
    const group = allowed.find((g) => g.id === groupId);
    if (!group) {
      const exists = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)).get();
      if (!exists) throw badRequest(`There is no group "${groupId}".`, "group");
      throw forbiddenScope("You may see the figures of your own library's cooperatives only.", "group");
    }
    const [members, zones] = await Promise.all([membersOf(db, group.id), groupZones(db, [group.id])]);
    let library: ScopeLibrary | null = null;
    if (q.library) {
      library = members.find((m) => m.id === q.library) ?? null;
      if (!library) throw badRequest(`"${q.library}" is not a member of ${group.name}.`, "library");
    }
    scope = {
      kind,
      id: group.id,
      name: group.name,
      viewer,
      library,
      group: { id: group.id, name: group.name, zone: zones.get(group.id) ?? "UTC", members },
      librarian: null,
      zone: library?.timeZone ?? zones.get(group.id) ?? "UTC",
      slice: null,
      libraries: members,
      commentsOf: viewer.role === "service_admin" ? "all" : isAdmin(viewer) ? own.id : null,
    };
  }
  await checkFilters(db, scope, q);
  scope.slice = scope.kind === "group" && !scope.library ? sliceFor(q, scope.id) : null;
  return scope;
}

/** A 403 naming the filter that asked for too much. */
const forbiddenScope = (message: string, field = "scope") => new ApiError(403, "forbidden", message, field);

/** The filters must name things that exist and belong to the scope; the librarian and queue filters may move the time zone. */
async function checkFilters(db: Database, scope: ResolvedScope, q: StatsQuery): Promise<void> {
  const libraryIds = scope.libraries.map((l) => l.id);
  if (q.librarian && scope.kind !== "me") {
    const found = await db.select({ id: librarians.id, name: librarians.displayName, libraryId: librarians.libraryId, timeZone: libraries.timeZone }).from(librarians).innerJoin(libraries, eq(libraries.id, librarians.libraryId)).where(eq(librarians.id, q.librarian)).get();
    if (!found) throw badRequest(`There is no librarian "${q.librarian}".`, "librarian");
    if (!(await mayName(db, scope, found.libraryId))) throw forbiddenScope("That librarian is neither of this library nor of one of its partners.", "librarian");
    scope.librarian = { id: found.id, name: found.name, libraryId: found.libraryId };
    if (scope.kind === "group" && !scope.library) scope.zone = found.timeZone;
  } else if (q.librarian && q.librarian !== scope.viewer.id) {
    throw forbiddenScope("Your own figures are your own chats only.", "librarian");
  }
  if (q.queue) {
    const [kind, id] = q.queue.split(":") as ["lib" | "group", string];
    if (kind === "lib") {
      const library = await libraryById(db, id);
      if (!library) throw badRequest(`There is no queue "${q.queue}".`, "queue");
      if (!(await mayName(db, scope, library.id))) throw forbiddenScope("That queue is neither this library's nor one of its partners'.", "queue");
      if (scope.kind === "group" && !scope.library && !q.librarian) scope.zone = library.timeZone;
    } else {
      const group = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, id)).get();
      if (!group) throw badRequest(`There is no queue "${q.queue}".`, "queue");
      const memberOf = await db.select({ groupId: groupMembers.groupId }).from(groupMembers).where(and(eq(groupMembers.groupId, id), inArray(groupMembers.libraryId, libraryIds))).get();
      const ownGroup = scope.kind === "group" ? scope.group!.id === id : memberOf !== undefined || scope.viewer.role === "service_admin";
      if (!ownGroup) throw forbiddenScope(scope.kind === "group" ? "Choose this cooperative's own queue or one of its members' queues." : "That queue is not one of your library's cooperatives'.", "queue");
    }
  }
  if (q.code) {
    const known = await db.select({ code: descriptiveCodes.code }).from(descriptiveCodes).where(and(eq(descriptiveCodes.code, q.code), inArray(descriptiveCodes.libraryId, libraryIds))).get();
    if (!known) throw badRequest(`"${q.code}" is not a descriptive code of ${scope.kind === "group" ? "any member" : "this library"}.`, "code");
  }
}

/** Whether a filter may name `libraryId`: a library in scope, or one sharing a cooperative with it (partners answer each other's patrons). */
async function mayName(db: Database, scope: ResolvedScope, libraryId: string): Promise<boolean> {
  const inScope = scope.libraries.map((l) => l.id);
  if (inScope.includes(libraryId) || scope.viewer.role === "service_admin") return true;
  if (scope.kind === "group") return false;
  const shared = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.libraryId, libraryId), inArray(groupMembers.groupId, db.select({ id: groupMembers.groupId }).from(groupMembers).where(inArray(groupMembers.libraryId, inScope)))))
    .get();
  return shared !== undefined;
}

/** The queues a filter may offer: the scope's libraries' own queues and their cooperatives' queues. */
export async function scopeQueues(d1: D1Database, scope: ResolvedScope): Promise<{ id: string; name: string }[]> {
  const db = database(d1);
  if (scope.kind === "group") return [{ id: groupQueueId(scope.group!.id), name: scope.group!.name }, ...scope.libraries.map((l) => ({ id: libraryQueueId(l.id), name: l.name }))];
  const own = scope.libraries[0]!;
  const theirGroups = await db.select({ id: groups.id, name: groups.name }).from(groupMembers).innerJoin(groups, eq(groups.id, groupMembers.groupId)).where(eq(groupMembers.libraryId, own.id)).orderBy(asc(groupMembers.position)).all();
  return [{ id: libraryQueueId(own.id), name: own.name }, ...theirGroups.map((g) => ({ id: groupQueueId(g.id), name: g.name }))];
}
