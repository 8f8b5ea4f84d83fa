/**
 * What is counted in each kind of cell, once for both ways of counting: each
 * measure says what one fact adds (for the rollups, added up when a chat is
 * filed) and the same as SQL over stat_chats (for counting facts directly).
 * A test files a known set and checks both ways give the same numbers.
 */
import { DURATION_BINS, RATING_SCORES, WAIT_BINS } from "./definitions";
import type { StatFact } from "./fact";

export interface Measure {
  /** The rollup's column, and the name the cell carries it under. */
  column: string;
  /** Added up, or the largest or smallest kept. */
  agg: "sum" | "max" | "min";
  /** What one fact adds. */
  of: (f: StatFact) => number;
  /** The same over a row of stat_chats (SQL, always a number, never NULL). */
  sql: string;
}

const count = (column: string, of: (f: StatFact) => boolean, sql: string): Measure => ({ column, agg: "sum", of: (f) => (of(f) ? 1 : 0), sql: `(${sql})` });
const total = (column: string, of: (f: StatFact) => number | null, sql: string): Measure => ({ column, agg: "sum", of: (f) => of(f) ?? 0, sql: `coalesce(${sql}, 0)` });
const largest = (column: string, of: (f: StatFact) => number | null, sql: string): Measure => ({ column, agg: "max", of: (f) => of(f) ?? 0, sql: `coalesce(${sql}, 0)` });
/** Only over cells whose facts all have the value (a librarian's answered chats). */
const smallest = (column: string, of: (f: StatFact) => number | null, sql: string): Measure => ({ column, agg: "min", of: (f) => of(f) ?? 0, sql: `coalesce(${sql}, 0)` });

const answered = (f: StatFact) => f.outcome === "answered";

const ratingCounts: Measure[] = RATING_SCORES.map((score) => count(`r${score}`, (f) => f.rating === score, `rating IS ${score}`));
const waitBins: Measure[] = Array.from({ length: WAIT_BINS }, (_, i) => count(`w${i}`, (f) => f.waitBin === i, `wait_bin IS ${i}`));
const durationBins: Measure[] = Array.from({ length: DURATION_BINS }, (_, i) => count(`d${i}`, (f) => f.durationBin === i, `duration_bin IS ${i}`));

/** Per local hour: how many asked, what became of them, how long they waited and chatted, how they rated. */
export const HOUR_MEASURES: Measure[] = [
  count("requests", () => true, "1"),
  count("answered", answered, "outcome = 'answered'"),
  count("turned_away", (f) => f.outcome === "turned_away", "outcome = 'turned_away'"),
  count("abandoned", (f) => f.outcome === "abandoned", "outcome = 'abandoned'"),
  count("auto_ended", (f) => f.endedAutomatically, "ended_automatically = 1"),
  count("partner_answered", (f) => f.answeringLibraryId !== null && f.answeringLibraryId !== f.libraryId, "answering_library_id IS NOT NULL AND answering_library_id <> library_id"),
  count("rolled_over", (f) => f.queueCount > 1, "queue_count > 1"),
  total("wait_sum_ms", (f) => f.waitMs, "wait_ms"),
  largest("wait_max_ms", (f) => f.waitMs, "wait_ms"),
  total("duration_sum_ms", (f) => f.durationMs, "duration_ms"),
  largest("duration_max_ms", (f) => f.durationMs, "duration_ms"),
  ...ratingCounts,
  ...waitBins,
  ...durationBins,
];

/** Per patron's library × answering library: who answered whose patrons, and what rolled over. */
export const PAIR_MEASURES: Measure[] = [
  count("requests", () => true, "1"),
  count("answered", answered, "outcome = 'answered'"),
  count("turned_away", (f) => f.outcome === "turned_away", "outcome = 'turned_away'"),
  count("abandoned", (f) => f.outcome === "abandoned", "outcome = 'abandoned'"),
  count("rolled_over", (f) => f.queueCount > 1, "queue_count > 1"),
];

/** Per librarian (who ended the chat): answered chats only. */
export const PEOPLE_MEASURES: Measure[] = [
  count("chats", () => true, "1"),
  total("wait_sum_ms", (f) => f.waitMs, "wait_ms"),
  smallest("wait_min_ms", (f) => f.waitMs, "wait_ms"),
  largest("wait_max_ms", (f) => f.waitMs, "wait_ms"),
  total("duration_sum_ms", (f) => f.durationMs, "duration_ms"),
  largest("duration_max_ms", (f) => f.durationMs, "duration_ms"),
  ...ratingCounts,
  ...waitBins,
  ...durationBins,
];

/** Whether a fact counts for a librarian: answered, with a librarian named. */
export const countsForPerson = (f: StatFact) => answered(f) && f.librarianId !== null;
export const PERSON_SQL = "outcome = 'answered' AND librarian_id IS NOT NULL";

/** A cell's measures by column name. */
export type Measures = Record<string, number>;

export const zeroMeasures = (measures: readonly Measure[]): Measures => Object.fromEntries(measures.map((m) => [m.column, m.agg === "min" ? Number.MAX_SAFE_INTEGER : 0]));

/** Adds `b` into `a` (sums added, maxima and minima kept). */
export function addInto(a: Measures, b: Measures, measures: readonly Measure[]): Measures {
  for (const m of measures) {
    const x = a[m.column] ?? 0;
    const y = b[m.column] ?? 0;
    a[m.column] = m.agg === "max" ? Math.max(x, y) : m.agg === "min" ? Math.min(x, y) : x + y;
  }
  return a;
}

/** The numbers of `columns` prefixed `prefix` in order: w0…w10, r1…r5. */
export function series(m: Measures, prefix: string, from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => m[`${prefix}${from + i}`] ?? 0);
}
