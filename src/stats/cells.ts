/**
 * Reading the figures: every report is built from a few kinds of cells —
 * per local day and hour (grouped as the report needs), per code and period,
 * per pair of libraries, per librarian (presence: src/stats/presence-cells.ts). Each
 * is read either from a slice of the cooperative rollups (a whole cooperative,
 * with at most one filter that cuts across it: src/stats/slices.ts) or by
 * counting stat_chats directly with the same measures (src/stats/measures.ts),
 * turning instants into the report zone's local time with the zone's offsets
 * over the range — exact across changes of clocks.
 */
import { sql, type SQL } from "drizzle-orm";
import { database } from "../db/client";
import type { StatsQuery } from "../shared/stats-api";
import { DAY_MS, HOUR_MS, monthStartOf, nextMonthStart, offsetSegments, utcRange, type OffsetSegment } from "./local-time";
import { HOUR_MEASURES, PAIR_MEASURES, PEOPLE_MEASURES, PERSON_SQL, type Measure, type Measures } from "./measures";
import type { ResolvedScope } from "./scope";

/** The days a report covers, in its zone, and the instants they span. */
export interface Window {
  zone: string;
  fromDay: number;
  toDay: number;
  fromMs: number;
  toMs: number;
}

export function windowOf(zone: string, fromDay: number, toDay: number): Window {
  return { zone, fromDay, toDay, ...utcRange(zone, fromDay, toDay) };
}

export interface CellQuery {
  d1: D1Database;
  scope: ResolvedScope;
  q: StatsQuery;
  window: Window;
}

/** How hour cells are grouped: each report reads only the grouping and measures it shows (what D1 sends back is most of the cost). */
export type Grouping = "total" | "day" | "hour" | "weekday-hour" | "day-hour";

/** Measures of a grouping's cell; `day`, `hour` and `weekday` are −1 where not grouped by. */
export interface HourCell {
  day: number;
  hour: number;
  weekday: number;
  m: Measures;
}
export interface CodeCell {
  /** The first day of the week or month. */
  period: number;
  kind: "resolution" | "descriptive";
  code: string;
  n: number;
}
export interface PairCell {
  libraryId: string;
  /** '' when nobody answered. */
  answeringLibraryId: string;
  m: Measures;
}
export interface PersonCell {
  librarianId: string;
  libraryId: string;
  m: Measures;
}

export type Row = Record<string, unknown>;

const aggregates = (measures: readonly Measure[]) => sql.raw(measures.map((m) => `${m.agg}(${m.sql}) as ${m.column}`).join(", "));
const rollupAggregates = (measures: readonly Measure[]) => sql.raw(measures.map((m) => `${m.agg}(${m.column}) as ${m.column}`).join(", "));
/** The measures named (all when none are). */
const only = (measures: readonly Measure[], columns?: readonly string[]) => (columns ? measures.filter((m) => columns.includes(m.column)) : measures);
const measuresOf = (row: Row, measures: readonly Measure[]): Measures => Object.fromEntries(measures.map((m) => [m.column, Number(row[m.column] ?? 0)]));

/** Runs a query of cells. */
export async function all(cq: CellQuery, query: SQL): Promise<Row[]> {
  return (await database(cq.d1).all(query)) as Row[];
}

/** The zone's offsets over each window, found once per report (a year is hundreds of Intl calls) however many queries it makes. */
const windowSegments = new WeakMap<Window, OffsetSegment[]>();

/** The instant as local milliseconds of the report zone: created_at plus the offset in force (numbers we computed, inlined). */
function localMs(w: Window): SQL {
  let segments = windowSegments.get(w);
  if (!segments) windowSegments.set(w, (segments = offsetSegments(w.zone, w.fromMs, w.toMs)));
  if (segments.length === 1) return sql.raw(`(created_at + ${segments[0]!.offsetMs})`);
  const cases = segments.slice(1).map((s, i) => `when created_at < ${s.fromMs} then ${segments[i]!.offsetMs}`);
  return sql.raw(`(created_at + case ${cases.join(" ")} else ${segments[segments.length - 1]!.offsetMs} end)`);
}

// Integer arithmetic: the constants are inlined (a bound JavaScript number is a REAL to D1, which would make the division exact).
export const localDay = (w: Window) => sql`(${localMs(w)} / ${sql.raw(String(DAY_MS))})`;
export const localHour = (w: Window) => sql`((${localMs(w)} % ${sql.raw(String(DAY_MS))}) / ${sql.raw(String(HOUR_MS))})`;

