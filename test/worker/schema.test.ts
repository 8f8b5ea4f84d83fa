/**
 * The migrations in migrations/ are hand-written SQL; src/db/schema.ts
 * describes the same tables for drizzle. This test keeps the two in step:
 * every table and column drizzle knows exists in the migrated database.
 */
import { env } from "cloudflare:test";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";

const tables = Object.values(schema as Record<string, unknown>).filter((v): v is SQLiteTable => typeof v === "object" && v !== null && "getSQL" in v && Symbol.for("drizzle:IsDrizzleTable") in v);

describe("schema.ts matches the migrations", () => {
  it("knows at least the core tables", () => {
    const names = tables.map((t) => getTableConfig(t).name);
    expect(names).toEqual(expect.arrayContaining(["libraries", "librarians", "forms", "chat_sessions", "questions", "mail_outbox"]));
  });

  it.each(tables.map((t) => [getTableConfig(t).name, t] as const))("table %s has every column drizzle expects", async (name, table) => {
    const cols = await env.DB.prepare(`SELECT name FROM pragma_table_info(?)`).bind(name).all<{ name: string }>();
    const inDb = cols.results.map((c) => c.name).sort();
    const inSchema = getTableConfig(table)
      .columns.map((c) => c.name)
      .sort();
    expect(inDb).toEqual(inSchema);
  });
});
