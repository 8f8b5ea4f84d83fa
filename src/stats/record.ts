/**
 * Keeping statistics as chats happen. Filing writes the chat's fact and adds
 * its part to its cooperatives' rollups in the filing batch (idempotent: a
 * second filing finds the fact counted and adds nothing). A later change — the
 * patron's rating, a librarian recoding the question — restates the fact:
 * its old part taken away, the new one added, the fact updated, all in one
 * compare-and-set batch on the fact's version.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { database, type Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { chatSessions, groupMembers, statChatCodes, statChats } from "../db/schema";
import type { EndedSession } from "../questions/ended-session";
import type { FiledResolution } from "../shared/codes";
import { contributions } from "./contributions";
import { factOf, parseIds, restated, storedIds, type StatFact } from "./fact";
import { groupZones } from "./group-zones";
import { upsertRow } from "./rollup-writes";

/** The fact as a stat_chats row. */
function rowOf(f: StatFact): typeof statChats.$inferInsert {
  const { groupIds, queueIds, ...rest } = f;
  return { ...rest, groupIds: storedIds(groupIds), queueIds: storedIds(queueIds) };
}

/** A stat_chats row as the fact. */
function factFromRow(r: typeof statChats.$inferSelect): StatFact {
  const { groupIds, queueIds, counted: _counted, version: _version, ...rest } = r;
  return { ...rest, codes: Array.isArray(r.codes) ? r.codes : [], groupIds: parseIds(groupIds), queueIds: parseIds(queueIds) };
}

/** The groups whose figures count a chat: its patron's library's and its answering library's. */
async function groupsOf(db: Database, libraryIds: string[]): Promise<string[]> {
  const rows = await db.select({ groupId: groupMembers.groupId }).from(groupMembers).where(inArray(groupMembers.libraryId, libraryIds)).all();
  return [...new Set(rows.map((r) => r.groupId))];
}

/** What filing adds to its batch for statistics, and what to check once the batch is in. */
export interface FilingStatistics {
  statements: BatchItem<"sqlite">[];
  /** After the batch: a rating given while the chat was being filed is counted now. */
  settle: () => Promise<void>;
}

/** The statements that record an ended session's statistics (run them in the filing batch). */
export async function statisticsForFiling(d1: D1Database, s: EndedSession): Promise<FilingStatistics> {
  const db = database(d1);
  const libraryIds = [s.libraryId, ...(s.acceptedAt !== null && s.librarian ? [s.librarian.libraryId] : [])];
  const [groupIds, session] = await Promise.all([groupsOf(db, libraryIds), db.select({ rating: chatSessions.rating }).from(chatSessions).where(eq(chatSessions.id, s.sessionId)).get()]);
  const fact = factOf(s, session?.rating ?? null, groupIds);
  const zones = await groupZones(db, fact.groupIds);
  const notYetCounted = sql`(select counted from stat_chats where session_id = ${fact.sessionId}) = 0`;
  const statements: BatchItem<"sqlite">[] = [
    db.insert(statChats).values(rowOf(fact)).onConflictDoNothing(),
    ...codeStatements(db, fact, notYetCounted, false),
    ...contributions(fact, zones).map((row) => upsertRow(db, row, 1, notYetCounted)),
    db.update(statChats).set({ counted: true }).where(and(eq(statChats.sessionId, fact.sessionId), eq(statChats.counted, false))),
  ];
  return { statements, settle: () => syncStatFact(d1, s.sessionId) };
}

/** The fact's descriptive code rows (replacing what was there when `replace`), under `guard`. */
function codeStatements(db: Database, f: StatFact, guard: SQL, replace: boolean): BatchItem<"sqlite">[] {
  const out: BatchItem<"sqlite">[] = [];
  if (replace) out.push(db.delete(statChatCodes).where(and(eq(statChatCodes.sessionId, f.sessionId), guard)));
  for (const code of f.codes) {
    out.push(insertIf(db, statChatCodes, { sessionId: f.sessionId, code }, guard).onConflictDoNothing());
  }
  return out;
}

/** How many times a restatement is tried when other changes keep winning the race. */
const RESTATE_TRIES = 4;

/**
 * Brings the chat's fact in line with its session row (resolution, codes,
 * rating) — after a rating, after recoding, or to repair. Nothing happens for
 * a chat not filed yet (filing reads the session row itself).
 */
export async function syncStatFact(d1: D1Database, sessionId: string): Promise<void> {
  const db = database(d1);
  for (let attempt = 0; attempt < RESTATE_TRIES; attempt++) {
    const [row, session] = await Promise.all([
      db.select().from(statChats).where(eq(statChats.sessionId, sessionId)).get(),
      db.select({ resolution: chatSessions.resolutionCode, codes: chatSessions.descriptiveCodes, rating: chatSessions.rating }).from(chatSessions).where(eq(chatSessions.id, sessionId)).get(),
    ]);
    if (!row || !session?.resolution) return;
    const old = factFromRow(row);
    const next = restated(old, { resolution: session.resolution as FiledResolution, codes: Array.isArray(session.codes) ? session.codes : [], rating: session.rating ?? null });
    const same = old.resolution === next.resolution && old.rating === next.rating && JSON.stringify(old.codes) === JSON.stringify(next.codes);
    if (same) return;
    if (await restate(db, old, next, row.version, row.counted)) return;
  }
  console.warn(JSON.stringify({ event: "stat_fact_restate_gave_up", sessionId }));
}

/** One compare-and-set restatement; false when the fact changed meanwhile. */
async function restate(db: Database, old: StatFact, next: StatFact, version: number, counted: boolean): Promise<boolean> {
  const unchanged = sql`(select version from stat_chats where session_id = ${old.sessionId}) = ${version}`;
  const zones = counted ? await groupZones(db, old.groupIds) : new Map<string, string>();
  const statements: BatchItem<"sqlite">[] = [
    ...(counted ? contributions(old, zones).map((row) => upsertRow(db, row, -1, unchanged)) : []),
    ...(counted ? contributions(next, zones).map((row) => upsertRow(db, row, 1, unchanged)) : []),
    ...codeStatements(db, next, unchanged, true),
    db
      .update(statChats)
      .set({ resolution: next.resolution, codes: next.codes, leftOut: next.leftOut, rating: next.rating, version: version + 1 })
      .where(and(eq(statChats.sessionId, old.sessionId), eq(statChats.version, version))),
  ];
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as { meta?: { changes?: number } }[];
  return (results[results.length - 1]?.meta?.changes ?? 0) === 1;
}
