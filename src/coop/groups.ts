/**
 * Groups (cooperatives) and their members: creating a group, inviting a
 * library, a library accepting, the order of a library's groups (its roll-over
 * order), and each member's contribution. Every rule that refuses something
 * throws an ApiError and changes nothing.
 */
import type { Librarian } from "../auth/librarian";
import { assertGroupAdmin, assertLibraryAdmin } from "../db/tenancy";
import { ApiError, badRequest, forbidden, notFound } from "../http/errors";
import { ROUTING } from "../questions/routing";
import type { ResolutionCode } from "../shared/codes";

export async function createGroup(d1: D1Database, librarian: Librarian, id: string, name: string, now = Date.now()): Promise<void> {
  if (librarian.role !== "service_admin" && librarian.role !== "group_admin") throw forbidden("Only group or service administrators may create a group.");
  if (await d1.prepare("SELECT 1 FROM groups WHERE id = ?").bind(id).first()) throw new ApiError(409, "validation_failed", `A group with the id "${id}" already exists.`, "id");
  const statements = [d1.prepare("INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)").bind(id, name, now)];
  // A group administrator's own library is the group's first member.
  if (librarian.role === "group_admin") {
    statements.push(
      d1
        .prepare("INSERT INTO group_members (group_id, library_id, position, created_at) SELECT ?, ?, COALESCE(MAX(position) + 1, 0), ? FROM group_members WHERE library_id = ?")
        .bind(id, librarian.libraryId, now, librarian.libraryId),
    );
  }
  await d1.batch(statements);
}

export interface Invitation {
  id: string;
  groupId: string;
  groupName: string;
  libraryId: string;
  libraryName: string;
  createdAt: number;
}

export async function inviteLibrary(d1: D1Database, librarian: Librarian, groupId: string, libraryId: string, now = Date.now()): Promise<Invitation> {
  await assertGroupAdmin(d1, librarian, groupId);
  const library = await d1.prepare("SELECT id, name FROM libraries WHERE id = ?").bind(libraryId).first<{ id: string; name: string }>();
  if (!library) throw new ApiError(404, "not_found", `There is no library "${libraryId}".`, "libraryId");
  if (await d1.prepare("SELECT 1 FROM group_members WHERE group_id = ? AND library_id = ?").bind(groupId, libraryId).first()) {
    throw new ApiError(409, "validation_failed", `${library.name} is already a member of this group.`, "libraryId");
  }
  if (await d1.prepare("SELECT 1 FROM group_invitations WHERE group_id = ? AND library_id = ? AND accepted_at IS NULL").bind(groupId, libraryId).first()) {
    throw new ApiError(409, "validation_failed", `${library.name} has already been invited and has not answered yet.`, "libraryId");
  }
  const id = crypto.randomUUID();
  await d1.prepare("INSERT INTO group_invitations (id, group_id, library_id, invited_by, created_at) VALUES (?, ?, ?, ?, ?)").bind(id, groupId, libraryId, librarian.id, now).run();
  const group = await d1.prepare("SELECT name FROM groups WHERE id = ?").bind(groupId).first<{ name: string }>();
  return { id, groupId, groupName: group!.name, libraryId, libraryName: library.name, createdAt: now };
}

/** Invitations not yet accepted: to one library, or from one group. */
export async function pendingInvitations(d1: D1Database, by: { libraryId: string } | { groupId: string }): Promise<Invitation[]> {
  const where = "libraryId" in by ? "i.library_id = ?" : "i.group_id = ?";
  const { results } = await d1
    .prepare(
      `SELECT i.id, i.group_id, g.name AS group_name, i.library_id, l.name AS library_name, i.created_at
       FROM group_invitations i JOIN groups g ON g.id = i.group_id JOIN libraries l ON l.id = i.library_id
       WHERE ${where} AND i.accepted_at IS NULL ORDER BY i.created_at`,
    )
    .bind("libraryId" in by ? by.libraryId : by.groupId)
    .all<{ id: string; group_id: string; group_name: string; library_id: string; library_name: string; created_at: number }>();
  return results.map((r) => ({ id: r.id, groupId: r.group_id, groupName: r.group_name, libraryId: r.library_id, libraryName: r.library_name, createdAt: r.created_at }));
}

/**
 * The librarian's library joins a group — only with a pending invitation, and
 * only by its administrator. The membership and the accepted invitation are
 * written in one batch, guarded by the invitation, so a double click joins once.
 */
