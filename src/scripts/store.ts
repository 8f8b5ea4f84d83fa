/**
 * Scripts in D1 (canned_messages): who may read and write which, at each of
 * the three levels (src/shared/scripts.ts), lists, changes, CSV import, and
 * the usage count. Every query is scoped to what the librarian may read, so a
 * script of another library, group or person is simply "not found".
 */
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../admin/authorize";
import { can } from "../admin/authorize";
import { database, type Database } from "../db/client";
import { cannedMessages, groups } from "../db/schema";
import { ApiError, forbidden, notFound } from "../http/errors";
import { SCRIPT_LIMITS, type ScriptScope, type ScriptView } from "../shared/scripts";

/** Which list a request is about: one library's, one group's, or the actor's own. */
export type ScriptOwner = { scope: "library"; libraryId: string } | { scope: "group"; groupId: string } | { scope: "personal"; ownerId: string; libraryId: string };

const view = {
  id: cannedMessages.id,
  scope: cannedMessages.scope,
  groupId: cannedMessages.groupId,
  groupName: groups.name,
  category: cannedMessages.category,
  title: cannedMessages.title,
  body: cannedMessages.body,
  position: cannedMessages.position,
  useCount: cannedMessages.useCount,
};

/** The condition for the scripts of one owner. */
function ownedBy(owner: ScriptOwner): SQL {
  if (owner.scope === "library") return and(eq(cannedMessages.scope, "library"), eq(cannedMessages.libraryId, owner.libraryId))!;
  if (owner.scope === "group") return and(eq(cannedMessages.scope, "group"), eq(cannedMessages.groupId, owner.groupId))!;
  return and(eq(cannedMessages.scope, "personal"), eq(cannedMessages.ownerId, owner.ownerId))!;
}

/** Every script the actor may read: their library's, their library's groups', their own. */
function readableBy(actor: Actor): SQL {
  const parts: SQL[] = [ownedBy({ scope: "library", libraryId: actor.libraryId }), ownedBy({ scope: "personal", ownerId: actor.id, libraryId: actor.libraryId })];
  if (actor.groupIds.length > 0) parts.push(and(eq(cannedMessages.scope, "group"), inArray(cannedMessages.groupId, actor.groupIds))!);
  return or(...parts)!;
}

/** Whether the actor may read an owner's list: their own library's, a group of theirs (or one they administer), their own. */
export function mayRead(actor: Actor, owner: ScriptOwner): boolean {
  if (owner.scope === "library") return owner.libraryId === actor.libraryId || can(actor, "library.read", { library: owner.libraryId });
  if (owner.scope === "group") return actor.groupIds.includes(owner.groupId) || can(actor, "group.read", { group: owner.groupId });
  return owner.ownerId === actor.id;
}

/** Whether the actor may change an owner's list: the library's or group's administrators (src/admin/authorize.ts), or the person themselves. */
export function mayWrite(actor: Actor, owner: ScriptOwner): boolean {
  if (owner.scope === "library") return can(actor, "library.settings.write", { library: owner.libraryId });
  // The group's administrators: whoever administers the group's forms administers its scripts.
  if (owner.scope === "group") return can(actor, "group.forms.write", { group: owner.groupId });
  return owner.ownerId === actor.id;
}

/** The owner of a stored row. */
function ownerOfRow(row: { scope: ScriptScope; libraryId: string | null; groupId: string | null; ownerId: string | null }): ScriptOwner {
  if (row.scope === "group") return { scope: "group", groupId: row.groupId ?? "" };
  if (row.scope === "personal") return { scope: "personal", ownerId: row.ownerId ?? "", libraryId: row.libraryId ?? "" };
  return { scope: "library", libraryId: row.libraryId ?? "" };
}

const ordered = [asc(cannedMessages.scope), asc(cannedMessages.category), asc(cannedMessages.position), asc(cannedMessages.id)];

/** Every script the actor may use in a chat (the monitor's list): personal first, then the library's, then the groups'. */
export async function scriptsFor(d1: D1Database, actor: Actor): Promise<ScriptView[]> {
  const rows = await database(d1).select(view).from(cannedMessages).leftJoin(groups, eq(groups.id, cannedMessages.groupId)).where(readableBy(actor)).orderBy(...ordered).all();
  const rank: Record<ScriptScope, number> = { personal: 0, library: 1, group: 2 };
  return rows.sort((a, b) => rank[a.scope] - rank[b.scope]);
}

/** One owner's list, in order (403 when the actor may not read it). */
export async function ownerScripts(d1: D1Database, actor: Actor, owner: ScriptOwner): Promise<ScriptView[]> {
  if (!mayRead(actor, owner)) throw forbidden("These scripts are not yours to read.");
  return database(d1)
    .select(view)
    .from(cannedMessages)
    .leftJoin(groups, eq(groups.id, cannedMessages.groupId))
    .where(ownedBy(owner))
    .orderBy(asc(cannedMessages.position), asc(cannedMessages.id))
    .all();
}

