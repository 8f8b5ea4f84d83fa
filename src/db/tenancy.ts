/**
 * Tenancy: who may see what of a chat session and of a question. One place, so
 * routes cannot drift. A library's librarians see its own patrons' sessions and
 * questions; a librarian of another library (cooperative service) sees only the
 * sessions they serve, and of questions only their own "Followup By Me" ones.
 * Every refusal is logged.
 */
import { eq, or, type SQL } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { ApiError, forbidden } from "../http/errors";
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

// ---- the cooperative exception --------------------------------------------------
//
// Of another library, a cooperative librarian sees only what cooperative service
// needs: its policy page (when the two libraries share a group) and the sessions
// they serve (canReadSession above). Group settings belong to the group's
// administrators; a library's settings to its own administrators.

/** SQL: the ids of every library sharing a group with library `?` (itself included). Bind the library id twice. */
export const PARTNER_LIBRARIES_SQL = `SELECT gm2.library_id FROM group_members gm1 JOIN group_members gm2 ON gm2.group_id = gm1.group_id WHERE gm1.library_id = ?
  UNION SELECT ?`;

/** Whether the librarian may read `libraryId`'s policy page: their own, a partner's, or any for a service administrator. */
export async function canReadPolicyPage(d1: D1Database, librarian: Librarian, libraryId: string): Promise<boolean> {
  if (librarian.role === "service_admin" || librarian.libraryId === libraryId) return true;
  const row = await d1
    .prepare(`SELECT 1 AS ok FROM (${PARTNER_LIBRARIES_SQL}) WHERE library_id = ?`)
    .bind(librarian.libraryId, librarian.libraryId, libraryId)
    .first<{ ok: number }>();
  return row !== null;
}

export async function assertCanReadPolicyPage(d1: D1Database, librarian: Librarian, libraryId: string): Promise<void> {
  if (!(await canReadPolicyPage(d1, librarian, libraryId))) {
    console.warn(JSON.stringify({ event: "access_refused", librarianId: librarian.id, policyPage: libraryId }));
    throw forbidden("This library's policy page is for its cooperative partners only.");
  }
}

/** A library's own settings (policy page, routing, invitations) are its administrators' (or a service administrator's). */
export function isLibraryAdmin(librarian: Librarian, libraryId: string): boolean {
  return librarian.role === "service_admin" || (librarian.role === "library_admin" && librarian.libraryId === libraryId);
}

export function assertLibraryAdmin(librarian: Librarian, libraryId: string, what = "this library's settings"): void {
  if (!isLibraryAdmin(librarian, libraryId)) {
    console.warn(JSON.stringify({ event: "access_refused", librarianId: librarian.id, libraryAdminOf: libraryId }));
    throw forbidden(`Only an administrator of that library may change ${what}.`);
  }
}

export interface GroupAccess {
  exists: boolean;
  /** The librarian's library belongs to the group. */
  member: boolean;
  /** group_admin of a member library, or service_admin. */
  admin: boolean;
}

/** What the librarian may do with a group. */
export async function groupAccess(d1: D1Database, librarian: Librarian, groupId: string): Promise<GroupAccess> {
  const row = await d1
    .prepare("SELECT (SELECT COUNT(*) FROM groups WHERE id = ?1) AS found, (SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND library_id = ?2) AS member")
    .bind(groupId, librarian.libraryId)
    .first<{ found: number; member: number }>();
  const exists = (row?.found ?? 0) > 0;
  const member = exists && (row?.member ?? 0) > 0;
  return { exists, member, admin: exists && (librarian.role === "service_admin" || (member && librarian.role === "group_admin")) };
}

/** Members (and service administrators) may read a group's page, schedule and coverage. */
export async function assertGroupMember(d1: D1Database, librarian: Librarian, groupId: string): Promise<GroupAccess> {
  const access = await groupAccess(d1, librarian, groupId);
  if (!access.exists) throw new ApiError(404, "not_found", "Group not found.");
  if (!access.member && !access.admin) throw forbidden("Your library is not a member of this group.");
  return access;
}

export async function assertGroupAdmin(d1: D1Database, librarian: Librarian, groupId: string): Promise<GroupAccess> {
  const access = await groupAccess(d1, librarian, groupId);
  if (!access.exists) throw new ApiError(404, "not_found", "Group not found.");
  if (!access.admin) {
    console.warn(JSON.stringify({ event: "access_refused", librarianId: librarian.id, groupAdminOf: groupId }));
    throw forbidden("Only the group's administrators may do that.");
  }
  return access;
}
