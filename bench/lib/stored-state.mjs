// What a server has stored, read straight from its persistence directory with
// node:sqlite (read-only): every D1 table, and every Durable Object's SQLite
// (chat session logs and states, queue contents). Two snapshots compared row by
// row prove that a run of refused requests changed nothing. The SQL, the rows'
// form and the comparison are bench/hostile/properties/state-diff.ts, shared
// with the worker tests that make the same check inside workerd.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { PRESENCE_TABLES, USER_TABLES_SQL, columnsSql, diffState, rowKey, rowsSql, timedRow } from "../hostile/properties/state-diff.ts";

export { diffState };

// node:sqlite prints an ExperimentalWarning on first use; keep bench output clean.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => (String(warning).includes("SQLite") ? undefined : emitWarning.call(process, warning, ...rest));
const { DatabaseSync } = await import("node:sqlite");

/** How long a read waits for the server to finish a write (a snapshot taken after every request meets some). */
const BUSY_WAIT_MS = 5000;

function sqliteFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => path.join(dir, f));
}

function tableRows(db, table, key) {
  const read = rowsSql(
    table,
    db
      .prepare(columnsSql(table))
      .all()
      .map((c) => c.name),
  );
  if (!read) return [];
  return db
    .prepare(read.sql)
    .all()
    .filter((r) => !timedRow(key, r))
    .map((r) => rowKey(r, read.columns));
}

const userTables = (db) =>
  db
    .prepare(USER_TABLES_SQL)
    .all()
    .map((r) => r.name);

/**
 * A snapshot: { "d1:<table>": rows[], "do:<class>:<table>": rows[] }.
 * Queue presence (who is connected, grace periods) is left out: it follows the
 * harness's own sockets, not the requests under test.
 */
export function storedState(persistDir) {
  const snapshot = {};
  for (const file of sqliteFiles(path.join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject"))) {
    const db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_WAIT_MS });
    try {
      for (const t of userTables(db)) if (!PRESENCE_TABLES.includes(`d1:${t}`)) snapshot[`d1:${t}`] = tableRows(db, t, `d1:${t}`);
    } finally {
      db.close();
    }
  }
  const doRoot = path.join(persistDir, "v3", "do");
  for (const dir of existsSync(doRoot) ? readdirSync(doRoot) : []) {
    const cls = dir.replace(/^[^-]+-/, "");
    for (const file of sqliteFiles(path.join(doRoot, dir))) {
      const db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_WAIT_MS });
      try {
        for (const t of userTables(db)) {
          const key = `do:${cls}:${t}`;
          if (PRESENCE_TABLES.includes(key)) continue;
          snapshot[key] = [...(snapshot[key] ?? []), ...tableRows(db, t, key).map((r) => `${path.basename(file)} ${r}`)];
        }
      } finally {
        db.close();
      }
    }
  }
  for (const k of Object.keys(snapshot)) snapshot[k].sort();
  return snapshot;
}

/** Runs a read-only query against the server's local D1 (e.g. to find the question a session was filed as). */
export function queryD1(persistDir, sql, ...params) {
  const [file] = sqliteFiles(path.join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject"));
  const db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_WAIT_MS });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}
