/**
 * What one chat adds to its cooperatives' rollups: a row of measures per table,
 * keyed by the local day (and hour) in each group's zone. Pure, so the filing
 * code, the demo history and the benchmark all add up the same way.
 */
import type { StatFact } from "./fact";
import { localCell, monthStartOf, nextMonthStart } from "./local-time";
import { countsForPerson, HOUR_MEASURES, PAIR_MEASURES, PEOPLE_MEASURES, type Measure } from "./measures";
import { slicesOf } from "./slices";

export type RollupTable = "stat_group_hours" | "stat_group_codes" | "stat_group_pairs" | "stat_group_people";

/** One row a chat adds to (or takes from) a rollup. */
export interface RollupRow {
  table: RollupTable;
  key: Record<string, string | number>;
  values: Record<string, number>;
}

/** Each rollup's key columns, in the primary key's order. */
export const ROLLUP_KEYS: Record<RollupTable, readonly string[]> = {
  stat_group_hours: ["group_id", "slice", "local_day", "local_hour", "left_out"],
  stat_group_codes: ["group_id", "slice", "span", "local_day", "left_out", "kind", "code"],
  stat_group_pairs: ["group_id", "slice", "span", "local_day", "left_out", "library_id", "answering_library_id"],
  stat_group_people: ["group_id", "slice", "span", "local_day", "left_out", "librarian_id", "library_id"],
};

/** Each rollup's measures. */
export const ROLLUP_MEASURES: Record<RollupTable, readonly Measure[]> = {
  stat_group_hours: HOUR_MEASURES,
  stat_group_codes: [{ column: "n", agg: "sum", of: () => 1, sql: "1" }],
  stat_group_pairs: PAIR_MEASURES,
  stat_group_people: PEOPLE_MEASURES,
};

const valuesOf = (f: StatFact, measures: readonly Measure[]) => Object.fromEntries(measures.map((m) => [m.column, m.of(f)]));

/** The rows `f` adds to the rollups of each of its groups (whole, and in each of its slices); `zones` gives each group's zone. */
export function contributions(f: StatFact, zones: ReadonlyMap<string, string>): RollupRow[] {
  const rows: RollupRow[] = [];
  const leftOut = f.leftOut ? 1 : 0;
  const hours = valuesOf(f, HOUR_MEASURES);
  const pairs = valuesOf(f, PAIR_MEASURES);
  const people = countsForPerson(f) ? valuesOf(f, PEOPLE_MEASURES) : null;
  for (const groupId of f.groupIds) {
    const zone = zones.get(groupId);
    if (!zone) throw new Error(`no statistics zone for group ${groupId}`);
    const { day, hour } = localCell(zone, f.createdAt);
    const month = monthStartOf(day);
    for (const slice of slicesOf(f, groupId)) rows.push(...sliceRows(f, { group_id: groupId, slice, local_day: day }, month, hour, leftOut, hours, pairs, people));
  }
  return rows;
}

/** One slice's rows: the hour; the codes, the pair of libraries and the librarian, for the day and for the month. */
function sliceRows(
  f: StatFact,
  at: { group_id: string; slice: string; local_day: number },
  month: number,
  hour: number,
  leftOut: number,
  hours: Record<string, number>,
  pairs: Record<string, number>,
  people: Record<string, number> | null,
): RollupRow[] {
  const rows: RollupRow[] = [{ table: "stat_group_hours", key: { ...at, local_hour: hour, left_out: leftOut }, values: hours }];
  for (const span of [{ ...at, span: "day" }, { ...at, span: "month", local_day: month }]) {
    rows.push({ table: "stat_group_codes", key: { ...span, left_out: leftOut, kind: "resolution", code: f.resolution }, values: { n: 1 } });
    for (const code of f.codes) rows.push({ table: "stat_group_codes", key: { ...span, left_out: leftOut, kind: "descriptive", code }, values: { n: 1 } });
    rows.push({ table: "stat_group_pairs", key: { ...span, left_out: leftOut, library_id: f.libraryId, answering_library_id: f.answeringLibraryId ?? "" }, values: pairs });
    if (people) rows.push({ table: "stat_group_people", key: { ...span, left_out: leftOut, librarian_id: f.librarianId!, library_id: f.answeringLibraryId ?? f.libraryId }, values: people });
  }
  return rows;
}

/**
 * Rollup rows added up in memory (sums added, maxima and minima kept), for
 * writing many chats' parts at once: the demo history and the benchmark
 * build the rollups this way from the same contributions filing adds.
 */
export class RollupTotals {
  private readonly rows = new Map<string, RollupRow>();

  add(rows: readonly RollupRow[]): void {
    for (const r of rows) {
      const id = `${r.table}\u0000${ROLLUP_KEYS[r.table].map((k) => r.key[k]).join("\u0000")}`;
      const known = this.rows.get(id);
      if (!known) {
        this.rows.set(id, { table: r.table, key: r.key, values: { ...r.values } });
        continue;
      }
      for (const m of ROLLUP_MEASURES[r.table]) {
        const x = known.values[m.column] ?? 0;
        const y = r.values[m.column] ?? 0;
        known.values[m.column] = m.agg === "max" ? Math.max(x, y) : m.agg === "min" ? Math.min(x, y) : x + y;
      }
    }
  }

  all(): RollupRow[] {
    return [...this.rows.values()];
  }

  /** Takes out (and returns) the rows of local days (and months) that end before `day`: a long history is written as it goes. */
  takeBefore(day: number): RollupRow[] {
    const out: RollupRow[] = [];
    for (const [id, row] of this.rows) {
      const last = row.key.span === "month" ? nextMonthStart(Number(row.key.local_day)) - 1 : Number(row.key.local_day);
      if (last < day) {
        out.push(row);
        this.rows.delete(id);
      }
    }
    return out;
  }
}
