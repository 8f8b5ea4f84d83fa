/**
 * Every stored row, read inside workerd: every D1 table, and every table of
 * the objects a test names — the same SQL and row form as the hostile bench's
 * snapshot of a server's files (bench/hostile/properties/state-diff.ts), so
 * "a refusal changed nothing" means the same here and there.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { PRESENCE_TABLES, USER_TABLES_SQL, columnsSql, rowKey, rowsSql, timedRow, type Snapshot } from "../../bench/hostile/properties/state-diff";

const d1Columns = new Map<string, string[]>();

/** Every row of every application table in D1, but the tables named in `leaveOut` ("d1:<table>"). */
export async function d1Rows(leaveOut: readonly string[] = []): Promise<Snapshot> {
  const tables = (await env.DB.prepare(USER_TABLES_SQL).all<{ name: string }>()).results
    .map((r) => r.name)
    .filter((t) => !leaveOut.includes(`d1:${t}`) && !PRESENCE_TABLES.includes(`d1:${t}`));
  const unknown = tables.filter((t) => !d1Columns.has(t));
  if (unknown.length > 0) {
    const described = await env.DB.batch<{ name: string }>(unknown.map((t) => env.DB.prepare(columnsSql(t))));
    unknown.forEach((t, i) => d1Columns.set(t, described[i]!.results.map((c) => c.name)));
  }
  const reads = tables.flatMap((t) => {
    const read = rowsSql(t, d1Columns.get(t)!);
    return read ? [{ table: t, ...read }] : [];
  });
  const results = await env.DB.batch<Record<string, unknown>>(reads.map((r) => env.DB.prepare(r.sql)));
  return Object.fromEntries(reads.map((r, i) => [`d1:${r.table}`, results[i]!.results.map((row) => rowKey(row, r.columns)).sort()]));
}

/**
 * Every row of every table of one object ("do:<className>:<table>", each row
 * prefixed with `name`), but its presence tables (PRESENCE_TABLES) and the
 * rows it rewrites on its own schedule (TIMED_ROWS).
 */
export async function objectRows(className: string, name: string, stub: DurableObjectStub): Promise<Snapshot> {
  return runInDurableObject(stub, (_instance: unknown, state: DurableObjectState) => {
    const sql = state.storage.sql;
    const out: Snapshot = {};
    for (const { name: table } of sql.exec<{ name: string }>(USER_TABLES_SQL).toArray()) {
      const key = `do:${className}:${table}`;
      if (PRESENCE_TABLES.includes(key)) continue;
      const read = rowsSql(
        table,
        sql
          .exec<{ name: string }>(columnsSql(table))
          .toArray()
          .map((c) => c.name),
      );
      if (!read) continue;
      out[key] = sql
        .exec<Record<string, SqlStorageValue>>(read.sql)
        .toArray()
        .filter((row) => !timedRow(key, row))
        .map((row) => `${name} ${rowKey(row, read.columns)}`)
        .sort();
    }
    return out;
  });
}

/** Snapshots merged (rows of the same table from several objects side by side). */
export function merged(...snapshots: Snapshot[]): Snapshot {
  const out: Snapshot = {};
  for (const s of snapshots) for (const [k, rows] of Object.entries(s)) out[k] = [...(out[k] ?? []), ...rows].sort();
  return out;
}
