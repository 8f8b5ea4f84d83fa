// What a server has stored, read straight from its persistence directory with
// node:sqlite (read-only): every D1 table, and every Durable Object's SQLite
// (chat session logs and states, queue contents). Two snapshots compared row by
// row prove that a run of refused requests changed nothing.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

// node:sqlite prints an ExperimentalWarning on first use; keep bench output clean.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => (String(warning).includes("SQLite") ? undefined : emitWarning.call(process, warning, ...rest));
const { DatabaseSync } = await import("node:sqlite");

/**
 * What changes on purpose while requests are refused: a wrong password counts
 * towards the sign-in throttle and is recorded in the sign-in log (that is the
 * refusal working), and the sweep's own monitors, connecting to send bad
 * frames and leaving, are a real stretch of monitoring (coverage records it,
 * whatever they sent).
 */
const VOLATILE_TABLES = ["sign_in_throttle", "sign_in_log", "monitoring_spans", "monitoring", "span_outbox"];
// (monitoring and span_outbox: the queue object's own record of the open stretches and those not yet written.)

function sqliteFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => path.join(dir, f));
}

function tableRows(db, table, skip = []) {
  const columns = db
    .prepare(`PRAGMA table_info("${table}")`)
    .all()
    .map((c) => c.name)
    .filter((c) => !skip.includes(c));
  if (columns.length === 0) return [];
  const list = columns.map((c) => `"${c}"`).join(", ");
  return db.prepare(`SELECT ${list} FROM "${table}" ORDER BY ${list}`).all().map((r) => JSON.stringify(columns.map((c) => r[c])));
}

function userTables(db) {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name")
    .all()
    .map((r) => r.name);
}

/**
 * A snapshot: { "d1:<table>": rows[], "do:<class>:<table>": rows[] }.
 * Queue presence (who is connected, grace periods) is left out: it follows the
 * harness's own sockets, not the requests under test.
 */
export function storedState(persistDir) {
  const snapshot = {};
  for (const file of sqliteFiles(path.join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject"))) {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      for (const t of userTables(db).filter((name) => !VOLATILE_TABLES.includes(name))) snapshot[`d1:${t}`] = tableRows(db, t);
    } finally {
      db.close();
    }
  }
  const doRoot = path.join(persistDir, "v3", "do");
  for (const dir of existsSync(doRoot) ? readdirSync(doRoot) : []) {
    const cls = dir.replace(/^[^-]+-/, "");
    for (const file of sqliteFiles(path.join(doRoot, dir))) {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        for (const t of userTables(db)) {
          // Miniflare's own note of each object name ever addressed: asking about an
          // unknown id instantiates an empty object (no rows), which is not a stored change.
          if (t === "__miniflare_do_name") continue;
          if (cls === "RequestQueue" && (t === "grace" || t === "meta" || VOLATILE_TABLES.includes(t))) continue;
          const key = `do:${cls}:${t}`;
          snapshot[key] = [...(snapshot[key] ?? []), ...tableRows(db, t).map((r) => `${path.basename(file)} ${r}`)];
        }
      } finally {
        db.close();
      }
    }
  }
  for (const k of Object.keys(snapshot)) snapshot[k].sort();
  return snapshot;
}

/** The differences between two snapshots: [{ table, added, removed }] (empty when nothing changed). */
export function diffState(before, after) {
  const out = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[table] ?? []);
    const b = new Set(after[table] ?? []);
    const added = [...b].filter((r) => !a.has(r));
    const removed = [...a].filter((r) => !b.has(r));
    if (added.length || removed.length) out.push({ table, added: added.slice(0, 3), removed: removed.slice(0, 3), addedCount: added.length, removedCount: removed.length });
  }
  return out;
}

/** Runs a read-only query against the server's local D1 (e.g. to find the question a session was filed as). */
export function queryD1(persistDir, sql, ...params) {
  const [file] = sqliteFiles(path.join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject"));
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}
