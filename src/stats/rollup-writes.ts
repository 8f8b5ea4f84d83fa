/**
 * Rollup rows as D1 statements: each an upsert that adds (or, with sign −1,
 * takes away) a chat's part, run only while `guard` holds — so a batch that
 * files a chat twice, or races another change, adds nothing twice.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { statGroupCodes, statGroupHours, statGroupPairs, statGroupPeople } from "../db/schema";
import { ROLLUP_KEYS, ROLLUP_MEASURES, type RollupRow, type RollupTable } from "./contributions";

const TABLES: Record<RollupTable, SQLiteTable> = {
  stat_group_hours: statGroupHours,
  stat_group_codes: statGroupCodes,
  stat_group_pairs: statGroupPairs,
  stat_group_people: statGroupPeople,
};

/** `INSERT … SELECT <row> WHERE <guard> ON CONFLICT DO UPDATE` adding the row's values (×sign; maxima only grow). */
export function upsertRow(db: Database, row: RollupRow, sign: 1 | -1, guard: SQL) {
  const table = TABLES[row.table];
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
  const byName = new Map(ROLLUP_MEASURES[row.table].map((m) => [m.column, m]));
  // Every column, in the table's order (drizzle's insert … select lists them all).
  const values = columns.map(([, column]) => {
    if (column.name in row.key) return sql`${row.key[column.name]}`;
    const m = byName.get(column.name);
    const v = row.values[column.name] ?? 0;
    return sql`${m?.agg === "max" ? (sign > 0 ? v : 0) : sign * v}`;
  });
  const keyColumns = columns.filter(([, c]) => ROLLUP_KEYS[row.table].includes(c.name)).map(([, c]) => c);
  const set = Object.fromEntries(
    columns
      .filter(([, c]) => byName.has(c.name))
      .map(([key, c]) => [key, byName.get(c.name)!.agg === "max" ? sql.raw(`max(${c.name}, excluded.${c.name})`) : sql.raw(`${c.name} + excluded.${c.name}`)]),
  );
  // The WHERE is also what SQLite needs to tell an upsert's ON from a join's.
  return db
    .insert(table)
    .select(sql`select ${sql.join(values, sql`, `)} where ${guard}`)
    .onConflictDoUpdate({ target: keyColumns, set });
}
