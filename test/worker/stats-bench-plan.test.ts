/**
 * The statistics benchmark, quick: the statewide cooperative `npm run
 * bench:stats` times (bench/lib/statewide-plan.mjs) at a small size — six
 * libraries, two weeks across the spring change of clocks — written as the
 * benchmark writes it (scripts/stats-history.ts, through the product's own
 * fact, rollup and presence code). Every request the benchmark times answers
 * here, and the figures it times are right: every chat of the history counted
 * once, each member's figures adding up to the cooperative's, and the
 * cooperative's rollups giving what counting its facts gives. Nothing is timed
 * here: the figures are the benchmark's.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { STATEWIDE_GROUP, STATEWIDE_VIEWERS, statewideCases, statewideLibraryId, statewidePlan, statewideRows, type StatewideViewer } from "../../bench/lib/statewide-plan";
import { writeHistory } from "../../scripts/stats-history";
import type { Librarian } from "../../src/auth/librarian";
import { hashPassword } from "../../src/auth/password";
import { DEFAULT_DESCRIPTIVE_CODES } from "../../src/shared/codes";
import { STAT_REPORTS, type StatsQuery } from "../../src/shared/stats-api";
import { codeCells, hourCells, pairCells, peopleCells, windowOf, type CellQuery } from "../../src/stats/cells";
import { dayNumber } from "../../src/stats/local-time";
import { resolveScope } from "../../src/stats/scope";
import { signIn } from "./helpers";
import { onlyRow, statsApi, tableOf } from "./stats-fixtures";

const RANGE = { from: "2025-03-03", to: "2025-03-16" };
const PASSWORD = "refdesk-demo";
let written: { chats: number; spans: number };
const cookies: Partial<Record<StatewideViewer, string>> = {};

beforeAll(async () => {
  const plan = statewidePlan({ chats: 1200, libraries: 6, ...RANGE, codes: DEFAULT_DESCRIPTIVE_CODES.map((c) => c.code) });
  const statements: D1PreparedStatement[] = [];
  const insert = (table: string, columns: readonly string[], values: readonly unknown[]) => {
    statements.push(env.DB.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).bind(...values));
  };
  written = statewideRows(plan, { insert, writeHistory, descriptiveCodes: DEFAULT_DESCRIPTIVE_CODES, passwordHash: await hashPassword(PASSWORD, 1000), now: Date.now() });
  for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
  // The stretches written are counted already, as the benchmark has it: the presence catch-up starts after them.
  await env.DB.prepare("UPDATE stat_cursors SET position = (SELECT max(rowid) FROM monitoring_spans) WHERE name = 'presence'").run();
  for (const [as, email] of Object.entries(STATEWIDE_VIEWERS) as [StatewideViewer, string][]) cookies[as] = await signIn({ email, password: PASSWORD, id: "", name: "", libraryId: "" });
}, 120_000);

describe("the statistics benchmark, quick", () => {
  it("writes a history the size asked for", () => {
    expect(written.chats).toBeGreaterThan(900);
    expect(written.chats).toBeLessThan(1500);
    expect(written.spans).toBeGreaterThan(100);
  });

  it("answers every request the benchmark times, which asks for every report", async () => {
    const cases = statewideCases(RANGE);
    expect(new Set(cases.filter((c) => c.url.startsWith("/api/stats/")).map((c) => c.url.split("?")[0]!.split("/")[3]))).toEqual(new Set(STAT_REPORTS));
    expect(new Set(cases.filter((c) => c.url.startsWith("/stats/")).map((c) => c.url.split("?")[0]!.split("/")[2]))).toEqual(new Set(STAT_REPORTS));
    const failed: string[] = [];
    for (const c of cases) {
      const r = await statsApi(c.url, cookies[c.as]);
      if (r.status !== 200) failed.push(`${c.name}: ${r.status} ${r.text.slice(0, 200)}`);
      else if (c.url.startsWith("/api/stats/") && !c.url.includes(".csv") && r.body.tables.length === 0) failed.push(`${c.name}: no tables`);
    }
    expect(failed).toEqual([]);
  }, 60_000);

  it("counts every chat of the history once, and each member's figures add up to the cooperative's", async () => {
    const totals = async (query: string) => onlyRow(tableOf((await statsApi(`/api/stats/volume?from=${RANGE.from}&to=${RANGE.to}&scope=group&group=${STATEWIDE_GROUP}&${query}`, cookies.group)).body, "totals"));
    const whole = await totals("leftOut=include");
    expect(whole.requests).toBe(written.chats);
    let members = 0;
    for (let n = 1; n <= 6; n++) members += Number((await totals(`leftOut=include&library=${statewideLibraryId(n)}`)).requests);
    // A chat a partner answered counts for both its patron's library and the partner.
    expect(members - Number(whole.partner_answered)).toBe(whole.requests);
    expect(Number(whole.partner_answered)).toBeGreaterThan(0);
  });

  it("the cooperative's rollups, whole and sliced, give what counting its facts gives", async () => {
    const viewer = (await env.DB.prepare("SELECT id, library_id AS libraryId, display_name AS displayName, email, role FROM librarians WHERE email = ?").bind(STATEWIDE_VIEWERS.group).first()) as unknown as Librarian;
    const filters: Partial<StatsQuery>[] = [{}, { resolution: "followup_by_library" }, { source: "qwidget" }, { answered: "partner" }, { queue: `group:${STATEWIDE_GROUP}` }, { code: "research_help" }, { rating: "5" }, { rating: "unrated" }];
    const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
    for (const filter of filters) {
      const q = { scope: "group" as const, group: STATEWIDE_GROUP, ...filter };
      const scope = await resolveScope(env.DB, viewer, q);
      expect(scope.slice, JSON.stringify(filter)).not.toBeNull();
      const rollups: CellQuery = { d1: env.DB, scope, q, window: windowOf(scope.zone, dayNumber(RANGE.from), dayNumber(RANGE.to)) };
      const facts: CellQuery = { ...rollups, scope: { ...scope, slice: null } };
      for (const grouping of ["day", "weekday-hour", "day-hour"] as const) {
        expect(sorted(await hourCells(rollups, grouping)), `${JSON.stringify(filter)} ${grouping}`).toEqual(sorted(await hourCells(facts, grouping)));
      }
      expect(sorted(await codeCells(rollups, "week"))).toEqual(sorted(await codeCells(facts, "week")));
      expect(sorted(await pairCells(rollups))).toEqual(sorted(await pairCells(facts)));
      expect(sorted(await peopleCells(rollups))).toEqual(sorted(await peopleCells(facts)));
    }
  }, 60_000);
});
