/**
 * Writes that take effect only if the row is as the caller expects, so a D1
 * batch refused or raced half-way changes nothing: null-safe "still as it was"
 * checks, "the previous statement changed one row", and inserting a row only
 * when a condition holds. Raw SQL fragments: drizzle has no builder for
 * SQLite's IS, changes(), last_insert_rowid() or an INSERT of one guarded row.
 */
import { getTableColumns, is, SQL, sql, type SQLWrapper } from "drizzle-orm";
import type { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** `column IS value`: equal, with NULL equal to NULL (a plain `=` never matches NULL). */
export function isSameAs(column: SQLWrapper, value: string | number | null): SQL {
  return sql`${column} is ${value}`;
}

/** True while the batch statement just before this one changed exactly one row. */
export const previousChangedOneRow: SQL = sql`changes() = 1`;

/** The rowid the batch inserted last (e.g. the id of a history row written just before). */
export const lastInsertedRowId: SQL = sql`last_insert_rowid()`;

/**
 * `INSERT INTO table SELECT <values> [WHERE condition]`: one row, inserted only
 * if the condition holds when the statement runs. Columns left out take their
 * defaults (an autoincrement id is assigned); values may be SQL, such as a
 * subquery. Add `.returning(…)` or `.onConflictDoNothing()` as with any insert.
 */
export function insertIf<T extends SQLiteTable>(db: Database, table: T, values: SQLiteInsertValue<T>, condition?: SQL) {
  const given = values as Record<string, unknown>;
  const row = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = given[key];
    if (value !== undefined) return is(value, SQL) ? value : sql.param(value, column);
    if (column.default !== undefined) return is(column.default, SQL) ? column.default : sql.param(column.default, column);
    return sql`null`;
  });
  return db.insert(table).select(sql`select ${sql.join(row, sql`, `)}${condition ? sql` where ${condition}` : sql``}`);
}
