/**
 * "Nothing changed": what a snapshot of stored rows holds, how it is read
 * (the same SQL for D1 and for an object's SQLite, whether read by node:sqlite
 * from a bench server's files or through the bindings inside workerd), and
 * how two snapshots are compared. A snapshot maps "<store>:<table>" to the
 * table's rows, each row one JSON text, sorted.
 *
 * No imports: bench/lib/stored-state.mjs loads this file straight into Node.
 */

export type Snapshot = Record<string, string[]>;

/** The tables a snapshot reads: the application's own, not SQLite's, D1's or Miniflare's bookkeeping. */
export const USER_TABLES_SQL =
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name <> '__miniflare_do_name' ORDER BY name";

/** The statement listing a table's columns (PRAGMA table_info rows carry `name`). */
export const columnsSql = (table: string): string => `PRAGMA table_info("${table}")`;

/**
 * Columns that change whatever a request does: a wrong password counts
 * towards the lock-out (that is the refusal working), and a mail's delivery
 * state follows the sender, which works through the outbox on its own
 * schedule (a mail queued earlier may be sent during any later request).
 */
export const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  librarians: ["failed_logins", "locked_until"],
  mail_outbox: ["status", "attempts", "last_error", "raw_message", "message_id", "sent_at", "claimed_until"],
};

/**
 * Tables a refusal writes to on purpose: a librarian asking for a question
 * they may not see is answered "not found" and the attempt is recorded
 * (src/db/tenancy.ts logAccessDenied). Rows may be added there, never removed.
 */
export const REFUSAL_LOG_TABLES: readonly string[] = ["d1:access_denials"];

/**
 * Tables a snapshot leaves out: a queue's presence (who is connected, grace
 * periods, the open stretches of monitoring and those not yet written to D1,
 * and the stretches written) follows the harness's own sockets, not the
 * requests under test; and a refused sign-in counts towards the sign-in
 * throttle and is logged (that is the refusal working).
 */
export const PRESENCE_TABLES: readonly string[] = [
  "do:RequestQueue:grace",
  "do:RequestQueue:meta",
  "do:RequestQueue:monitoring",
  "do:RequestQueue:span_outbox",
  "d1:monitoring_spans",
  "d1:sign_in_throttle",
  "d1:sign_in_log",
];

/**
 * Rows an object rewrites on its own schedule, whatever the requests: when a
 * chat next re-checks its librarians' sign-ins (TIMING.accessRecheckMs), and
 * its note of a copy to D1 it has yet to write. Left out of every snapshot.
 */
export const TIMED_ROWS: Readonly<Record<string, { column: string; values: readonly string[] }>> = {
  "do:ChatSession:meta": { column: "key", values: ["access_check_at", "d1_mirror"] },
};

/** Whether a row of a snapshot table ("do:<class>:<table>") is one of TIMED_ROWS. */
export function timedRow(table: string, row: Record<string, unknown>): boolean {
  const timed = TIMED_ROWS[table];
  return timed !== undefined && timed.values.includes(String(row[timed.column]));
}

/**
 * D1 tables a live chat's object writes on its own schedule: its row copies
 * the object's state within TIMING.rowMirrorDelayMs of a change, so it may
 * follow a frame accepted earlier. Frames are judged without them (their
 * effect is judged in the object's own storage, which the row copies).
 */
export const MIRRORED_TABLES: readonly string[] = ["d1:chat_sessions"];

/** The statement reading a table's rows, all columns but the volatile ones, in a stable order (null when nothing is left to read). */
export function rowsSql(table: string, columns: readonly string[]): { sql: string; columns: string[] } | null {
  const kept = columns.filter((c) => !(VOLATILE_COLUMNS[table] ?? []).includes(c));
  if (kept.length === 0) return null;
  const list = kept.map((c) => `"${c}"`).join(", ");
  return { sql: `SELECT ${list} FROM "${table}" ORDER BY ${list}`, columns: kept };
}

/** A row as the snapshot keeps it (binary columns by length: their bytes follow the text they index). */
export function rowKey(row: Record<string, unknown>, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => (row[c] instanceof ArrayBuffer || ArrayBuffer.isView(row[c]) ? `<${(row[c] as ArrayBuffer).byteLength} bytes>` : row[c])));
}

/** One table difference: how many rows came and went, with a few of each. */
export interface TableChange {
  table: string;
  added: string[];
  removed: string[];
  addedCount: number;
  removedCount: number;
}

/**
 * The differences between two snapshots (empty when nothing changed). With
 * `refusal`, rows added to a refusal log (REFUSAL_LOG_TABLES) are not a change.
 */
export function diffState(before: Snapshot, after: Snapshot, { refusal = false }: { refusal?: boolean } = {}): TableChange[] {
  const out: TableChange[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[table] ?? []);
    const b = new Set(after[table] ?? []);
    const added = refusal && REFUSAL_LOG_TABLES.includes(table) ? [] : [...b].filter((r) => !a.has(r));
    const removed = [...a].filter((r) => !b.has(r));
    if (added.length || removed.length) out.push({ table, added: added.slice(0, 3), removed: removed.slice(0, 3), addedCount: added.length, removedCount: removed.length });
  }
  return out;
}

/** A difference in words, for a failure line. */
export function describeChanges(changes: readonly TableChange[]): string {
  return changes
    .map((c) => `${c.table}: +${c.addedCount} -${c.removedCount}${c.added[0] ? ` (added ${c.added[0].slice(0, 160)})` : ""}${c.removed[0] ? ` (removed ${c.removed[0].slice(0, 160)})` : ""}`)
    .join("; ");
}