/** Which facts a query counts: the scope, the window and every filter. */
export function factConditions(cq: CellQuery): SQL {
  const { scope, q, window: w } = cq;
  const parts: SQL[] = [sql`created_at >= ${w.fromMs}`, sql`created_at < ${w.toMs}`];
  if (scope.kind === "me") parts.push(sql`librarian_id = ${scope.viewer.id}`);
  if (scope.kind === "library") parts.push(sql`(library_id = ${scope.id} or answering_library_id = ${scope.id})`);
  if (scope.kind === "group") {
    parts.push(sql`instr(group_ids, ${`,${scope.id},`}) > 0`);
    if (scope.library) parts.push(sql`(library_id = ${scope.library.id} or answering_library_id = ${scope.library.id})`);
  }
  if (q.leftOut !== "include") parts.push(sql`left_out = 0`);
  if (q.queue) parts.push(sql`instr(queue_ids, ${`,${q.queue},`}) > 0`);
  // Only a library's own patrons' requests are offered in its queue: say so, so the library's index is used.
  if (q.queue?.startsWith("lib:")) parts.push(sql`library_id = ${q.queue.slice(4)}`);
  if (q.source === "hosted") parts.push(sql`patron_origin is null`);
  if (q.source === "qwidget") parts.push(sql`patron_origin is not null`);
  if (q.site) parts.push(sql`patron_origin = ${q.site}`);
  if (q.librarian && scope.kind !== "me") parts.push(sql`librarian_id = ${q.librarian}`);
  if (q.resolution) parts.push(sql`resolution = ${q.resolution}`);
  if (q.code) parts.push(sql`session_id in (select session_id from stat_chat_codes where code = ${q.code})`);
  if (q.answered === "home") parts.push(sql`answering_library_id = library_id`);
  if (q.answered === "partner") parts.push(sql`answering_library_id <> library_id`);
  if (q.rating === "rated") parts.push(sql`rating is not null`);
  else if (q.rating === "unrated") parts.push(sql`rating is null and outcome = 'answered'`);
  else if (q.rating) parts.push(sql`rating = ${Number(q.rating)}`);
  return sql.join(parts, sql` and `);
}

/**
 * The rollups' rows of the cooperative and window (left-out chats only when
 * asked for). A row a recoded chat left at zero is skipped, as counting facts
 * would never produce it.
 */
export function rollupConditions(cq: CellQuery, days: SQL = sql`local_day between ${cq.window.fromDay} and ${cq.window.toDay}`): SQL {
  const { scope, q } = cq;
  const leftOut = q.leftOut === "include" ? sql`` : sql` and left_out = 0`;
  return sql`group_id = ${scope.id} and slice = ${scope.slice ?? ""} and ${days}${leftOut}`;
}

/**
 * The rows of a rollup kept per day and per month that cover the window: the
 * whole months inside it from month rows, the days at its ends from day rows.
 * Each range carries the cooperative, slice and span whole, so SQLite reads
 * each through the key instead of every day row of the slice.
 */
function dayAndMonthRows(cq: CellQuery): SQL {
  const w = cq.window;
  const months = wholeMonths(w);
  if (!months) return rollupConditions(cq, sql`span = 'day' and local_day between ${w.fromDay} and ${w.toDay}`);
  const ranges = [sql`span = 'month' and local_day between ${months.first} and ${months.last}`, ...edgeDays(w, months).map(([from, to]) => sql`span = 'day' and local_day between ${from} and ${to}`)];
  return sql`(${sql.join(ranges.map((days) => sql`(${rollupConditions(cq, days)})`), sql` or `)})`;
}

/** The first days of the first and last months wholly inside the window, or null when no month is. */
export function wholeMonths(w: Window): { first: number; last: number } | null {
  const first = w.fromDay === monthStartOf(w.fromDay) ? w.fromDay : nextMonthStart(w.fromDay);
  const lastMonth = monthStartOf(w.toDay);
  const last = nextMonthStart(lastMonth) - 1 === w.toDay ? lastMonth : monthStartOf(lastMonth - 1);
  return first > last ? null : { first, last };
}

/** The window's days outside its whole months (the partial months at its ends), as ranges of days, none empty. */
export function edgeDays(w: Window, months: { first: number; last: number }): [number, number][] {
  const ranges: [number, number][] = [
    [w.fromDay, months.first - 1],
    [nextMonthStart(months.last), w.toDay],
  ];
  return ranges.filter(([a, b]) => a <= b);
}

/** The first day of the week (Monday) or month of a day number, in SQL. */
function periodStart(day: SQL, unit: "week" | "month"): SQL {
  if (unit === "week") return sql`(${day} - ((${day} + 3) % 7))`;
  return sql`cast(julianday(date(${day} * 86400, 'unixepoch', 'start of month')) - 2440587.5 as integer)`;
}

export const fromRollups = (cq: CellQuery) => cq.scope.slice !== null;

