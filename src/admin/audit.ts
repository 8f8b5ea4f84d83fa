/**
 * The audit log: every administrative change, written in the same batch as the
 * change itself so neither exists without the other. Entries carry the library
 * (and group, for group forms) they concern; administrators read their own.
 * Never put secrets (password hashes, tokens, passwords typed) in before/after.
 *
 * Sign-ins and failed sign-ins are recorded too, with the network they came
 * from only as src/http/client-network.ts networkLabel gives it (an IPv4 /24,
 * an IPv6 /48): enough for an administrator to tell a branch's own network
 * from somewhere else, and to see guessing from one place, without the log
 * holding anyone's exact address. A failure for an address with no account
 * belongs to no library (library_id null) and records no address typed.
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";
import type { Actor } from "./authorize";

export const AUDIT_ACTIONS = [
  "librarian.invited",
  "librarian.invitation_resent",
  "librarian.disabled",
  "librarian.enabled",
  "librarian.password_reset_sent",
  "librarian.role_changed",
  "librarian.sessions_revoked",
  "librarian.signed_in",
  "librarian.sign_in_failed",
  "form.created",
  "form.updated",
  "form.logo_set",
  "form.logo_removed",
  "library.settings_updated",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  libraryId: string | null;
  groupId?: string | null;
  action: AuditAction;
  targetType: "librarian" | "form" | "library";
  /** Null only for a failed sign-in to an address with no account. */
  targetId: string | null;
  before: object | null;
  after: object | null;
}

/** Who made a change: an administrator, the librarian signing in, or nobody known (a failed sign-in). */
type AuditActor = Pick<Actor, "id" | "displayName"> | null;

/** The insert for one audit entry, to run in the same batch as the change. */
export function auditStatement(db: Database, actor: AuditActor, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values({
    libraryId: entry.libraryId,
    groupId: entry.groupId ?? null,
    actorId: actor?.id ?? null,
    actorName: actor?.displayName ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before as Record<string, unknown> | null,
    after: entry.after as Record<string, unknown> | null,
    createdAt: now,
  });
}

/** Only the keys whose values differ, before and after: what an audit entry for an edit records. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, one page at a time (`beforeId` continues from the last page). */
export async function readAudit(db: Database, scope: { libraryId: string } | { groupId: string }, beforeId?: number) {
  const where: SQL[] = ["libraryId" in scope ? eq(auditLog.libraryId, scope.libraryId) : eq(auditLog.groupId, scope.groupId)];
  if (beforeId) where.push(lt(auditLog.id, beforeId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .all();
  return { entries: rows, nextBefore: rows.length === AUDIT_PAGE_SIZE ? rows[rows.length - 1]!.id : null };
}

