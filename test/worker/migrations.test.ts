/**
 * The migrations in migrations/ and the drizzle schema in src/db/schema.ts
 * describe one database — checked the way drizzle-kit's check would, against
 * the real D1: every table, column (type, NOT NULL, default, primary key),
 * index (columns, unique, partial) and foreign key drizzle knows is in the
 * migrated database, and the database has nothing drizzle does not know
 * (besides the policy pages' full-text index, which drizzle cannot describe).
 *
 * And the migrations apply to an empty database, and over every earlier
 * schema — the previous release's included — with rows in it that survive.
 * A second D1 database (EMPTY_DB) is emptied and migrated step by step.
 */
import { applyD1Migrations, env } from "cloudflare:test";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => typeof v === "object" && v !== null && Symbol.for("drizzle:IsDrizzleTable") in v);

/** Tables drizzle cannot describe: the FTS5 index of policy pages (src/policies/search-index.ts) and its shadow tables. */
const NOT_DRIZZLE = /^policy_search(_|$)/;
const SYSTEM = /^(sqlite_|_cf_|d1_)/;

interface Shape {
  columns: Record<string, { type: string; notNull: boolean; hasDefault: boolean; primaryKey: boolean }>;
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  foreignKeys: string[];
}

/** What drizzle says a table is. */
function drizzleShape(table: SQLiteTable): Shape {
  const config = getTableConfig(table);
  const compositeKey = new Set(config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)));
  return {
    columns: Object.fromEntries(
      config.columns.map((c) => [c.name, { type: c.getSQLType().toLowerCase(), notNull: c.notNull || c.primary, hasDefault: c.default !== undefined, primaryKey: c.primary || compositeKey.has(c.name) }]),
    ),
    indexes: Object.fromEntries(
      config.indexes.map((i) => [i.config.name, { columns: i.config.columns.map((c) => (c as { name: string }).name), unique: i.config.unique, partial: i.config.where !== undefined }]),
    ),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(",")} -> ${getTableConfig(ref.foreignTable).name}(${ref.foreignColumns.map((c) => c.name).join(",")})`;
      })
      .sort(),
  };
}

/** What the migrated database says a table is. */
async function databaseShape(d1: D1Database, table: string): Promise<Shape> {
  const columns = await d1.prepare("SELECT name, type, \"notnull\" AS nn, dflt_value AS dflt, pk FROM pragma_table_info(?)").bind(table).all<{ name: string; type: string; nn: number; dflt: string | null; pk: number }>();
  const indexes = await d1.prepare("SELECT name, \"unique\" AS uniq, partial FROM pragma_index_list(?) WHERE origin = 'c'").bind(table).all<{ name: string; uniq: number; partial: number }>();
  const shape: Shape = { columns: {}, indexes: {}, foreignKeys: [] };
  for (const c of columns.results) shape.columns[c.name] = { type: c.type.toLowerCase(), notNull: c.nn === 1 || c.pk > 0, hasDefault: c.dflt !== null, primaryKey: c.pk > 0 };
  for (const i of indexes.results) {
    const cols = await d1.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").bind(i.name).all<{ name: string }>();
    shape.indexes[i.name] = { columns: cols.results.map((c) => c.name), unique: i.uniq === 1, partial: i.partial === 1 };
  }
  const fks = await d1.prepare('SELECT id, "table" AS target, "from" AS col, "to" AS ref FROM pragma_foreign_key_list(?) ORDER BY id, seq').bind(table).all<{ id: number; target: string; col: string; ref: string }>();
  const byId = new Map<number, { target: string; from: string[]; to: string[] }>();
  for (const f of fks.results) {
    const entry = byId.get(f.id) ?? byId.set(f.id, { target: f.target, from: [], to: [] }).get(f.id)!;
    entry.from.push(f.col);
    entry.to.push(f.ref);
  }
  shape.foreignKeys = [...byId.values()].map((f) => `${f.from.join(",")} -> ${f.target}(${f.to.join(",")})`).sort();
  return shape;
}

async function userTables(d1: D1Database): Promise<string[]> {
  const rows = await d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{ name: string }>();
  return rows.results.map((r) => r.name).filter((n) => !SYSTEM.test(n));
}

async function expectSchemaAgrees(d1: D1Database) {
  const inDatabase = (await userTables(d1)).filter((n) => !NOT_DRIZZLE.test(n)).sort();
  expect(inDatabase).toEqual(tables.map((t) => getTableConfig(t).name).sort());
  for (const table of tables) {
    const name = getTableConfig(table).name;
    expect(await databaseShape(d1, name), name).toEqual(drizzleShape(table));
  }
}

/** Drops every table, so the next migration run starts from an empty database. */
async function emptyDatabase(d1: D1Database) {
  const rows = await d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  // Virtual tables first: dropping one drops its shadow tables.
  const names = rows.results.map((r) => r.name).sort((a, b) => Number(b === "policy_search") - Number(a === "policy_search"));
  // One batch is one transaction: foreign keys are checked only at its end, when nothing is left to check.
  if (names.length > 0) await d1.batch([d1.prepare("PRAGMA defer_foreign_keys = ON"), ...names.map((name) => d1.prepare(`DROP TABLE IF EXISTS "${name}"`))]);
}

/** Rows a real installation has, inserted with whichever of their columns the schema has at that point. */
const FIXTURES: [table: string, row: Record<string, unknown>][] = [
  ["libraries", { id: "old-library", name: "Old Library", time_zone: "UTC", created_at: 1 }],
  ["groups", { id: "old-group", name: "Old Group", created_at: 1 }],
  ["group_members", { group_id: "old-group", library_id: "old-library", position: 0, created_at: 1 }],
  ["librarians", { id: "old-librarian", library_id: "old-library", email: "old@library.test", display_name: "Old", role: "library_admin", created_at: 1 }],
  ["forms", { id: "old-form", library_id: "old-library", queue_id: "lib:old-library", title: "Ask", created_at: 1 }],
  ["descriptive_codes", { library_id: "old-library", code: "reference", label: "Reference", created_at: 1 }],
  ["chat_sessions", { id: "old-session", library_id: "old-library", queue_id: "lib:old-library", status: "ended", question: "Where?", created_at: 1 }],
  ["questions", { id: "q-old-session", library_id: "old-library", session_id: "old-session", source: "chat", status: "answered", question: "Where?", created_at: 1, updated_at: 1 }],
  ["question_events", { question_id: "q-old-session", action: "filed", created_at: 1 }],
  ["mail_outbox", { event_key: "transcript:old-session", library_id: "old-library", to_address: "p@patron.test", subject: "S", text_body: "T", html_body: "H", status: "sent", created_at: 1 }],
  ["audit_log", { library_id: "old-library", action: "library.settings_updated", target_type: "library", created_at: 1 }],
];

async function seed(d1: D1Database) {
  const present = new Set(await userTables(d1));
  for (const [table, row] of FIXTURES) {
    if (!present.has(table)) continue;
    const columns = new Set((await d1.prepare("SELECT name FROM pragma_table_info(?)").bind(table).all<{ name: string }>()).results.map((c) => c.name));
    const entries = Object.entries(row).filter(([k]) => columns.has(k));
    await d1.prepare(`INSERT INTO "${table}" (${entries.map(([k]) => `"${k}"`).join(", ")}) VALUES (${entries.map(() => "?").join(", ")})`).bind(...entries.map(([, v]) => v)).run();
  }
  return [...present].filter((t) => FIXTURES.some(([f]) => f === t));
}

describe("the migrations and the drizzle schema", () => {
  it("agree on every table, column, index and foreign key", async () => {
    await expectSchemaAgrees(env.DB);
  });

  it("apply to an empty database", async () => {
    await emptyDatabase(env.EMPTY_DB);
    expect(await userTables(env.EMPTY_DB)).toEqual([]);
    await applyD1Migrations(env.EMPTY_DB, env.TEST_MIGRATIONS);
    await expectSchemaAgrees(env.EMPTY_DB);
  });

  const all = env.TEST_MIGRATIONS;
  it.each(all.slice(1).map((m, i) => [all[i]!.name, m.name, i + 1] as const))("apply over the schema as of %s (then %s and later), keeping its rows", async (_, __, applied) => {
    await emptyDatabase(env.EMPTY_DB);
    await applyD1Migrations(env.EMPTY_DB, all.slice(0, applied));
    const seeded = await seed(env.EMPTY_DB);
    expect(seeded.length).toBeGreaterThan(0);
    await applyD1Migrations(env.EMPTY_DB, all);
    await expectSchemaAgrees(env.EMPTY_DB);
    for (const table of seeded) {
      const n = (await env.EMPTY_DB.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).first<{ n: number }>())!.n;
      expect(n, table).toBe(1);
    }
  });
});
