/**
 * The audit log: every administrative change, written in the same batch as the
 * change itself so neither exists without the other. Entries carry the library
 * (and group, for group forms) they concern; administrators read their own.
 * Never put secrets (password hashes, tokens) in before/after.
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
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
  "form.created",
  "form.updated",
  "form.logo_set",
  "form.logo_removed",
  "library.settings_updated",
  "library.created",
  "library.archived",
  "library.unarchived",
  "library.exported",
  "library.imported",
  "group.created",
  "group.member_added",
  "group.exported",
  "group.imported",
  "mail.retried",
  "mail.discarded",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  libraryId: string | null;
  groupId?: string | null;
  action: AuditAction;
  targetType: "librarian" | "form" | "library" | "group" | "mail";
  targetId: string;
  before: object | null;
  after: object | null;
}

/** The insert for one audit entry, to run in the same batch as the change. */
export function auditStatement(db: Database, actor: Actor, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values({
    libraryId: entry.libraryId,
    groupId: entry.groupId ?? null,
    actorId: actor.id,
    actorName: actor.displayName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before as Record<string, unknown> | null,
    after: entry.after as Record<string, unknown> | null,
    createdAt: now,
  });
}

/** The audit entry as an insert that happens only if `condition` holds when it runs (e.g. the change just before it in the batch changed a row). */
export function auditIfStatement(db: Database, actor: Actor, entry: AuditEntry, now: number, condition: SQL) {
  return insertIf(
    db,
    auditLog,
    {
      libraryId: entry.libraryId,
      groupId: entry.groupId ?? null,
      actorId: actor.id,
      actorName: actor.displayName,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: entry.before as Record<string, unknown> | null,
      after: entry.after as Record<string, unknown> | null,
      createdAt: now,
    },
    condition,
  );
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

