/**
 * Rollup rows as D1 statements: each an upsert that adds (or, with sign −1,
 * takes away) a chat's part, run only while `guard` holds — so a batch that
 * files a chat twice, or races another change, adds nothing twice.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { statGroupCodes, statGroupHours, statGroupPairs, statGroupPeople, statGroupPresenceHours, statGroupPresenceMonths, statGroupPresencePeople, statPresenceHours } from "../db/schema";
import { ROLLUP_KEYS, ROLLUP_MEASURES, type RollupTable } from "./contributions";
import { PRESENCE_COLUMNS, PRESENCE_KEYS, type PresenceTable } from "./presence";

type Table = RollupTable | PresenceTable;

/** Each rollup: its drizzle table, key columns, and how each counted column adds up. */
const TABLES: Record<Table, { table: SQLiteTable; keys: readonly string[]; agg: ReadonlyMap<string, "sum" | "max" | "min"> }> = {
  stat_group_hours: chatRollup(statGroupHours, "stat_group_hours"),
  stat_group_codes: chatRollup(statGroupCodes, "stat_group_codes"),
  stat_group_pairs: chatRollup(statGroupPairs, "stat_group_pairs"),
  stat_group_people: chatRollup(statGroupPeople, "stat_group_people"),
  stat_presence_hours: presenceRollup(statPresenceHours, "stat_presence_hours"),
  stat_group_presence_hours: presenceRollup(statGroupPresenceHours, "stat_group_presence_hours"),
  stat_group_presence_people: presenceRollup(statGroupPresencePeople, "stat_group_presence_people"),
  stat_group_presence_months: presenceRollup(statGroupPresenceMonths, "stat_group_presence_months"),
};

function chatRollup(table: SQLiteTable, name: RollupTable) {
  return { table, keys: ROLLUP_KEYS[name], agg: new Map(ROLLUP_MEASURES[name].map((m) => [m.column, m.agg])) };
}

function presenceRollup(table: SQLiteTable, name: PresenceTable) {
  return { table, keys: PRESENCE_KEYS[name], agg: new Map(PRESENCE_COLUMNS[name].map((c) => [c, "sum" as const])) };
}

/** A row to add to a rollup: its key and the amounts per column. */
export interface RowChange {
  table: Table;
  key: Record<string, string | number>;
  values: Record<string, number>;
}

/**
 * `INSERT … SELECT <row> WHERE <guard> ON CONFLICT DO UPDATE` adding the row's
 * values ×sign. Maxima and minima are kept, never taken back: a chat's wait
 * never changes, and one moved out by recoding may still hold its hour's extreme.
 */
export function upsertRow(db: Database, row: RowChange, sign: 1 | -1, guard: SQL) {
  const { table, keys, agg } = TABLES[row.table];
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
  // Every column, in the table's order (drizzle's insert … select lists them all).
  const values = columns.map(([, column]) => {
    if (column.name in row.key) return sql`${row.key[column.name]}`;
    const v = row.values[column.name] ?? 0;
    const how = agg.get(column.name);
    if (how === "max") return sql`${sign > 0 ? v : 0}`;
    if (how === "min") return sql`${sign > 0 ? v : Number.MAX_SAFE_INTEGER}`;
    return sql`${sign * v}`;
  });
  const keyColumns = columns.filter(([, c]) => keys.includes(c.name)).map(([, c]) => c);
  const set = Object.fromEntries(
    columns
      .filter(([, c]) => agg.has(c.name))
      .map(([key, c]) => {
        const how = agg.get(c.name);
        return [key, how === "sum" ? sql.raw(`${c.name} + excluded.${c.name}`) : sql.raw(`${how}(${c.name}, excluded.${c.name})`)];
      }),
  );
  // The WHERE is also what SQLite needs to tell an upsert's ON from a join's.
  return db
    .insert(table)
    .select(sql`select ${sql.join(values, sql`, `)} where ${guard}`)
    .onConflictDoUpdate({ target: keyColumns, set });
}
