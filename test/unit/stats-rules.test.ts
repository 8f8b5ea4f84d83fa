/**
 * The statistics' pure rules in plain Node: outcomes, bins and percentiles as
 * docs/statistics.md defines them; a person's monitoring counted once across
 * queues; time split at local hours across changes of clocks; the slices a
 * chat counts in and the slice a query reads; CSV fields safe in a
 * spreadsheet; charts that never rely on colour alone.
 */
import { describe, expect, it } from "vitest";
import { chartSvg } from "../../src/stats/charts";
import { neutralised, tableCsv } from "../../src/stats/csv";
import { binOf, countWithin, meanRating, outcomeOf, percentileS, staffingNeeded, WAIT_EDGES_S } from "../../src/stats/definitions";
import type { StatFact } from "../../src/stats/fact";
import { localHourPieces, presenceRows, uncovered } from "../../src/stats/presence";
import { sliceFor, slicesOf } from "../../src/stats/slices";
import type { StatTable } from "../../src/shared/stats-api";

const bins = (waitsS: number[]) => {
  const out = Array(WAIT_EDGES_S.length + 1).fill(0) as number[];
  for (const w of waitsS) out[binOf(w * 1000, WAIT_EDGES_S)]! += 1;
  return out;
};

describe("definitions", () => {
  it("gives every request exactly one outcome", () => {
    expect(outcomeOf(1000, false)).toBe("answered");
    expect(outcomeOf(1000, true)).toBe("answered");
    expect(outcomeOf(null, true)).toBe("turned_away");
    expect(outcomeOf(null, false)).toBe("abandoned");
  });

  it("bins a wait by the first edge it does not pass (edges inclusive)", () => {
    expect(binOf(0, WAIT_EDGES_S)).toBe(0);
    expect(binOf(10_000, WAIT_EDGES_S)).toBe(0);
    expect(binOf(10_001, WAIT_EDGES_S)).toBe(1);
    expect(binOf(600_000, WAIT_EDGES_S)).toBe(9);
    expect(binOf(600_001, WAIT_EDGES_S)).toBe(10);
  });

  it("reads percentiles by nearest rank at the bin's edge, never beyond the longest", () => {
    expect(percentileS(bins([5, 25, 70, 200]), WAIT_EDGES_S, 50, 200_000)).toBe(30);
    expect(percentileS(bins([5, 25, 70, 200]), WAIT_EDGES_S, 90, 200_000)).toBe(200);
    expect(percentileS(bins([4]), WAIT_EDGES_S, 50, 4_000)).toBe(4);
    expect(percentileS(bins([700, 900]), WAIT_EDGES_S, 50, 900_000)).toBe(900);
    expect(percentileS(bins([]), WAIT_EDGES_S, 50, 0)).toBeNull();
    expect(countWithin(bins([5, 25, 30, 31, 61, 120, 121]), 30)).toBe(3);
    expect(countWithin(bins([5, 25, 30, 31, 61, 120, 121]), 120)).toBe(6);
    expect(() => countWithin(bins([]), 40)).toThrow();
  });

  it("rates and staffs as defined", () => {
    expect(meanRating([0, 0, 0, 1, 1])).toBe(4.5);
    expect(meanRating([0, 0, 0, 0, 0])).toBeNull();
    expect(staffingNeeded(0, null)).toBe(0);
    expect(staffingNeeded(1, 600_000)).toBe(1);
    // 30 requests an hour of 10 minutes: 5 chats at once, 2 a librarian.
    expect(staffingNeeded(30, 600_000)).toBe(3);
  });

});

describe("presence", () => {
  it("subtracts what a person's other stretches already covered", () => {
    expect(uncovered([10, 100], [])).toEqual([[10, 100]]);
    expect(uncovered([10, 100], [[0, 20], [50, 60], [90, 200]])).toEqual([
      [20, 50],
      [60, 90],
    ]);
    expect(uncovered([10, 100], [[0, 200]])).toEqual([]);
  });

  it("splits time at the zone's local hours, across a change of clocks", () => {
    // 00:30 to 03:30 Chicago on 9 March 2025 (clocks jump 02:00 → 03:00): 00:30–01:00, 01:00–02:00, 03:00–03:30.
    const pieces = localHourPieces("America/Chicago", Date.parse("2025-03-09T06:30:00Z"), Date.parse("2025-03-09T08:30:00Z"));
    expect(pieces.map((p) => [p.hour, p.ms / 60_000])).toEqual([
      [0, 30],
      [1, 60],
      [3, 30],
    ]);
    // Kolkata is 5:30 ahead: 08:00–09:00 UTC is 13:30–14:30 there.
    expect(localHourPieces("Asia/Kolkata", Date.parse("2025-03-03T08:00:00Z"), Date.parse("2025-03-03T09:00:00Z")).map((p) => [p.hour, p.ms / 60_000])).toEqual([
      [13, 30],
      [14, 30],
    ]);
  });

  it("adds a stretch's whole length to its queue, and to the person only what is new", () => {
    const rows = presenceRows(
      { queueId: "group:g", librarianId: "l", libraryId: "a", startedAt: Date.parse("2025-03-03T16:00:00Z"), endedAt: Date.parse("2025-03-03T18:00:00Z") },
      [[Date.parse("2025-03-03T15:00:00Z"), Date.parse("2025-03-03T17:00:00Z")]],
      { libraryZone: "UTC", groups: [{ groupId: "g", zone: "UTC" }] },
    );
    const sum = (table: string, column: string) => rows.filter((r) => r.table === table).reduce((a, r) => a + (r.values[column] ?? 0), 0) / 3_600_000;
    expect(sum("stat_presence_hours", "queue_ms")).toBe(2);
    expect(sum("stat_presence_hours", "person_ms")).toBe(1);
    expect(sum("stat_group_presence_hours", "group_queue_ms")).toBe(2);
    expect(sum("stat_group_presence_hours", "person_ms")).toBe(1);
  });
});