/** The day, hour and weekday columns of a grouping, over the rollups or over the facts. */
function groupingColumns(grouping: Grouping, rollups: boolean, w: Window): { select: SQL; groupBy: SQL | null } {
  const day = rollups ? sql.raw("local_day") : localDay(w);
  const hour = rollups ? sql.raw("local_hour") : localHour(w);
  const weekday = sql`((${day} + 3) % 7 + 1)`;
  const none = sql.raw("-1");
  const pick = { total: [none, none, none], day: [day, none, none], hour: [none, hour, none], "weekday-hour": [none, hour, weekday], "day-hour": [day, hour, none] }[grouping];
  const select = sql`${pick[0]!} as day, ${pick[1]!} as hour, ${pick[2]!} as weekday`;
  const groupBy = { total: null, day: sql`1`, hour: sql`2`, "weekday-hour": sql`3, 2`, "day-hour": sql`1, 2` }[grouping];
  return { select, groupBy };
}

export const num = (v: unknown) => Number(v ?? 0);

/** Hour cells in `grouping`, with the measures `columns` (all when not given). */
export async function hourCells(cq: CellQuery, grouping: Grouping, columns?: readonly string[]): Promise<HourCell[]> {
  const measures = only(HOUR_MEASURES, columns);
  const rollups = fromRollups(cq);
  const g = groupingColumns(grouping, rollups, cq.window);
  const groupBy = g.groupBy ? sql` group by ${g.groupBy}` : sql``;
  const rows = rollups
    ? await all(cq, sql`select ${g.select}, ${rollupAggregates(measures)} from stat_group_hours where ${rollupConditions(cq)}${groupBy} having sum(requests) <> 0`)
    : await all(cq, sql`select ${g.select}, ${aggregates(measures)} from stat_chats where ${factConditions(cq)}${groupBy} having count(*) > 0`);
  return rows.map((r) => ({ day: num(r.day), hour: num(r.hour), weekday: num(r.weekday), m: measuresOf(r, measures) }));
}

/**
 * Chats per code, per week or month. Counting the facts, a chat's descriptive
 * codes are read from its own row (its codes as a JSON list, kept with the
 * row) rather than joined from stat_chat_codes: a library's year is tens of
 * thousands of chats, and a lookup by each chat's key costs three times as much.
 */
export async function codeCells(cq: CellQuery, unit: "week" | "month"): Promise<CodeCell[]> {
  const w = cq.window;
  const rowsOfRange = unit === "month" ? dayAndMonthRows(cq) : rollupConditions(cq, sql`span = 'day' and local_day between ${w.fromDay} and ${w.toDay}`);
  const rows = fromRollups(cq)
    ? await all(cq, sql`select ${periodStart(sql.raw("local_day"), unit)} as period, kind, code, sum(n) as n from stat_group_codes where ${rowsOfRange} group by 1, 2, 3 having sum(n) <> 0`)
    : await all(
        cq,
        sql`select ${periodStart(localDay(w), unit)} as period, 'resolution' as kind, resolution as code, count(*) as n from stat_chats where ${factConditions(cq)} group by 1, 3
            union all
            select ${periodStart(localDay(w), unit)} as period, 'descriptive' as kind, k.value as code, count(*) as n from stat_chats, json_each(stat_chats.codes) k where ${factConditions(cq)} group by 1, 3`,
      );
  return rows.map((r) => ({ period: num(r.period), kind: r.kind as CodeCell["kind"], code: String(r.code), n: num(r.n) }));
}

export async function pairCells(cq: CellQuery): Promise<PairCell[]> {
  const rows = fromRollups(cq)
    ? await all(cq, sql`select library_id, answering_library_id, ${rollupAggregates(PAIR_MEASURES)} from stat_group_pairs where ${dayAndMonthRows(cq)} group by library_id, answering_library_id having sum(requests) <> 0`)
    : await all(cq, sql`select library_id, coalesce(answering_library_id, '') as answering_library_id, ${aggregates(PAIR_MEASURES)} from stat_chats where ${factConditions(cq)} group by library_id, answering_library_id`);
  return rows.map((r) => ({ libraryId: String(r.library_id), answeringLibraryId: String(r.answering_library_id ?? ""), m: measuresOf(r, PAIR_MEASURES) }));
}

export async function peopleCells(cq: CellQuery): Promise<PersonCell[]> {
  const rows = fromRollups(cq)
    ? await all(cq, sql`select librarian_id, library_id, ${rollupAggregates(PEOPLE_MEASURES)} from stat_group_people where ${dayAndMonthRows(cq)} group by librarian_id, library_id having sum(chats) <> 0`)
    : await all(
        cq,
        sql`select librarian_id, coalesce(answering_library_id, library_id) as library_id, ${aggregates(PEOPLE_MEASURES)} from stat_chats where ${factConditions(cq)} and ${sql.raw(PERSON_SQL)} group by librarian_id, answering_library_id`,
      );
  return rows.map((r) => ({ librarianId: String(r.librarian_id), libraryId: String(r.library_id), m: measuresOf(r, PEOPLE_MEASURES) }));
}
