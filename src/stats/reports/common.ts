/**
 * What the reports share: days, weeks and months of a window; hour and weekday
 * labels; adding up hour cells; the figures read from a cell's measures; and
 * the names of libraries and librarians the tables show.
 */
import { inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { librarians, libraries } from "../../db/schema";
import type { StatCell, StatChart, StatColumn, StatTable } from "../../shared/stats-api";
import { DURATION_BINS, DURATION_EDGES_S, meanS, percentileS, WAIT_BINS, WAIT_EDGES_S } from "../definitions";
import { dateOf, monthStartOf, nextMonthStart, weekdayOf, weekStartOf } from "../local-time";
import { addInto, HOUR_MEASURES, series, zeroMeasures, type Measures } from "../measures";
import type { HourCell, Window } from "../cells";

export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
export const monthLabel = (day: number) => dateOf(day).slice(0, 7);

/** The periods of a window: every day, every week (Monday first) and every month it touches. */
export function periods(w: Window, unit: "day" | "week" | "month"): { start: number; label: string }[] {
  const out: { start: number; label: string }[] = [];
  if (unit === "day") for (let d = w.fromDay; d <= w.toDay; d++) out.push({ start: d, label: dateOf(d) });
  if (unit === "week") for (let d = weekStartOf(w.fromDay); d <= w.toDay; d += 7) out.push({ start: d, label: dateOf(d) });
  if (unit === "month") for (let d = monthStartOf(w.fromDay); d <= w.toDay; d = nextMonthStart(d)) out.push({ start: d, label: monthLabel(d) });
  return out;
}

/** The period a day falls in. */
export function periodOf(day: number, unit: "day" | "week" | "month"): number {
  return unit === "day" ? day : unit === "week" ? weekStartOf(day) : monthStartOf(day);
}

/** How many times each weekday (index 0 = Monday) occurs in the window. */
export function weekdayCounts(w: Window): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (let d = w.fromDay; d <= w.toDay; d++) counts[weekdayOf(d) - 1]! += 1;
  return counts;
}

/** Hour cells added up by a key. */
export function sumBy<K>(cells: readonly HourCell[], key: (c: HourCell) => K): Map<K, Measures> {
  const out = new Map<K, Measures>();
  for (const c of cells) {
    const k = key(c);
    out.set(k, addInto(out.get(k) ?? zeroMeasures(HOUR_MEASURES), c.m, HOUR_MEASURES));
  }
  return out;
}

export const total = (cells: readonly HourCell[]) => sumBy(cells, () => 0).get(0) ?? zeroMeasures(HOUR_MEASURES);

/** Wait and length figures of a cell (or of a librarian's chats), as docs/statistics.md defines them. */
export function waitFigures(m: Measures, answered: number) {
  const waitBins = series(m, "w", 0, WAIT_BINS);
  const durationBins = series(m, "d", 0, DURATION_BINS);
  return {
    waitP50: percentileS(waitBins, WAIT_EDGES_S, 50, m.wait_max_ms ?? 0),
    waitP90: percentileS(waitBins, WAIT_EDGES_S, 90, m.wait_max_ms ?? 0),
    waitMax: answered > 0 && m.wait_max_ms !== undefined ? Math.ceil(m.wait_max_ms / 1000) : null,
    waitMean: meanS(m.wait_sum_ms ?? 0, answered),
    durationP50: percentileS(durationBins, DURATION_EDGES_S, 50, m.duration_max_ms ?? 0),
    durationP90: percentileS(durationBins, DURATION_EDGES_S, 90, m.duration_max_ms ?? 0),
    durationMax: answered > 0 && m.duration_max_ms !== undefined ? Math.ceil(m.duration_max_ms / 1000) : null,
    durationMean: meanS(m.duration_sum_ms ?? 0, answered),
    waitBins,
  };
}

/** A column. */
export const col = (key: string, label: string, kind: StatColumn["kind"] = "count"): StatColumn => ({ key, label, kind });

/** A table; rows are given in column order. */
export function table(id: string, title: string, description: string, columns: StatColumn[], rows: StatCell[][], chart: StatChart | null): StatTable {
  return { id, title, description, columns, rows, chart };
}

/** Hours with one decimal from milliseconds. */
export const hoursOf = (ms: number) => Math.round(ms / 360_000) / 10;

/** Names of libraries and librarians, by id (unknown ids keep their id). */
export async function namesOf(d1: D1Database, libraryIds: Iterable<string>, librarianIds: Iterable<string>) {
  const db = database(d1);
  const libs = [...new Set(libraryIds)].filter(Boolean);
  const people = [...new Set(librarianIds)].filter(Boolean);
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 90) }, (_, i) => xs.slice(i * 90, i * 90 + 90));
  const [libRows, peopleRows] = await Promise.all([
    Promise.all(chunks(libs).map((ids) => db.select({ id: libraries.id, name: libraries.name }).from(libraries).where(inArray(libraries.id, ids)).all())),
    Promise.all(chunks(people).map((ids) => db.select({ id: librarians.id, name: librarians.displayName }).from(librarians).where(inArray(librarians.id, ids)).all())),
  ]);
  const library = new Map(libRows.flat().map((r) => [r.id, r.name]));
  const librarian = new Map(peopleRows.flat().map((r) => [r.id, r.name]));
  return { library: (id: string) => library.get(id) ?? id, librarian: (id: string) => librarian.get(id) ?? id };
}