export async function joinGroup(d1: D1Database, librarian: Librarian, groupId: string, now = Date.now()): Promise<void> {
  const libraryId = librarian.libraryId;
  assertLibraryAdmin(librarian, libraryId, "which groups it belongs to");
  if (!(await d1.prepare("SELECT 1 FROM groups WHERE id = ?").bind(groupId).first())) throw notFound("Group");
  if (await d1.prepare("SELECT 1 FROM group_members WHERE group_id = ? AND library_id = ?").bind(groupId, libraryId).first()) {
    throw new ApiError(409, "validation_failed", "Your library is already a member of this group.");
  }
  const invitation = await d1
    .prepare("SELECT id FROM group_invitations WHERE group_id = ? AND library_id = ? AND accepted_at IS NULL ORDER BY created_at LIMIT 1")
    .bind(groupId, libraryId)
    .first<{ id: string }>();
  if (!invitation) throw forbidden("Your library has no invitation to this group. Ask one of its administrators to invite it.");
  const [joined] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO group_members (group_id, library_id, position, created_at)
         SELECT ?1, ?2, (SELECT COALESCE(MAX(position) + 1, 0) FROM group_members WHERE library_id = ?2), ?3
         WHERE EXISTS (SELECT 1 FROM group_invitations WHERE id = ?4 AND accepted_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = ?1 AND library_id = ?2)`,
      )
      .bind(groupId, libraryId, now, invitation.id),
    d1.prepare("UPDATE group_invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL").bind(now, librarian.id, invitation.id),
  ]);
  if (!joined?.meta.changes) throw new ApiError(409, "validation_failed", "This invitation was just used. Your library is a member now.");
}

/** The library's groups in roll-over order. */
export async function librarysGroups(d1: D1Database, libraryId: string): Promise<{ id: string; name: string; position: number }[]> {
  const { results } = await d1
    .prepare("SELECT g.id, g.name, m.position FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.library_id = ? ORDER BY m.position, m.created_at")
    .bind(libraryId)
    .all<{ id: string; name: string; position: number }>();
  return results;
}

/** Statements that set the library's roll-over order; the order must name each of its groups once. */
export async function groupOrderStatements(d1: D1Database, libraryId: string, order: string[]): Promise<D1PreparedStatement[]> {
  const current = (await librarysGroups(d1, libraryId)).map((g) => g.id);
  const same = order.length === current.length && new Set(order).size === order.length && order.every((g) => current.includes(g));
  if (!same) throw badRequest(`List each of your library's groups once, in the order requests should roll over to them (${current.join(", ") || "none"}).`, "groupOrder");
  return order.map((groupId, position) => d1.prepare("UPDATE group_members SET position = ? WHERE group_id = ? AND library_id = ?").bind(position, groupId, libraryId));
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
const EXCLUDED = (Object.keys(ROUTING) as ResolutionCode[]).filter((c) => ROUTING[c].excludeFromStats);

/** Each member's contribution to the group over [fromMs, toMs), from chat_sessions' home and answering libraries. */
export async function contribution(d1: D1Database, groupId: string, fromMs: number, toMs: number): Promise<Contribution[]> {
  const excluded = EXCLUDED.map(() => "?").join(", ");
  const { results } = await d1
    .prepare(
      `WITH members AS (SELECT library_id FROM group_members WHERE group_id = ?1),
       answered AS (
         SELECT library_id AS home, answering_library_id AS answerer FROM chat_sessions
         WHERE answering_library_id IS NOT NULL AND created_at >= ?2 AND created_at < ?3
           AND library_id IN (SELECT library_id FROM members) AND answering_library_id IN (SELECT library_id FROM members)
           AND (resolution_code IS NULL OR resolution_code NOT IN (${excluded || "''"}))
       )
       SELECT l.id, l.name,
         (SELECT COUNT(*) FROM answered WHERE answerer = l.id AND home <> l.id) AS for_others,
         (SELECT COUNT(*) FROM answered WHERE home = l.id AND answerer <> l.id) AS by_others,
         (SELECT COUNT(*) FROM answered WHERE home = l.id AND answerer = l.id) AS own
       FROM members m JOIN libraries l ON l.id = m.library_id ORDER BY l.name`,
    )
    .bind(groupId, fromMs, toMs, ...EXCLUDED)
    .all<{ id: string; name: string; for_others: number; by_others: number; own: number }>();
  return results.map((r) => ({ libraryId: r.id, libraryName: r.name, answeredForOthers: r.for_others, answeredByOthers: r.by_others, answeredOwn: r.own }));
}