describe("slices", () => {
  const fact = (over: Partial<StatFact>): StatFact => ({
    sessionId: "s",
    libraryId: "a",
    answeringLibraryId: "b",
    librarianId: "l",
    formId: null,
    homeQueueId: "lib:a",
    acceptedQueueId: "group:g",
    queueIds: ["lib:a", "group:g"],
    queueCount: 2,
    patronOrigin: "https://www.a.example",
    source: "chat",
    outcome: "answered",
    resolution: "answered",
    codes: ["genealogy", "renewals"],
    endedAutomatically: false,
    leftOut: false,
    createdAt: 0,
    acceptedAt: 1,
    endedAt: 2,
    waitMs: 1,
    durationMs: 1,
    waitBin: 0,
    durationBin: 0,
    patronMessages: 1,
    librarianMessages: 1,
    rating: 4,
    groupIds: ["g"],
    ...over,
  });

  it("counts a chat whole and in the slice of each of its values", () => {
    expect(slicesOf(fact({}), "g")).toEqual(["", "resolution:answered", "source:qwidget", "answered:partner", "queue:group:g", "code:genealogy", "code:renewals", "rating:4", "rating:rated"]);
    expect(slicesOf(fact({ outcome: "turned_away", answeringLibraryId: null, librarianId: null, rating: null, codes: [], patronOrigin: null, queueIds: ["lib:a"] }), "g")).toEqual(["", "resolution:answered", "source:hosted"]);
    expect(slicesOf(fact({ rating: null }), "g")).toContain("rating:unrated");
  });

  it("reads one slice per query, or none (the facts) for a narrowing filter or two slice filters", () => {
    expect(sliceFor({}, "g")).toBe("");
    expect(sliceFor({ code: "genealogy" }, "g")).toBe("code:genealogy");
    expect(sliceFor({ queue: "group:g" }, "g")).toBe("queue:group:g");
    expect(sliceFor({ queue: "lib:a" }, "g")).toBeNull();
    expect(sliceFor({ code: "genealogy", rating: "5" }, "g")).toBeNull();
    expect(sliceFor({ library: "a" }, "g")).toBeNull();
    expect(sliceFor({ leftOut: "include", from: "2025-01-01" }, "g")).toBe("");
  });
});

describe("CSV and charts", () => {
  const t: StatTable = {
    id: "t",
    title: "T <script>",
    description: "",
    columns: [
      { key: "name", label: "Name", kind: "text" },
      { key: "a", label: "A", kind: "count" },
      { key: "b", label: "B", kind: "count" },
    ],
    rows: [
      ['=cmd|"/c calc"!A1', -3, null],
      ["Smith, Jo", 2, 5],
    ],
    chart: { type: "bars", x: "name", series: ["a", "b"], unit: "chats" },
  };

  it("writes RFC 4180 with formulas neutralised and numbers left numbers", () => {
    expect(tableCsv(t)).toBe('Name,A,B\r\n"\'=cmd|""/c calc""!A1",-3,\r\n"Smith, Jo",2,5\r\n');
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(neutralised(`${start}x`)).toBe(`'${start}x`);
    expect(neutralised("plain")).toBe("plain");
  });

  it("draws every series with its own pattern and a legend, and escapes every text", () => {
    const svg = chartSvg("c", t);
    expect(svg).toContain('role="img"');
    expect(svg).toContain("url(#c-p0)");
    expect(svg).toContain("url(#c-p1)");
    expect(svg).toContain(">A</text>");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("T &lt;script&gt;");
    const heat = chartSvg("h", { ...t, chart: { type: "heatmap", x: "name", series: ["a", "b"], unit: "chats" } });
    // A heatmap writes its number in every cell.
    expect(heat).toContain(">5</text>");
    expect(heat).toContain(">2</text>");
  });
});
