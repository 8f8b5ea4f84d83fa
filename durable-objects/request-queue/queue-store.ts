/**
 * A queue's own storage: the schema (versioned), and the small facts the
 * queue keeps about itself.
 */
import type { StorageMigration } from "../shared/storage-schema";
import { MONITORING_SPANS_STORAGE } from "./monitoring-spans";

/** The storage schema, in order; never edit a step once released, add one. */
export const QUEUE_STORAGE_MIGRATIONS: readonly StorageMigration[] = [
  (sql) =>
    sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS requests (session_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS grace (librarian_id TEXT PRIMARY KEY, until INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS targeted (session_id TEXT PRIMARY KEY, librarian_id TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS staff_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        from_id TEXT NOT NULL,
        from_name TEXT NOT NULL,
        to_id TEXT,
        to_name TEXT,
        body TEXT NOT NULL,
        client_id TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS staff_messages_client ON staff_messages (from_id, client_id) WHERE client_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS watched (session_id TEXT PRIMARY KEY);
    `),
  MONITORING_SPANS_STORAGE,
];

export class QueueMeta {
  constructor(private readonly sql: SqlStorage) {}

  /** The queue's id as the Worker names it (learnt from the first offer or upgrade). */
  get queueId(): string {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'queue_id'").toArray()[0]?.value ?? "";
  }

  rememberQueueId(queueId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('queue_id', ?)", queueId);
  }

  /** Records whether anybody is monitoring; returns what it was before. */
  rememberStaffed(staffed: boolean): boolean {
    const before = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'staffed'").toArray()[0]?.value === "1";
    if (before !== staffed) this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('staffed', ?)", staffed ? "1" : "0");
    return before;
  }
}
