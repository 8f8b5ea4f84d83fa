/**
 * An object's own SQLite schema, versioned: each object class lists its
 * migrations in order, and every instance applies the ones it has not applied
 * yet when it starts. Instances created by older code (before versions were
 * recorded) start at version 0, so every migration must be safe to run on
 * tables that may already exist.
 */

/** One step of an object's storage schema. */
export type StorageMigration = (sql: SqlStorage) => void;

/** Applies the migrations this instance has not applied yet; returns the version it is now at. */
export function migrateStorage(sql: SqlStorage, migrations: readonly StorageMigration[]): number {
  sql.exec("CREATE TABLE IF NOT EXISTS storage_schema (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM storage_schema").toArray()[0];
  const from = row?.version ?? 0;
  for (let v = from; v < migrations.length; v++) migrations[v]!(sql);
  if (!row) sql.exec("INSERT INTO storage_schema (version) VALUES (?)", migrations.length);
  else if (from < migrations.length) sql.exec("UPDATE storage_schema SET version = ?", migrations.length);
  return Math.max(from, migrations.length);
}

/** Whether `table` has `column` (for migrations that add a column older instances may already have). */
export function hasColumn(sql: SqlStorage, table: string, column: string): boolean {
  return sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray().some((c) => c.name === column);
}

/** Whether this instance has stored anything yet (an object only addressed, never created, has not). */
export function hasStorage(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
}
