/**
 * Who sees which figures, as a matrix: every role asking for every scope and
 * filter gets exactly the answer the tenancy rules give — and the figures a
 * scope shows never include another library's chats it has no part in.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { STAT_REPORTS } from "../../src/shared/stats-api";
import { fileChat, onlyRow, statsApi, statsWorld, tableOf, type StatsWorld } from "./stats-fixtures";

let w: StatsWorld;
const RANGE = "from=2025-06-01&to=2025-06-30";

beforeAll(async () => {
  w = await statsWorld();
  // One chat of each library's patrons, and one Alpha patron answered by Beta.
  await fileChat({ libraryId: w.a.id, at: "2025-06-02T15:00:00Z", librarian: w.aLibrarian.librarian, rating: 5, comment: "Alpha patron's words" });
  await fileChat({ libraryId: w.a.id, at: "2025-06-03T15:00:00Z", librarian: w.bLibrarian.librarian, queueIds: [`lib:${w.a.id}`, `group:${w.groupId}`], rating: 4, comment: "Alpha patron helped by Beta" });
  await fileChat({ libraryId: w.b.id, at: "2025-06-04T15:00:00Z", librarian: w.bLibrarian.librarian });
  await fileChat({ libraryId: w.c.id, at: "2025-06-05T15:00:00Z", librarian: w.cLibrarian.librarian, rating: 1, comment: "Gamma patron's words" });
});

type Who = "aLibrarian" | "aAdmin" | "aGroupAdmin" | "bAdmin" | "cAdmin" | "cGroupAdmin" | "service";
const WHO: Who[] = ["aLibrarian", "aAdmin", "aGroupAdmin", "bAdmin", "cAdmin", "cGroupAdmin", "service"];

/** Each request, and the status each viewer gets (with the field a refusal names). */
function matrix(world: StatsWorld): { query: string; expect: Record<Who, number | [number, string]> }[] {
  const { a, b, c, groupId, cLibrarian, bLibrarian } = world;
  return [
    { query: "", expect: { aLibrarian: 200, aAdmin: 200, aGroupAdmin: 200, bAdmin: 200, cAdmin: 200, cGroupAdmin: 200, service: 200 } },
    { query: "scope=me", expect: { aLibrarian: 200, aAdmin: 200, aGroupAdmin: 200, bAdmin: 200, cAdmin: 200, cGroupAdmin: 200, service: 200 } },
    { query: "scope=library", expect: { aLibrarian: [403, "scope"], aAdmin: 200, aGroupAdmin: 200, bAdmin: 200, cAdmin: 200, cGroupAdmin: 200, service: 200 } },
    { query: `scope=library&library=${a.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: 200, aGroupAdmin: 200, bAdmin: [403, "library"], cAdmin: [403, "library"], cGroupAdmin: [403, "library"], service: 200 } },
    { query: `scope=library&library=${b.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: [403, "library"], aGroupAdmin: [403, "library"], bAdmin: 200, cAdmin: [403, "library"], cGroupAdmin: [403, "library"], service: 200 } },
    { query: "scope=library&library=no-such-library", expect: { aLibrarian: [403, "scope"], aAdmin: [403, "library"], aGroupAdmin: [403, "library"], bAdmin: [403, "library"], cAdmin: [403, "library"], cGroupAdmin: [403, "library"], service: [400, "library"] } },
    { query: `scope=me&library=${b.id}`, expect: { aLibrarian: [403, "library"], aAdmin: [403, "library"], aGroupAdmin: [403, "library"], bAdmin: 200, cAdmin: [403, "library"], cGroupAdmin: [403, "library"], service: [403, "library"] } },
    { query: `scope=group&group=${groupId}`, expect: { aLibrarian: [403, "scope"], aAdmin: [403, "scope"], aGroupAdmin: 200, bAdmin: [403, "scope"], cAdmin: [403, "scope"], cGroupAdmin: [403, "group"], service: 200 } },
    { query: "scope=group&group=no-such-group", expect: { aLibrarian: [403, "scope"], aAdmin: [403, "scope"], aGroupAdmin: [400, "group"], bAdmin: [403, "scope"], cAdmin: [403, "scope"], cGroupAdmin: [400, "group"], service: [400, "group"] } },
    { query: `scope=group&group=${groupId}&library=${c.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: [403, "scope"], aGroupAdmin: [400, "library"], bAdmin: [403, "scope"], cAdmin: [403, "scope"], cGroupAdmin: [403, "group"], service: [400, "library"] } },
    { query: `scope=library&librarian=${cLibrarian.librarian.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: [403, "librarian"], aGroupAdmin: [403, "librarian"], bAdmin: [403, "librarian"], cAdmin: 200, cGroupAdmin: 200, service: 200 } },
    { query: `scope=library&librarian=${bLibrarian.librarian.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: 200, aGroupAdmin: 200, bAdmin: 200, cAdmin: [403, "librarian"], cGroupAdmin: [403, "librarian"], service: 200 } },
    { query: `scope=me&librarian=${bLibrarian.librarian.id}`, expect: { aLibrarian: [403, "librarian"], aAdmin: [403, "librarian"], aGroupAdmin: [403, "librarian"], bAdmin: [403, "librarian"], cAdmin: [403, "librarian"], cGroupAdmin: [403, "librarian"], service: [403, "librarian"] } },
    { query: `scope=library&queue=lib:${c.id}`, expect: { aLibrarian: [403, "scope"], aAdmin: [403, "queue"], aGroupAdmin: [403, "queue"], bAdmin: [403, "queue"], cAdmin: 200, cGroupAdmin: 200, service: 200 } },
    { query: `scope=library&queue=group:${groupId}`, expect: { aLibrarian: [403, "scope"], aAdmin: 200, aGroupAdmin: 200, bAdmin: 200, cAdmin: [403, "queue"], cGroupAdmin: [403, "queue"], service: 200 } },
  ];
}

describe("the tenancy matrix", () => {
  it("answers every viewer × scope exactly as the rules say, for every report", async () => {
    const failures: string[] = [];
    for (const row of matrix(w)) {
      for (const who of WHO) {
        const want = row.expect[who];
        const [status, field] = typeof want === "number" ? [want, undefined] : want;
        // Every report shares the gate: check one report per request, all reports for the first rows.
        const reports = row.query === "" || row.query === "scope=library" ? STAT_REPORTS : (["volume"] as const);
        for (const report of reports) {
          const r = await statsApi<{ error?: { field?: string } }>(`/api/stats/${report}?${RANGE}&${row.query}`, w[who].cookie);
          if (r.status !== status || (field && r.body?.error?.field !== field)) failures.push(`${who} ${report}?${row.query}: ${r.status} ${r.text.slice(0, 160)} (wanted ${status}${field ? ` ${field}` : ""})`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("asks for sign-in first", async () => {
    const r = await statsApi<{ error: { code: string } }>(`/api/stats/volume?${RANGE}`, undefined);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
  });

  it("shows each scope its own chats and nothing else", async () => {
    const requests = async (who: Who, query: string) => onlyRow(tableOf((await statsApi(`/api/stats/volume?${RANGE}&${query}`, w[who].cookie)).body, "totals")).requests;
    expect(await requests("aLibrarian", "")).toBe(1);
    expect(await requests("aAdmin", "scope=library")).toBe(2);
    // Beta counts its own patron and the Alpha patron its librarian answered.
    expect(await requests("bAdmin", "scope=library")).toBe(2);
    expect(await requests("cAdmin", "scope=library")).toBe(1);
    expect(await requests("aGroupAdmin", "scope=group")).toBe(3);
    expect(await requests("service", `scope=group&group=${w.groupId}`)).toBe(3);
    expect(await requests("service", `scope=library&library=${w.c.id}`)).toBe(1);
  });

  it("tells a patron's words only to their own library's administrators: never to a partner, a librarian, another library", async () => {
    const comments = async (who: Who, query: string) => (await statsApi(`/api/stats/feedback?${RANGE}&${query}`, w[who].cookie)).body.comments?.map((c) => c.comment) ?? null;
    expect(await comments("aAdmin", "scope=library")).toEqual(["Alpha patron helped by Beta", "Alpha patron's words"]);
    expect(await comments("bAdmin", "scope=library")).toEqual([]);
    expect(await comments("aLibrarian", "")).toBeNull();
    // A group administrator reads the cooperative's figures, and only their own library's patrons' words.
    expect(await comments("aGroupAdmin", "scope=group")).toEqual(["Alpha patron helped by Beta", "Alpha patron's words"]);
    expect(await comments("cAdmin", "scope=library")).toEqual(["Gamma patron's words"]);
    for (const who of ["bAdmin", "cAdmin", "aLibrarian"] as const) {
      for (const report of STAT_REPORTS) {
        const r = await statsApi(`/api/stats/${report}?${RANGE}`, w[who].cookie);
        if (who !== "cAdmin") expect(r.text).not.toContain("Alpha patron");
        if (who !== "cAdmin") expect(r.text).not.toContain("Gamma");
      }
    }
  });

  it("offers each viewer only what they may choose", async () => {
    const options = async (who: Who, query = "") => (await statsApi<{ scopes: { value: string }[]; groups: { value: string }[]; libraries: { value: string }[] }>(`/api/stats/options?${query}`, w[who].cookie)).body;
    expect((await options("aLibrarian")).scopes.map((s) => s.value)).toEqual(["me"]);
    expect((await options("aAdmin")).scopes.map((s) => s.value)).toEqual(["me", "library"]);
    expect((await options("aGroupAdmin")).groups.map((g) => g.value)).toEqual([w.groupId]);
    expect((await options("aGroupAdmin", "scope=group")).libraries.map((l) => l.value).sort()).toEqual([w.a.id, w.b.id].sort());
    expect((await options("cGroupAdmin")).groups).toEqual([]);
  });
});
