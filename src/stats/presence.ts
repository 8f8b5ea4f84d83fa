/**
 * Coverage from presence: one monitoring stretch (a monitoring_spans row) as
 * what it adds to the coverage rollups. A stretch adds its whole length to the
 * queue it was on, and to the person only the time none of their earlier
 * stretches already covered — so a librarian monitoring two queues at once is
 * counted once as a person. Times are split at local hour boundaries: in the
 * zone of the librarian's library, and in the zone of each of its groups.
 * Pure, so the catch-up, the demo history and the benchmark agree.
 */
import { offsetAt, type OffsetLookup } from "../coverage/zoned-time";
import { groupQueueId } from "../queues/queue-ids";
import { DAY_MS, HOUR_MS, monthStartOf } from "./local-time";

export interface Span {
  queueId: string;
  librarianId: string;
  libraryId: string;
  startedAt: number;
  endedAt: number;
}

export type Interval = readonly [number, number];

/** `span` minus every interval of `covered` (sorted or not), as sorted disjoint intervals. */
export function uncovered(span: Interval, covered: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let from = span[0];
  for (const [a, b] of [...covered].sort((x, y) => x[0] - y[0])) {
    if (b <= from || a >= span[1]) continue;
    if (a > from) out.push([from, Math.min(a, span[1])]);
    from = Math.max(from, b);
    if (from >= span[1]) break;
  }
  if (from < span[1]) out.push([from, span[1]]);
  return out;
}

/** A piece of an interval inside one local hour. */
export interface HourPiece {
  day: number;
  hour: number;
  /** The instant the piece starts. */
  start: number;
  ms: number;
}

/** The first instant in (from, to] at which the zone's offset is no longer `offset` (to the minute). */
function offsetChange(offsetOf: OffsetLookup, from: number, to: number, offset: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 60_000) {
    const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
    if (mid <= lo) break;
    if (offsetOf(mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** [a, b) cut at the local hour boundaries of `zone` (`offsetOf`: a precomputed lookup of its offsets, for many stretches). */
export function localHourPieces(zone: string, a: number, b: number, offsetOf: OffsetLookup = (t) => offsetAt(zone, t)): HourPiece[] {
  const pieces: HourPiece[] = [];
  for (let t = a; t < b; ) {
    const offset = offsetOf(t);
    const local = t + offset;
    const day = Math.floor(local / DAY_MS);
    const hourStart = Math.floor(local / HOUR_MS) * HOUR_MS;
    let end = Math.min(b, hourStart + HOUR_MS - offset);
    // Clocks changed inside this hour: the piece ends where they did.
    if (end - 1 > t && offsetOf(end - 1) !== offset) end = offsetChange(offsetOf, t, end - 1, offset);
    if (end <= t) end = Math.min(b, t + 60_000);
    pieces.push({ day, hour: Math.floor((local - day * DAY_MS) / HOUR_MS), start: t, ms: end - t });
    t = end;
  }
  return pieces;
}

export type PresenceTable = "stat_presence_hours" | "stat_group_presence_hours" | "stat_group_presence_people" | "stat_group_presence_months";

export interface PresenceRow {
  table: PresenceTable;
  key: Record<string, string | number>;
  values: Record<string, number>;
}

export const PRESENCE_KEYS: Record<PresenceTable, readonly string[]> = {
  stat_presence_hours: ["library_id", "local_day", "local_hour", "librarian_id", "queue_id"],
  stat_group_presence_hours: ["group_id", "local_day", "local_hour"],
  stat_group_presence_people: ["group_id", "local_day", "librarian_id", "library_id", "queue_id"],
  stat_group_presence_months: ["group_id", "local_month", "librarian_id", "library_id", "queue_id"],
};

export const PRESENCE_COLUMNS: Record<PresenceTable, readonly string[]> = {
  stat_presence_hours: ["queue_ms", "person_ms"],
  stat_group_presence_hours: ["person_ms", "group_queue_ms"],
  stat_group_presence_people: ["queue_ms", "person_ms"],
  stat_group_presence_months: ["queue_ms", "person_ms"],
};

/** Where a stretch is counted: its library's zone, and each group of its library with the group's zone. */
export interface PresencePlaces {
  libraryZone: string;
  groups: { groupId: string; zone: string }[];
}

const pieces = (zone: string, intervals: readonly Interval[]) => intervals.flatMap(([a, b]) => localHourPieces(zone, a, b));

/**
 * The rows one stretch adds: `earlier` are the same librarian's stretches
 * counted before it (any queue), whose time it does not add to the person again.
 */
export function presenceRows(span: Span, earlier: readonly Interval[], places: PresencePlaces): PresenceRow[] {
  const whole: Interval[] = span.endedAt > span.startedAt ? [[span.startedAt, span.endedAt]] : [];
  const fresh = whole.length ? uncovered(whole[0]!, earlier) : [];
  const rows: PresenceRow[] = [];
  const add = (table: PresenceTable, key: Record<string, string | number>, column: string, ms: number) => {
    if (ms > 0) rows.push({ table, key, values: { [column]: ms } });
  };
  for (const p of pieces(places.libraryZone, whole)) {
    add("stat_presence_hours", { library_id: span.libraryId, local_day: p.day, local_hour: p.hour, librarian_id: span.librarianId, queue_id: span.queueId }, "queue_ms", p.ms);
  }
  for (const p of pieces(places.libraryZone, fresh)) {
    add("stat_presence_hours", { library_id: span.libraryId, local_day: p.day, local_hour: p.hour, librarian_id: span.librarianId, queue_id: span.queueId }, "person_ms", p.ms);
  }
  for (const g of places.groups) {
    const ownQueue = span.queueId === groupQueueId(g.groupId);
    // Each librarian's time per day, and the same per month (a long range reads whole months from few rows).
    const person = (p: HourPiece, column: string) => {
      const who = { group_id: g.groupId, librarian_id: span.librarianId, library_id: span.libraryId, queue_id: span.queueId };
      add("stat_group_presence_people", { ...who, local_day: p.day }, column, p.ms);
      add("stat_group_presence_months", { ...who, local_month: monthStartOf(p.day) }, column, p.ms);
    };
    for (const p of pieces(g.zone, fresh)) {
      add("stat_group_presence_hours", { group_id: g.groupId, local_day: p.day, local_hour: p.hour }, "person_ms", p.ms);
      person(p, "person_ms");
    }
    for (const p of pieces(g.zone, whole)) {
      if (ownQueue) add("stat_group_presence_hours", { group_id: g.groupId, local_day: p.day, local_hour: p.hour }, "group_queue_ms", p.ms);
      person(p, "queue_ms");
    }
  }
  return mergePresence(rows);
}

/** Rows with the same key added together. */
export function mergePresence(rows: readonly PresenceRow[]): PresenceRow[] {
  const merged = new Map<string, PresenceRow>();
  for (const r of rows) {
    const id = `${r.table}\u0000${PRESENCE_KEYS[r.table].map((k) => r.key[k]).join("\u0000")}`;
    const known = merged.get(id);
    if (!known) merged.set(id, { table: r.table, key: r.key, values: { ...r.values } });
    else for (const [column, ms] of Object.entries(r.values)) known.values[column] = (known.values[column] ?? 0) + ms;
  }
  return [...merged.values()];
}