/** A script by id, as long as the actor may read it (otherwise "not found", whoever owns it). */
export async function readableScript(db: Database, actor: Actor, id: number) {
  const row = await db
    .select({ ...view, libraryId: cannedMessages.libraryId, ownerId: cannedMessages.ownerId })
    .from(cannedMessages)
    .leftJoin(groups, eq(groups.id, cannedMessages.groupId))
    .where(eq(cannedMessages.id, id))
    .get();
  if (!row || !mayRead(actor, ownerOfRow(row))) throw notFound("Script");
  return row;
}

/** A script the actor may change: "not found" when they may not even read it, 403 when they may only read it. */
export async function writableScript(db: Database, actor: Actor, id: number) {
  const row = await readableScript(db, actor, id);
  if (!mayWrite(actor, ownerOfRow(row))) throw forbidden(refusalFor(row.scope));
  return row;
}

export function refusalFor(scope: ScriptScope): string {
  if (scope === "group") return "Only the cooperative's administrators can change its scripts.";
  if (scope === "personal") return "Only its owner can change a personal script.";
  return "Only a library administrator can change canned messages.";
}

/** How many scripts the owner keeps, and the last position. */
async function ownerStats(db: Database, owner: ScriptOwner): Promise<{ n: number; maxPosition: number }> {
  const row = await db
    .select({ n: sql<number>`COUNT(*)`, maxPosition: sql<number | null>`MAX(${cannedMessages.position})` })
    .from(cannedMessages)
    .where(ownedBy(owner))
    .get();
  return { n: row?.n ?? 0, maxPosition: row?.maxPosition ?? -1 };
}

function limitError(owner: ScriptOwner): ApiError {
  const whose = owner.scope === "group" ? "A cooperative" : owner.scope === "personal" ? "A librarian" : "A library";
  return new ApiError(409, "validation_failed", `${whose} keeps at most ${SCRIPT_LIMITS.perOwner} canned messages; delete one first.`);
}

export interface NewScript {
  category?: string;
  title: string;
  body: string;
  position?: number;
}

function rowFor(owner: ScriptOwner, s: NewScript, position: number, now: number): typeof cannedMessages.$inferInsert {
  return {
    scope: owner.scope,
    libraryId: owner.scope === "group" ? null : owner.libraryId,
    groupId: owner.scope === "group" ? owner.groupId : null,
    ownerId: owner.scope === "personal" ? owner.ownerId : null,
    category: s.category ?? "",
    title: s.title,
    body: s.body,
    position,
    createdAt: now,
    updatedAt: now,
  };
}

/** Adds a script (last, unless a position is given). */
export async function addScript(d1: D1Database, owner: ScriptOwner, s: NewScript, now = Date.now()): Promise<ScriptView> {
  const db = database(d1);
  const stats = await ownerStats(db, owner);
  if (stats.n >= SCRIPT_LIMITS.perOwner) throw limitError(owner);
  const created = await db.insert(cannedMessages).values(rowFor(owner, s, s.position ?? stats.maxPosition + 1, now)).returning({ id: cannedMessages.id }).get();
  return (await ownerScriptById(db, created.id))!;
}

/** Adds many scripts at once, after the ones there, all or none. */
export async function importScripts(d1: D1Database, owner: ScriptOwner, scripts: NewScript[], now = Date.now()): Promise<number> {
  const db = database(d1);
  const stats = await ownerStats(db, owner);
  if (stats.n + scripts.length > SCRIPT_LIMITS.perOwner) {
    throw new ApiError(409, "validation_failed", `That would make ${stats.n + scripts.length} scripts; at most ${SCRIPT_LIMITS.perOwner} are kept. Nothing was imported.`);
  }
  if (scripts.length === 0) return 0;
  const [first, ...rest] = scripts.map((s, i) => db.insert(cannedMessages).values(rowFor(owner, s, stats.maxPosition + 1 + i, now)));
  await db.batch([first!, ...rest]);
  return scripts.length;
}

export async function ownerScriptById(db: Database, id: number): Promise<ScriptView | undefined> {
  return db.select(view).from(cannedMessages).leftJoin(groups, eq(groups.id, cannedMessages.groupId)).where(eq(cannedMessages.id, id)).get();
}

/** Counts one use of a script in a chat. */
export async function countUse(d1: D1Database, id: number, now = Date.now()): Promise<void> {
  await database(d1)
    .update(cannedMessages)
    .set({ useCount: sql`${cannedMessages.useCount} + 1`, lastUsedAt: now })
    .where(eq(cannedMessages.id, id))
    .run();
}
