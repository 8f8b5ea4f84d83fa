/**
 * Tenancy: who may see what of a chat session and of a question. One place, so
 * routes cannot drift. A library's librarians see its own patrons' sessions and
 * questions; a librarian of another library (cooperative service) sees only the
 * sessions they serve, and of questions only their own "Followup By Me" ones.
 * Every refusal is logged.
 */
import { and, eq, inArray, or, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias, QueryBuilder } from "drizzle-orm/sqlite-core";
import type { Librarian } from "../auth/librarian";
import { ApiError, forbidden } from "../http/errors";
import type { SessionView } from "../shared/protocol";
import { database } from "./client";
import { errorText } from "./errors";
import { accessDenials, chatSessions, groupMembers, groups, questions } from "./schema";

export function canReadSession(librarian: Librarian, session: SessionView): boolean {
  return librarian.libraryId === session.libraryId || session.librarian?.id === librarian.id || !!session.consultants?.some((c) => c.id === librarian.id);
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
 * The same rule as `questionAccess`, as a condition over `questions` joined
 * with its `chat_sessions` row, for lists and counts.
 */
export function visibleQuestions(librarian: Librarian): SQL {
  return or(
    eq(questions.libraryId, librarian.libraryId),
    and(eq(questions.assignedTo, librarian.id), eq(chatSessions.librarianId, librarian.id), eq(chatSessions.resolutionCode, "followup_by_me")),
  )!;
}

/**
 * Records a refused attempt (structured log and the access_denials table). The
 * caller answers exactly as for something that does not exist.
 */
export async function logAccessDenied(db: D1Database, librarian: Librarian, resource: "question" | "mail", resourceId: string, action: string): Promise<void> {
  console.warn(JSON.stringify({ event: "access_refused", resource, resourceId, action, librarianId: librarian.id, libraryId: librarian.libraryId }));
  await database(db)
    .insert(accessDenials)
    .values({ librarianId: librarian.id, libraryId: librarian.libraryId, resource, resourceId: resourceId.slice(0, 200), action, createdAt: Date.now() })
    .run()
    .catch((error: unknown) => console.error(JSON.stringify({ event: "access_denial_log_failed", error: errorText(error) })));
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

const ownMembership = alias(groupMembers, "own_membership");
const partnerMembership = alias(groupMembers, "partner_membership");

/** Whether `libraryIdColumn` is `libraryId` or a library sharing a group with it. */
export function isPartnerOf(libraryIdColumn: SQLWrapper, libraryId: string): SQL {
  const partners = new QueryBuilder()
    .select({ libraryId: partnerMembership.libraryId })
    .from(ownMembership)
    .innerJoin(partnerMembership, eq(partnerMembership.groupId, ownMembership.groupId))
    .where(eq(ownMembership.libraryId, libraryId));
  return or(eq(libraryIdColumn, libraryId), inArray(libraryIdColumn, partners))!;
}

/** Whether the librarian may read `libraryId`'s policy page: their own, a partner's, or any for a service administrator. */
export async function canReadPolicyPage(d1: D1Database, librarian: Librarian, libraryId: string): Promise<boolean> {
  if (librarian.role === "service_admin" || librarian.libraryId === libraryId) return true;
  const shared = await database(d1)
    .select({ groupId: ownMembership.groupId })
    .from(ownMembership)
    .innerJoin(partnerMembership, eq(partnerMembership.groupId, ownMembership.groupId))
    .where(and(eq(ownMembership.libraryId, librarian.libraryId), eq(partnerMembership.libraryId, libraryId)))
    .get();
  return shared !== undefined;
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
  const row = await database(d1)
    .select({ memberLibraryId: groupMembers.libraryId })
    .from(groups)
    .leftJoin(groupMembers, and(eq(groupMembers.groupId, groups.id), eq(groupMembers.libraryId, librarian.libraryId)))
    .where(eq(groups.id, groupId))
    .get();
  const exists = row !== undefined;
  const member = exists && row.memberLibraryId !== null;
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
