/**
 * Authorisation for administration, one place: which role may do which admin
 * action on which library or group. Every admin route and page asks here, on
 * the server; the admin UI only hides what this would refuse anyway.
 *
 * - librarian: no admin actions (only their own account: sessions, password).
 * - library_admin: everything about their own library (settings, accounts,
 *   forms, audit log, privacy record).
 * - group_admin: what a library_admin may, for their own library, plus their
 *   groups' forms, membership view and audit log. Their groups are the groups
 *   their library belongs to.
 * - service_admin: everything, everywhere; and only they create, archive and
 *   import libraries and groups, and act on the service's mail.
 *
 * Roles are ordered (ROLE_ORDER); nobody grants a role above their own or
 * manages an account whose role is above their own.
 */
import { asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Librarian, Role } from "../auth/librarian";
import { requireLibrarian } from "../auth/middleware";
import { database, type Database } from "../db/client";
import { groupMembers } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { ApiError, forbidden } from "../http/errors";
import { ROLE_ORDER } from "../shared/admin-limits";

/** A signed-in librarian with what authorisation needs to know about them. */
export interface Actor extends Librarian {
  /** Groups the actor's library belongs to (which a group_admin administers). */
  groupIds: string[];
}

export type AdminScope = { library: string } | { group: string } | { service: true };

export const ADMIN_ACTIONS = [
  "library.read",
  "library.settings.write",
  "library.accounts.manage",
  "library.forms.write",
  "group.read",
  "group.forms.write",
  "service.read",
  "service.manage",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export function roleRank(role: Role): number {
  return ROLE_ORDER.indexOf(role);
}

export function atLeast(role: Role, minimum: Role): boolean {
  return roleRank(role) >= roleRank(minimum);
}

const isService = (a: Actor) => a.role === "service_admin";

/** Administers this library: its own library_admin or group_admin, or a service_admin. */
function administersLibrary(a: Actor, libraryId: string): boolean {
  return isService(a) || (atLeast(a.role, "library_admin") && a.libraryId === libraryId);
}

/** Administers this group: a group_admin of a member library, or a service_admin. */
function administersGroup(a: Actor, groupId: string): boolean {
  return isService(a) || (a.role === "group_admin" && a.groupIds.includes(groupId));
}

/** The rule for each action: given the actor and the scope, allowed or not. */
const RULES: Record<AdminAction, (a: Actor, scope: AdminScope) => boolean> = {
  "library.read": (a, s) => "library" in s && administersLibrary(a, s.library),
  "library.settings.write": (a, s) => "library" in s && administersLibrary(a, s.library),
  "library.accounts.manage": (a, s) => "library" in s && administersLibrary(a, s.library),
  "library.forms.write": (a, s) => "library" in s && administersLibrary(a, s.library),
  "group.read": (a, s) => "group" in s && administersGroup(a, s.group),
  "group.forms.write": (a, s) => "group" in s && administersGroup(a, s.group),
  "service.read": (a) => isService(a),
  "service.manage": (a) => isService(a),
};

/** Whether `actor` may do `action` in `scope`. */
export function can(actor: Actor, action: AdminAction, scope: AdminScope): boolean {
  return RULES[action](actor, scope);
}

/** Whether `actor` may give `role` to someone: never above their own. */
export function mayGrantRole(actor: Actor, role: Role): boolean {
  return roleRank(role) <= roleRank(actor.role);
}

/** Roles `actor` may hand out, least powerful first. */
export function grantableRoles(actor: Actor): Role[] {
  return ROLE_ORDER.filter((r) => mayGrantRole(actor, r));
}

/** Whether `actor` may manage (disable, reset, re-role, sign out) an account with role `targetRole`. */
export function mayManageAccount(actor: Actor, target: { id: string; role: Role }): boolean {
  return target.id !== actor.id && roleRank(target.role) <= roleRank(actor.role);
}

export async function loadActor(db: Database, librarian: Librarian): Promise<Actor> {
  const rows = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(eq(groupMembers.libraryId, librarian.libraryId))
    .orderBy(asc(groupMembers.position))
    .all();
  return { ...librarian, groupIds: rows.map((r) => r.groupId) };
}

const actorCache = new WeakMap<Request, Actor>();

/** The signed-in actor (401 when nobody is signed in), loaded once per request. */
export async function requireActor(c: Context<AppEnv>): Promise<Actor> {
  const librarian = requireLibrarian(c);
  const cached = actorCache.get(c.req.raw);
  if (cached) return cached;
  const actor = await loadActor(database(c.env.DB), librarian);
  actorCache.set(c.req.raw, actor);
  return actor;
}

/** Refuses (403) unless the signed-in actor may do `action` in `scope`; returns the actor. */
export async function authorize(c: Context<AppEnv>, action: AdminAction, scope: AdminScope): Promise<Actor> {
  const actor = await requireActor(c);
  if (!can(actor, action, scope)) {
    console.warn(JSON.stringify({ event: "admin_refused", librarianId: actor.id, action, scope }));
    throw forbidden(describeRefusal(action));
  }
  return actor;
}

function describeRefusal(action: AdminAction): string {
  if (action.startsWith("group.")) return "Only this group's administrators can do that.";
  if (action.startsWith("service.")) return "Only service administrators can do that.";
  return "Only this library's administrators can do that.";
}

/** A refusal that names the field at fault, e.g. a role above the actor's own. */
export function forbiddenField(message: string, field: string): ApiError {
  return new ApiError(403, "forbidden", message, field);
}
