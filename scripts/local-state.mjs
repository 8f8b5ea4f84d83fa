// Local state for `wrangler dev`: apply the D1 migrations and seed the demo
// data into a persistence directory, then start wrangler dev on it. Used by
// `npm start`, the browser tests and the benchmarks.
import { spawn, spawnSync } from "node:child_process";
import { webcrypto } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { DEFAULT_DESCRIPTIVE_CODES } from "../src/shared/codes.ts";
import {
  DEMO_COVERAGE_SHIFTS,
  DEMO_FORMS,
  DEMO_GROUP_PAGES,
  DEMO_GROUPS,
  DEMO_HISTORY_DAYS,
  DEMO_HISTORY_LIBRARIES,
  DEMO_LIBRARIANS,
  DEMO_LIBRARIES,
  DEMO_PASSWORD,
  DEMO_POLICY_PAGES,
  DEMO_POPULAR_CODES,
} from "./demo-data.mjs";
import { searchRows } from "../src/policies/plain-text.ts";
import { LINK_KIND_LABELS, POLICY_SECTIONS } from "../src/policies/sections.ts";

const root = path.resolve(import.meta.dirname, "..");
// Run wrangler's entry with this Node (22, from the node@22 devDependency), not whatever `node` is on PATH.
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
  WRANGLER_SEND_METRICS: "false",
  NO_UPDATE_NOTIFIER: "1",
  CI: process.env.CI ?? "1",
};

