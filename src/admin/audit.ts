/**
 * The audit log: every administrative change, written in the same batch as the
 * change itself so neither exists without the other. Entries carry the library
 * (and group, for group forms) they concern; administrators read their own.
 * Never put secrets (password hashes, tokens) in before/after.
 *
 * Sign-ins have a log of their own beside it (sign_in_log): every sign-in and
 * every failed one, far more of them than of changes, kept for
 * SIGN_IN_LOG_KEEP_DAYS. An entry holds the account (none when the address typed
 * has no account — the address itself is never kept, nor any password) and
 * the network the attempt came from only as src/http/client-network.ts
 * networkLabel gives it: an IPv4 /24, an IPv6 /48, the same cut as the patron
 * addresses a library keeps. That tells an administrator their branch's own
 * network from somewhere else, and shows guessing from one place, without the
 * log holding anyone's exact address.
 */
import { and, desc, eq, lt, lte, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { auditLog, librarians, signInLog } from "../db/schema";
import { SIGN_IN_LOG_KEEP_DAYS } from "../shared/admin-limits";
import type { Librarian } from "../auth/librarian";

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
export function auditStatement(db: Database, actor: Pick<Librarian, "id" | "displayName">, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values(auditRow(actor, entry, now));
}

/** The audit_log row for one entry. */
function auditRow(actor: Pick<Librarian, "id" | "displayName">, entry: AuditEntry, now: number) {
  return {
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
  };
}

/** The audit entry as an insert that happens only if `condition` holds when it runs (e.g. the change just before it in the batch changed a row). */
export function auditIfStatement(db: Database, actor: Pick<Librarian, "id" | "displayName">, entry: AuditEntry, now: number, condition: SQL) {
  return insertIf(db, auditLog, auditRow(actor, entry, now), condition);
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

/**
 * The `before` cursor of an audit page, as a client sends it: an entry id (a
 * positive whole number), or nothing — anything else (negative, fractional,
 * Infinity, not a number, past the largest id) reads the first page, as the
 * protocol says, rather than an empty one.
 */
export function auditCursor(text: string | undefined): number | undefined {
  const trimmed = text?.trim() ?? "";
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  return id > 0 ? id : undefined;
}

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


const SIGN_IN_LOG_KEEP_MS = SIGN_IN_LOG_KEEP_DAYS * 24 * 60 * 60_000;

export interface SignInLogEntry {
  /** The account's library and id, null when the address typed has no account. */
  libraryId: string | null;
  librarianId: string | null;
  outcome: "signed_in" | "failed";
  /** src/http/client-network.ts networkLabel: a /24 or /48, null when unknown. */
  network: string | null;
}

/** The insert for one sign-in log entry. */
export function signInLogStatement(db: Database, entry: SignInLogEntry, now: number) {
  return db.insert(signInLog).values({ ...entry, createdAt: now });
}

/** Drops sign-in log entries past SIGN_IN_LOG_KEEP_DAYS (run with each successful sign-in). */
export function pruneSignInLogStatement(db: Database, now: number) {
  return db.delete(signInLog).where(lte(signInLog.createdAt, now - SIGN_IN_LOG_KEEP_MS));
}

/** A library's sign-ins and failed sign-ins, newest first, one page at a time, with each account's name. */
export async function readSignIns(db: Database, libraryId: string, beforeId?: number) {
  const where: SQL[] = [eq(signInLog.libraryId, libraryId)];
  if (beforeId) where.push(lt(signInLog.id, beforeId));
  const rows = await db
    .select({ id: signInLog.id, librarianId: signInLog.librarianId, librarianName: librarians.displayName, outcome: signInLog.outcome, network: signInLog.network, createdAt: signInLog.createdAt })
    .from(signInLog)
    .leftJoin(librarians, eq(librarians.id, signInLog.librarianId))
    .where(and(...where))
    .orderBy(desc(signInLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .all();
  return { entries: rows, nextBefore: rows.length === AUDIT_PAGE_SIZE ? rows[rows.length - 1]!.id : null };
}
