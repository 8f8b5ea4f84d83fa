/**
 * The edges: days and hours across a change of clocks in the library's zone
 * and across midnight, a zone half an hour off UTC; CSV parsed back equal to
 * its table, safe in a spreadsheet; and every bad filter a clear 400 (never a
 * 5xx), on the API and on the page.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { statsQuerySchema } from "../../src/shared/stats-api";
import { dayNumber, offsetSegments, startOfLocalDay, utcRange } from "../../src/stats/local-time";
import { call, createLibrarian, createLibrary, signIn } from "./helpers";
import { fileChat, onlyRow, parseCsv, rowOf, statsApi, statsWorld, tableOf, type StatsWorld } from "./stats-fixtures";

let w: StatsWorld;

beforeAll(async () => {
  w = await statsWorld();
  const a = w.a.id;
  for (const at of [
    "2025-03-09T05:30:00Z", // 23:30 CST, Saturday 8 March
    "2025-03-09T07:30:00Z", // 01:30 CST, Sunday 9 March
    "2025-03-09T08:30:00Z", // 03:30 CDT: clocks jumped from 02:00 to 03:00
    "2025-03-10T04:59:00Z", // 23:59 CDT, Sunday 9 March
    "2025-03-10T05:00:00Z", // 00:00 CDT, Monday 10 March
    "2025-11-02T06:30:00Z", // 01:30 CDT, Sunday 2 November
    "2025-11-02T07:30:00Z", // 01:30 CST: the same hour again after clocks fell back
    "2025-11-03T05:59:00Z", // 23:59 CST, Sunday 2 November
    "2025-11-03T06:00:00Z", // 00:00 CST, Monday 3 November
  ]) {
    await fileChat({ libraryId: a, at, librarian: w.aLibrarian.librarian });
  }
});

const report = async (query: string, cookie = w.aAdmin.cookie) => {
  const r = await statsApi(`/api/stats/when?scope=library&${query}`, cookie);
  expect(r.status, r.text).toBe(200);
  return r.body;
};
const requestsOn = async (from: string, to = from, cookie = w.aAdmin.cookie, scope = "scope=library") =>
  onlyRow(tableOf((await statsApi(`/api/stats/volume?${scope}&from=${from}&to=${to}`, cookie)).body, "totals")).requests;

describe("days and hours in the library's zone", () => {
  it("springs forward: the day of 23 hours has no 02:00, and keeps its late evening", async () => {
    expect(await requestsOn("2025-03-08")).toBe(1);
    expect(await requestsOn("2025-03-09")).toBe(3);
    expect(await requestsOn("2025-03-10")).toBe(1);
    const hours = tableOf(await report("from=2025-03-09&to=2025-03-09"), "by-hour");
    expect([rowOf(hours, "01:00").requests, rowOf(hours, "02:00").requests, rowOf(hours, "03:00").requests, rowOf(hours, "23:00").requests]).toEqual([1, 0, 1, 1]);
  });

  it("falls back: both 01:30s count in 01:00 of a day of 25 hours", async () => {
    expect(await requestsOn("2025-11-02")).toBe(3);
    expect(await requestsOn("2025-11-03")).toBe(1);
    expect(rowOf(tableOf(await report("from=2025-11-02&to=2025-11-02"), "by-hour"), "01:00").requests).toBe(2);
  });

  it("a range across midnight holds exactly its days", async () => {
    expect(await requestsOn("2025-03-08", "2025-03-09")).toBe(4);
    expect(await requestsOn("2025-03-09", "2025-03-10")).toBe(4);
    expect(await requestsOn("2025-03-08", "2025-11-03")).toBe(9);
  });

  it("the cooperative's rollups put each chat in the same day and hour across the changes", async () => {
    const scope = `scope=group&group=${w.groupId}`;
    expect(await requestsOn("2025-03-09", "2025-03-09", w.aGroupAdmin.cookie, scope)).toBe(3);
    expect(await requestsOn("2025-11-02", "2025-11-02", w.aGroupAdmin.cookie, scope)).toBe(3);
    const hours = tableOf((await statsApi(`/api/stats/when?${scope}&from=2025-11-02&to=2025-11-02`, w.aGroupAdmin.cookie)).body, "by-hour");
    expect(rowOf(hours, "01:00").requests).toBe(2);
  });

  it("counts in a zone half an hour off UTC", async () => {
    const library = await createLibrary({ name: "Kolkata Library", timeZone: "Asia/Kolkata" });
    const admin = await createLibrarian(library.id, "Kiran", "library_admin");
    await fileChat({ libraryId: library.id, at: "2025-03-03T18:45:00Z", librarian: admin }); // 00:15 on 4 March
    const cookie = await signIn(admin);
    expect(await requestsOn("2025-03-03", "2025-03-03", cookie)).toBe(0);
    expect(await requestsOn("2025-03-04", "2025-03-04", cookie)).toBe(1);
    expect(rowOf(tableOf(await report("from=2025-03-04&to=2025-03-04", cookie), "by-hour"), "00:00").requests).toBe(1);
  });

  it("finds the instants the zone's days begin and where its clocks change", () => {
    expect(new Date(startOfLocalDay("America/Chicago", dayNumber("2025-03-09"))).toISOString()).toBe("2025-03-09T06:00:00.000Z");
    expect(new Date(startOfLocalDay("America/Chicago", dayNumber("2025-03-10"))).toISOString()).toBe("2025-03-10T05:00:00.000Z");
    expect(new Date(startOfLocalDay("America/Sao_Paulo", dayNumber("2018-11-04"))).toISOString()).toBe("2018-11-04T03:00:00.000Z"); // midnight skipped: the day starts at 01:00
    const { fromMs, toMs } = utcRange("America/Chicago", dayNumber("2025-01-01"), dayNumber("2025-12-31"));
    expect(offsetSegments("America/Chicago", fromMs, toMs).map((s) => [new Date(s.fromMs).toISOString(), s.offsetMs / 3_600_000])).toEqual([
      ["2025-01-01T06:00:00.000Z", -6],
      ["2025-03-09T08:00:00.000Z", -5],
      ["2025-11-02T07:00:00.000Z", -6],
    ]);
  });
});

describe("CSV", () => {
  it("is exactly the table: RFC 4180, UTF-8, a header row naming the zone, ISO days", async () => {
    const query = "scope=library&from=2025-03-08&to=2025-03-10";
    const json = (await statsApi(`/api/stats/volume?${query}`, w.aAdmin.cookie)).body;
    const res = await call(`/api/stats/volume/by-day.csv?${query}`, { cookie: w.aAdmin.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="refdesk-volume-by-day-2025-03-08-to-2025-03-10.csv"');
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("Day (America/Chicago),Requests,Answered,Turned away,Abandoned while waiting,Ended automatically");
    expect(text.endsWith("\r\n")).toBe(true);
    const table = tableOf(json, "by-day");
    expect(parseCsv(text)).toEqual([table.columns.map((c) => c.label), ...table.rows.map((r) => r.map((cell) => (cell === null ? "" : String(cell))))]);
    expect(parseCsv(text)[1]).toEqual(["2025-03-08", "1", "1", "0", "0", "0"]);
  });

  it("every table of every report parses back to its own rows", async () => {
    for (const name of ["volume", "when", "waits", "codes", "people", "cooperative", "planning", "feedback"]) {
      const query = `scope=group&group=${w.groupId}&from=2025-03-01&to=2025-03-31`;
      const built = (await statsApi(`/api/stats/${name}?${query}`, w.aGroupAdmin.cookie)).body;
      for (const table of built.tables) {
        const res = await call(`/api/stats/${name}/${table.id}.csv?${query}`, { cookie: w.aGroupAdmin.cookie });
        expect(res.status, `${name}/${table.id}`).toBe(200);
        expect(parseCsv(await res.text()), `${name}/${table.id}`).toEqual([table.columns.map((c) => c.label), ...table.rows.map((r) => r.map((cell) => (cell === null ? "" : String(cell))))]);
      }
    }
  });

  it("neutralises text a spreadsheet would run as a formula, and quotes commas and quotes", async () => {
    const library = await createLibrary({ name: 'Smith, "Jones" & Co', timeZone: "UTC" });
    const admin = await createLibrarian(library.id, "Admin", "library_admin");
    for (const name of ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)"]) {
      await fileChat({ libraryId: library.id, at: "2025-04-01T12:00:00Z", librarian: await createLibrarian(library.id, name) });
    }
    const res = await call(`/api/stats/people/librarians.csv?scope=library&from=2025-04-01&to=2025-04-01`, { cookie: await signIn(admin) });
    const text = await res.text();
    const rows = parseCsv(text).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(["'+1+1", "'-2+3", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1)"].sort());
    expect(rows.map((r) => r[1])).toEqual(Array(4).fill('Smith, "Jones" & Co'));
    expect(text).toContain('"Smith, ""Jones"" & Co"');
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"');
  });

  it("writes negative numbers as numbers", async () => {
    const res = await call(`/api/stats/cooperative/balance.csv?scope=group&group=${w.groupId}&from=2025-03-01&to=2025-03-31`, { cookie: w.aGroupAdmin.cookie });
    expect(await res.text()).not.toContain("'-");
  });

  it("answers 404 for a table the report does not have", async () => {
    const r = await statsApi<{ error: { code: string } }>("/api/stats/volume/no-such-table.csv?scope=library", w.aAdmin.cookie);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
  });
});

describe("bad filters", () => {
  const BAD: [string, string][] = [
    ["from=2025-03-10&to=2025-03-01", "to"],
    ["from=0000-01-01&to=2025-01-01", "from"],
    ["from=2025-01-01&to=9999-12-31", "to"],
    ["from=2000-01-01&to=2099-12-31", "to"],
    ["from=2025-02-30", "from"],
    ["from=03/01/2025", "from"],
    ["to=2024-01-01&from=2025-01-01", "to"],
    ["resolution=resolved", "resolution"],
    ["code=not_a_code_anywhere", "code"],
    ["code=Not A Code!", "code"],
    ["scope=everyone", "scope"],
    ["rating=6", "rating"],
    ["answered=maybe", "answered"],
    ["source=email", "source"],
    ["site=javascript:alert(1)", "site"],
    ["site=https://www.alpha.example/path", "site"],
    ["queue=lib:../etc", "queue"],
    ["queue=lib:no-such-library", "queue"],
    ["librarian=nobody-here", "librarian"],
    ["leftOut=maybe", "leftOut"],
    ["group=some-group", "group"],
  ];

  it.each(BAD)("%s is a 400 naming %s", async (query, field) => {
    const r = await statsApi<{ error: { code: string; message: string; field?: string } }>(`/api/stats/volume?${query.startsWith("scope=") ? "" : "scope=library&"}${query}`, w.aAdmin.cookie);
    expect(r.status, r.text).toBe(400);
    expect(r.body.error).toMatchObject({ code: "validation_failed", field });
    expect(r.body.error.message.length).toBeGreaterThan(5);
  });

  it("an unknown report is a 404", async () => {
    expect((await statsApi("/api/stats/everything", w.aAdmin.cookie)).status).toBe(404);
    expect((await call("/stats/everything", { cookie: w.aAdmin.cookie })).status).toBe(404);
  });

  it("no query string reaches a 5xx", async () => {
    const keys = Object.keys(statsQuerySchema.shape);
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("2025-03-01", "0000-00-00", "9999-12-31", "lib:x", "group:x", "include", "me", "group", "library", "5", "", "https://x.example"), fc.integer().map(String));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }), fc.constantFrom("volume", "when", "waits", "codes", "people", "cooperative", "planning", "feedback"), async (params, name) => {
        const r = await call(`/api/stats/${name}?${new URLSearchParams(params)}`, { cookie: w.aGroupAdmin.cookie });
        await r.arrayBuffer();
        return r.status < 500;
      }),
      { numRuns: 60 },
    );
  });

  it("the page shows the problem at its field, with the form kept", async () => {
    const res = await call("/stats/volume?scope=library&from=2025-03-10&to=2025-03-01", { cookie: w.aAdmin.cookie });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain("The last day is before the first day");
    expect(page).toMatch(/id="f-to"[^>]*aria-invalid="true"/);
    expect(page).toContain('value="2025-03-10"');
  });
});

describe("the page", () => {
  it("shows each report's chart, table and CSV link, reached from the report links", async () => {
    const res = await call(`/stats/volume?scope=group&group=${w.groupId}&from=2025-03-01&to=2025-03-31`, { cookie: w.aGroupAdmin.cookie });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(page).toContain(`href="/api/stats/volume/by-day.csv?scope=group&amp;group=${w.groupId}&amp;from=2025-03-01&amp;to=2025-03-31"`);
    expect(page).toContain(`href="/stats/planning?scope=group&amp;group=${w.groupId}&amp;from=2025-03-01&amp;to=2025-03-31"`);
    expect(page).toMatch(/<a href="\/stats\/volume[^"]*" aria-current="page">Volume<\/a>/);
    expect(page).toContain("<caption");
  });

  it("asks for sign-in and comes back", async () => {
    const res = await call("/stats/waits?from=2025-03-01", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/stats/waits?from=2025-03-01")}`);
  });

  it("refuses another library's figures with the same rules as the API", async () => {
    const res = await call(`/stats/volume?scope=library&library=${w.b.id}`, { cookie: w.aAdmin.cookie });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("Beta Library</td>");
  });

  it("is linked from the questions module's navigation", async () => {
    const page = await (await call("/questions", { cookie: w.aAdmin.cookie })).text();
    expect(page).toContain('<a href="/stats">Statistics</a>');
  });
});