function sql(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** PBKDF2-SHA-256, the same format src/auth/password.ts verifies. */
export async function hashPassword(password, iterations = 100_000) {
  const salt = webcrypto.getRandomValues(new Uint8Array(16));
  const key = await webcrypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await webcrypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return `pbkdf2-sha256$${iterations}$${Buffer.from(salt).toString("base64")}$${Buffer.from(bits).toString("base64")}`;
}

/**
 * The demo data as SQL; INSERT OR IGNORE keeps a second seeding from changing anything.
 * `extra` (libraries, librarians, forms — the shapes of DEMO_*) lets tests add
 * fixtures of their own beside the demo.
 */
export async function demoSeedSql(extra = {}) {
  const { libraries: extraLibraries = [], librarians: extraLibrarians = [], forms: extraForms = [] } = extra;
  const now = Date.now();
  const lines = [];
  for (const l of [...DEMO_LIBRARIES, ...extraLibraries]) {
    lines.push(
      `INSERT OR IGNORE INTO libraries (id, name, time_zone, contact_email, phone, hours_text, unavailable_message, fallback_links, brand_color, allowed_origins, created_at) VALUES (${[
        l.id, l.name, l.timeZone, l.contactEmail, l.phone, l.hoursText, l.unavailableMessage, JSON.stringify(l.fallbackLinks), l.brandColor, JSON.stringify(l.allowedOrigins), now,
      ].map(sql).join(", ")});`,
    );
    DEFAULT_DESCRIPTIVE_CODES.forEach((c, i) =>
      lines.push(`INSERT OR IGNORE INTO descriptive_codes (library_id, code, label, active, position, created_at) VALUES (${[l.id, c.code, c.label, 1, i, now].map(sql).join(", ")});`),
    );
  }
  for (const g of DEMO_GROUPS) {
    lines.push(`INSERT OR IGNORE INTO groups (id, name, created_at) VALUES (${[g.id, g.name, now].map(sql).join(", ")});`);
    g.members.forEach((m) => lines.push(`INSERT OR IGNORE INTO group_members (group_id, library_id, position, created_at) VALUES (${[g.id, m, 0, now].map(sql).join(", ")});`));
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const p of [...DEMO_LIBRARIANS, ...extraLibrarians]) {
    lines.push(`INSERT OR IGNORE INTO librarians (id, library_id, email, display_name, password_hash, role, created_at) VALUES (${[p.id, p.libraryId, p.email, p.displayName, hash, p.role, now].map(sql).join(", ")});`);
  }
  for (const f of [...DEMO_FORMS, ...extraForms]) {
    lines.push(
      `INSERT OR IGNORE INTO forms (id, library_id, queue_id, title, intro, fields, chat_method, languages, default_language, translations, created_at) VALUES (${[
        f.id,
        f.libraryId,
        f.queueId,
        f.title,
        f.intro,
        JSON.stringify(f.fields),
        f.chatMethod ?? "chat",
        JSON.stringify(f.languages ?? ["en"]),
        f.defaultLanguage ?? "en",
        JSON.stringify(f.translations ?? {}),
        now,
      ]
        .map(sql)
        .join(", ")});`,
    );
  }
  lines.push(...cooperationSeedSql(now));
  return lines.join("\n");
}

/** Policy pages (with their search rows), group pages and coverage shifts; seeding twice changes nothing. */
function cooperationSeedSql(now) {
  const lines = [];
  for (const p of DEMO_POLICY_PAGES) {
    lines.push(
      `INSERT OR IGNORE INTO policy_pages (library_id, sections, links, quick_answers, report_email, updated_at) VALUES (${[
        p.libraryId, JSON.stringify(p.sections), JSON.stringify(p.links), JSON.stringify(p.quickAnswers), p.reportEmail, now,
      ].map(sql).join(", ")});`,
    );
    // Indexed only when the page was inserted by this very seeding (an edited page keeps its own index).
    for (const r of searchRows(p, POLICY_SECTIONS, LINK_KIND_LABELS)) {
      lines.push(
        `INSERT INTO policy_search (library_id, section, title, body) SELECT ${[p.libraryId, r.section, r.title, r.body].map(sql).join(", ")} WHERE EXISTS (SELECT 1 FROM policy_pages WHERE library_id = ${sql(p.libraryId)} AND updated_at = ${now});`,
      );
    }
  }
  for (const g of DEMO_GROUP_PAGES) lines.push(`INSERT OR IGNORE INTO group_pages (group_id, body, updated_at) VALUES (${[g.groupId, g.body, now].map(sql).join(", ")});`);
  const groups = [...new Set(DEMO_COVERAGE_SHIFTS.map((s) => s.groupId))];
  for (const groupId of groups) {
    // Only into an empty schedule: an administrator's own edits survive re-seeding.
    for (const s of DEMO_COVERAGE_SHIFTS.filter((x) => x.groupId === groupId)) {
      lines.push(
        `INSERT INTO coverage_shifts (group_id, library_id, time_zone, weekday, start_minute, end_minute, ends_next_day, created_at) SELECT ${[
          s.groupId, s.libraryId, s.timeZone, s.weekday, s.start, s.end, s.endsNextDay, now,
        ].map(sql).join(", ")} WHERE NOT EXISTS (SELECT 1 FROM coverage_shifts WHERE group_id = ${sql(groupId)} AND created_at <> ${now});`,
      );
    }
  }
  return lines;
}

/**
 * The statistics history generator (scripts/stats-history.ts) with the
 * product's own fact and rollup code, bundled for Node and loaded.
 */
export async function loadStatsHistory() {
  const out = path.join(os.tmpdir(), `refdesk-stats-history-${process.pid}-${Date.now()}.mjs`);
  await build({ entryPoints: [path.join(root, "scripts", "stats-history.ts")], outfile: out, bundle: true, platform: "node", format: "esm", logLevel: "warning" });
  try {
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(out, { force: true });
  }
}

/** Rows as multi-row INSERT statements of at most `per` rows, each run only while `guard` (SQL) holds. */
function insertStatements(rows, guard, per = 100) {
  const lines = [];
  for (const { table, columns, values } of rows) {
    for (let i = 0; i < values.length; i += per) {
      const chunk = values.slice(i, i + per);
      const select = columns.map((_, j) => `column${j + 1}`).join(", ");
      lines.push(`INSERT INTO ${table} (${columns.join(", ")}) SELECT ${select} FROM (VALUES ${chunk.map((v) => `(${v.map(sql).join(", ")})`).join(", ")}) WHERE ${guard};`);
    }
  }
  return lines;
}

/**
 * The demo's statistics history (DEMO_HISTORY_DAYS days up to `now`) as SQL.
 * Written once: every statement runs only while the history's first chat is
 * not stored yet, and that chat is the last thing written. The presence cursor is moved past
 * the stretches written, whose coverage the history counts itself.
 */
export async function demoHistorySql(now = Date.now()) {
  const { writeHistory, dayIn } = await loadStatsHistory();
  const zoneOf = new Map(DEMO_LIBRARIES.map((l) => [l.id, l.timeZone]));
  const group = DEMO_GROUPS[0];
  const groupZone = "America/Chicago";
  const today = dayIn(groupZone, now);
  const tables = new Map();
  writeHistory(
    {
      seed: 20250901,
      fromDay: today - DEMO_HISTORY_DAYS,
      toDay: today,
      untilMs: now,
      groupId: group.id,
      groupZone,
      libraries: DEMO_HISTORY_LIBRARIES.map((l) => ({ ...l, timeZone: zoneOf.get(l.id) })),
      shifts: DEMO_COVERAGE_SHIFTS.map((s) => ({ libraryId: s.libraryId, weekday: s.weekday, from: s.start / 60, to: s.end / 60 })),
      codes: [...DEMO_POPULAR_CODES, ...DEFAULT_DESCRIPTIVE_CODES.map((c) => c.code).filter((c) => !DEMO_POPULAR_CODES.includes(c))],
      comments: 12,
    },
    {
      row(table, columns, values) {
        const key = `${table}|${columns.join(",")}`;
        if (!tables.has(key)) tables.set(key, { table, columns, values: [] });
        tables.get(key).values.push(values);
      },
    },
  );
  const all = [...tables.values()];
  const facts = all.filter((t) => t.table === "stat_chats");
  const first = facts[0]?.values[0]?.[0];
  if (!first) return "";
  const fresh = `NOT EXISTS (SELECT 1 FROM stat_chats WHERE session_id = ${sql(first)})`;
  const spans = all.filter((t) => t.table === "monitoring_spans");
  const rest = all.filter((t) => t.table !== "stat_chats" && t.table !== "monitoring_spans" && t.table !== "stat_group_zones");
  // The statement holding the first chat runs last: until it has, every other one still finds the history unwritten.
  const factStatements = insertStatements(facts, fresh);
  return [
    ...insertStatements(spans, fresh),
    `UPDATE stat_cursors SET position = (SELECT max(rowid) FROM monitoring_spans) WHERE name = 'presence' AND ${fresh};`,
    `INSERT OR IGNORE INTO stat_group_zones (group_id, time_zone, chosen_at) VALUES (${sql(group.id)}, ${sql(groupZone)}, ${now});`,
    ...insertStatements(rest, fresh),
    ...factStatements.slice(1),
    factStatements[0],
  ].join("\n");
}

/** Runs a wrangler command against `persistDir` (e.g. `d1 execute` for a benchmark's own fixtures); throws on failure. */
export function wrangler(args, persistDir) {
  const full = [...args, ...(persistDir ? ["--persist-to", persistDir] : [])];
  const r = spawnSync(process.execPath, [wranglerJs, ...full], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${full.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs SQL statements against the local D1 in `persistDir` (e.g. the benchmarks' extra seed). */
export function executeLocalSql(sqlText, persistDir, name = "extra-seed") {
  const file = path.join(root, ".wrangler", `${name}-${process.pid}.sql`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, sqlText);
  wrangler(["d1", "execute", "DB", "--local", "--file", file], persistDir);
}

/**
 * Applies migrations and seeds the demo into `persistDir` (default: wrangler's
 * own .wrangler/state); `history` adds the demo's statistics history (`npm start`).
 */
export async function prepareLocalState(persistDir, { extra = {}, history = false } = {}) {
  wrangler(["d1", "migrations", "apply", "DB", "--local"], persistDir);
  const seedFile = path.join(root, ".wrangler", "demo-seed.sql");
  mkdirSync(path.dirname(seedFile), { recursive: true });
  writeFileSync(seedFile, await demoSeedSql(extra));
  wrangler(["d1", "execute", "DB", "--local", "--file", seedFile], persistDir);
  if (history) {
    const historyFile = path.join(root, ".wrangler", `demo-history-${process.pid}.sql`);
    writeFileSync(historyFile, await demoHistorySql());
    wrangler(["d1", "execute", "DB", "--local", "--file", historyFile], persistDir);
    rmSync(historyFile, { force: true });
  }
}

/** A development value for FILE_LINK_SECRET: local only, never a deployment's. */
const LOCAL_FILE_LINK_SECRET = "local-development-file-link-secret";

/**
 * Starts `wrangler dev` and resolves once it answers HTTP. `vars` become `--var`
 * overrides; `script` replaces wrangler.toml's entry (the benchmarks use a
 * re-export of src/index.ts they can change to force a code reload);
 * `extraEnv` is added to wrangler's environment; `config` replaces wrangler.toml
 * (a benchmark's own, with a bench-only binding).
 * @param {{ port?: number, persistDir?: string, inherit?: boolean, ip?: string, vars?: Record<string, string>, script?: string, config?: string, extraEnv?: Record<string, string> }} [options]
 */
export async function startWranglerDev({ port = 8787, persistDir, inherit = false, ip = "127.0.0.1", vars = {}, script, config, extraEnv = {} } = {}) {
  const args = [
    "dev",
    ...(script ? [script] : []),
    ...(config ? ["--config", config] : []),
    "--port", String(port), "--ip", ip, "--inspector-port", "0", "--show-interactive-dev-session=false",
    ...(persistDir ? ["--persist-to", persistDir] : []),
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  // Local only: the framing check may fetch loopback pages (the demo and test pages are served here),
  // and the demo and test pages under /demo/ are served at all; wrangler.toml leaves both variables
  // out, so production keeps the private-address guard and serves no demo page.
  args.push("--var", "FRAMING_CHECK_ALLOW_PRIVATE:true", "--var", "DEMO_PAGES:true");
  // The secret that signs file links (production sets its own with `wrangler secret put`).
  if (!("FILE_LINK_SECRET" in vars)) args.push("--var", `FILE_LINK_SECRET:${LOCAL_FILE_LINK_SECRET}`);
  const child = spawn(process.execPath, [wranglerJs, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"], detached: !inherit });
  let output = "";
  if (!inherit) {
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
  }
  const base = `http://${ip}:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${base}/login`);
      if (res.ok) return { child, base, output: () => output };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`wrangler dev did not start within 90 s:\n${output}`);
}

/** Stops a wrangler dev started with startWranglerDev (and its workerd). */
export function stopWranglerDev(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

export function buildFrontEnds() {
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("front-end build failed");
}
