/**
 * What one chat adds to its cooperatives' rollups: a row of measures per table,
 * keyed by the local day (and hour) in each group's zone. Pure, so the filing
 * code, the demo history and the benchmark all add up the same way.
 */
import type { StatFact } from "./fact";
import { localCell } from "./local-time";
import { countsForPerson, HOUR_MEASURES, PAIR_MEASURES, PEOPLE_MEASURES, type Measure } from "./measures";

export type RollupTable = "stat_group_hours" | "stat_group_codes" | "stat_group_pairs" | "stat_group_people";

/** One row a chat adds to (or takes from) a rollup. */
export interface RollupRow {
  table: RollupTable;
  key: Record<string, string | number>;
  values: Record<string, number>;
}

/** Each rollup's key columns, in the primary key's order. */
export const ROLLUP_KEYS: Record<RollupTable, readonly string[]> = {
  stat_group_hours: ["group_id", "local_day", "local_hour", "left_out"],
  stat_group_codes: ["group_id", "local_day", "left_out", "kind", "code"],
  stat_group_pairs: ["group_id", "local_day", "left_out", "library_id", "answering_library_id"],
  stat_group_people: ["group_id", "local_day", "left_out", "librarian_id", "library_id"],
};

/** Each rollup's measures. */
export const ROLLUP_MEASURES: Record<RollupTable, readonly Measure[]> = {
  stat_group_hours: HOUR_MEASURES,
  stat_group_codes: [{ column: "n", agg: "sum", of: () => 1, sql: "1" }],
  stat_group_pairs: PAIR_MEASURES,
  stat_group_people: PEOPLE_MEASURES,
};

const valuesOf = (f: StatFact, measures: readonly Measure[]) => Object.fromEntries(measures.map((m) => [m.column, m.of(f)]));

/** The rows `f` adds to the rollups of each of its groups; `zones` gives each group's zone. */
export function contributions(f: StatFact, zones: ReadonlyMap<string, string>): RollupRow[] {
  const rows: RollupRow[] = [];
  const leftOut = f.leftOut ? 1 : 0;
  for (const groupId of f.groupIds) {
    const zone = zones.get(groupId);
    if (!zone) throw new Error(`no statistics zone for group ${groupId}`);
    const { day, hour } = localCell(zone, f.createdAt);
    const at = { group_id: groupId, local_day: day };
    rows.push({ table: "stat_group_hours", key: { ...at, local_hour: hour, left_out: leftOut }, values: valuesOf(f, HOUR_MEASURES) });
    rows.push({ table: "stat_group_codes", key: { ...at, left_out: leftOut, kind: "resolution", code: f.resolution }, values: { n: 1 } });
    for (const code of f.codes) rows.push({ table: "stat_group_codes", key: { ...at, left_out: leftOut, kind: "descriptive", code }, values: { n: 1 } });
    rows.push({ table: "stat_group_pairs", key: { ...at, left_out: leftOut, library_id: f.libraryId, answering_library_id: f.answeringLibraryId ?? "" }, values: valuesOf(f, PAIR_MEASURES) });
    if (countsForPerson(f)) {
      rows.push({ table: "stat_group_people", key: { ...at, left_out: leftOut, librarian_id: f.librarianId!, library_id: f.answeringLibraryId ?? f.libraryId }, values: valuesOf(f, PEOPLE_MEASURES) });
    }
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
}
