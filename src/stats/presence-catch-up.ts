/**
 * Brings the coverage rollups up to date with monitoring_spans, which the
 * queue objects write as stretches end. Read in rowid order from a cursor; one
 * reader at a time holds a lease, and each chunk's rows and the cursor's move
 * are one batch that applies only while that reader's lease and position
 * stand — so every stretch is counted exactly once, even when two readers race
 * or a lease runs out mid-chunk. Called before coverage is shown (and by the
 * daily cron), so a stretch that ended a minute ago is counted.
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { database, type Database } from "../db/client";
import { groupMembers, libraries, monitoringSpans, statCursors } from "../db/schema";
import { groupZones } from "./group-zones";
import { mergePresence, presenceRows, type Interval, type PresenceRow, type Span } from "./presence";
import { upsertRow } from "./rollup-writes";

const CURSOR = "presence";
/** Stretches per batch. */
const CHUNK = 50;
/** How long a reader may hold the lease. */
const LEASE_MS = 60_000;

interface StoredSpan extends Span {
  rowid: number;
}

/** Reads and counts new stretches, at most `maxChunks` batches of them; returns how many were counted. */
export async function catchUpPresence(d1: D1Database, now = Date.now(), maxChunks = 5): Promise<number> {
  const db = database(d1);
  // Most looks find nothing new: a read, and no write.
  const behind = await db.get<{ behind: number }>(sql`select coalesce((select max(rowid) from monitoring_spans), 0) > position as behind from stat_cursors where name = ${CURSOR}`);
  if (!behind?.behind) return 0;
  const lease = crypto.randomUUID();
  const claimed = await db
    .update(statCursors)
    .set({ lease, leaseUntil: now + LEASE_MS })
    .where(and(eq(statCursors.name, CURSOR), lt(statCursors.leaseUntil, now)))
    .returning({ position: statCursors.position })
    .get();
  // Another reader is at it: what it counts shows up on the next look.
  if (!claimed) return 0;
  let position = claimed.position;
  let counted = 0;
  try {
    for (let chunk = 0; chunk < maxChunks; chunk++) {
      const spans = (await db
        .select({ rowid: sql<number>`rowid`, queueId: monitoringSpans.queueId, librarianId: monitoringSpans.librarianId, libraryId: monitoringSpans.libraryId, startedAt: monitoringSpans.startedAt, endedAt: monitoringSpans.endedAt })
        .from(monitoringSpans)
        .where(sql`rowid > ${position}`)
        .orderBy(sql`rowid`)
        .limit(CHUNK)
        .all()) as StoredSpan[];
      if (spans.length === 0) break;
      const next = spans[spans.length - 1]!.rowid;
      const rows = await rowsFor(db, spans, now);
      const ours = sql`exists (select 1 from stat_cursors where name = ${CURSOR} and position = ${next} and lease = ${lease})`;
      const statements: BatchItem<"sqlite">[] = [
        db.update(statCursors).set({ position: next }).where(and(eq(statCursors.name, CURSOR), eq(statCursors.position, position), eq(statCursors.lease, lease))),
        ...rows.map((r) => upsertRow(db, r, 1, ours)),
      ];
      const [moved] = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as { meta?: { changes?: number } }[];
      if ((moved?.meta?.changes ?? 0) !== 1) return counted;
      position = next;
      counted += spans.length;
      if (spans.length < CHUNK) break;
    }
  } finally {
    await db.update(statCursors).set({ lease: "", leaseUntil: 0 }).where(and(eq(statCursors.name, CURSOR), eq(statCursors.lease, lease)));
  }
  return counted;
}

/** The rollup rows for a chunk of stretches, each librarian's earlier stretches taken into account. */
async function rowsFor(db: Database, spans: StoredSpan[], now: number): Promise<PresenceRow[]> {
  const librarianIds = [...new Set(spans.map((s) => s.librarianId))];
  const libraryIds = [...new Set(spans.map((s) => s.libraryId))];
  const from = Math.min(...spans.map((s) => s.startedAt));
  const to = Math.max(...spans.map((s) => s.endedAt));
  const [others, zones, memberships] = await Promise.all([
    db
      .select({ rowid: sql<number>`rowid`, librarianId: monitoringSpans.librarianId, startedAt: monitoringSpans.startedAt, endedAt: monitoringSpans.endedAt })
      .from(monitoringSpans)
      .where(and(inArray(monitoringSpans.librarianId, librarianIds), lt(monitoringSpans.startedAt, to), sql`${monitoringSpans.endedAt} > ${from}`))
      .all(),
    db.select({ id: libraries.id, timeZone: libraries.timeZone }).from(libraries).where(inArray(libraries.id, libraryIds)).all(),
    db.select({ groupId: groupMembers.groupId, libraryId: groupMembers.libraryId }).from(groupMembers).where(inArray(groupMembers.libraryId, libraryIds)).all(),
  ]);
  const groupZone = await groupZones(db, [...new Set(memberships.map((m) => m.groupId))], now);
  const zoneOf = new Map(zones.map((z) => [z.id, z.timeZone]));
  const rows: PresenceRow[] = [];
  for (const span of spans) {
    const earlier: Interval[] = others.filter((o) => o.librarianId === span.librarianId && o.rowid < span.rowid).map((o) => [o.startedAt, o.endedAt]);
    const groups = memberships.filter((m) => m.libraryId === span.libraryId).map((m) => ({ groupId: m.groupId, zone: groupZone.get(m.groupId) ?? "UTC" }));
    rows.push(...presenceRows(span, earlier, { libraryZone: zoneOf.get(span.libraryId) ?? "UTC", groups }));
  }
  return mergePresence(rows);
}
