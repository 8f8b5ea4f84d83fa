// The statewide cooperative the statistics benchmark reads, and what it asks
// of it: shared by bench/stats.mjs (a year, about 1,000,000 chats, timed) and
// the suite's quick version (test/worker/stats-bench-plan.test.ts: the same
// cooperative at a small size, every request answered and counted right).
// Node loads this file as it is (types stripped), so it imports nothing but
// types: the codes and the history writer are handed in.
import type { HistoryPlan, HistorySink } from "../../scripts/stats-history";

export const STATEWIDE_GROUP = "bench-statewide";

/** A library's id: bench-stats-01 … */
export const statewideLibraryId = (n: number) => `bench-stats-${String(n).padStart(2, "0")}`;
const zoneOf = (n: number) => (n > 45 ? "America/Denver" : "America/Chicago");
const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/** The first librarian of library 1 is the group administrator; each other library's first is its administrator; the rest are librarians. */
const emailOf = (libraryNumber: number, librarianNumber: number) => `${statewideLibraryId(libraryNumber)}-l${librarianNumber}@bench.example`;

/** Whom each case asks as: the group administrator, library 2's administrator, a librarian of library 2. */
export const STATEWIDE_VIEWERS = { group: emailOf(1, 1), library: emailOf(2, 1), librarian: emailOf(2, 2) };
export type StatewideViewer = keyof typeof STATEWIDE_VIEWERS;

export interface StatewideSize {
  /** About how many chats the range holds. */
  chats: number;
  libraries: number;
  /** The range, as ISO dates (inclusive). */
  from: string;
  to: string;
  /** Descriptive codes, most used first. */
  codes: string[];
}

/**
 * The cooperative's plan for scripts/stats-history.ts: libraries of different
 * sizes, six librarians each, evening and weekend shifts on the group queue;
 * requests spread so the range holds about `chats` (weekends 0.45 of a weekday).
 */
export function statewidePlan({ chats, libraries, from, to, codes }: StatewideSize): HistoryPlan {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const sizes = Array.from({ length: libraries }, () => 0.3 + next() * 1.7);
  const days = dayOf(to) - dayOf(from) + 1;
  const perWeekday = chats / ((days * (5 + 2 * 0.45)) / 7);
  const total = sizes.reduce((a, b) => a + b, 0);
  const id = statewideLibraryId;
  const planned = sizes.map((s, i) => ({
    id: id(i + 1),
    timeZone: zoneOf(i + 1),
    librarians: Array.from({ length: 6 }, (_, k) => `${id(i + 1)}-l${k + 1}`),
    site: `https://www.${id(i + 1)}.example`,
    dailyRequests: (perWeekday * s) / total,
    opens: 8 + (i % 3),
    closes: 18 + (i % 4),
    weekendOpens: 10,
    weekendCloses: i % 2 ? 17 : 14,
  }));
  const shifts: HistoryPlan["shifts"] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const weekend = weekday >= 6;
    const hours: [number, number][] = weekend ? [[17, 21], [21, 24]] : [[21, 24], [0, 7]];
    for (const [start, end] of hours) shifts.push({ libraryId: id(((weekday * 7 + start) % libraries) + 1), weekday, from: start, to: end });
  }
  return {
    seed: 20251231,
    fromDay: dayOf(from),
    toDay: dayOf(to),
    untilMs: Date.parse(`${to}T23:59:59Z`) + 86_400_000,
    groupId: STATEWIDE_GROUP,
    groupZone: "America/Chicago",
    libraries: planned,
    shifts,
    codes,
    comments: 200,
  };
}

export interface StatewideWriter {
  insert: HistorySink["row"];
  /** scripts/stats-history.ts's. */
  writeHistory: (plan: HistoryPlan, sink: HistorySink) => { chats: number; spans: number };
  /** Each library's descriptive codes. */
  descriptiveCodes: readonly { code: string; label: string }[];
  passwordHash: string;
  now: number;
}

/**
 * Every row of the cooperative — the group, its libraries, codes, librarians
 * (all with `passwordHash`) and coverage shifts — then its history, through `insert`.
 */
export function statewideRows(plan: HistoryPlan, { insert, writeHistory, descriptiveCodes, passwordHash, now }: StatewideWriter): { chats: number; spans: number } {
  insert("groups", ["id", "name", "created_at"], [plan.groupId, "Statewide benchmark cooperative", now]);
  for (const [i, lib] of plan.libraries.entries()) {
    insert("libraries", ["id", "name", "time_zone", "allowed_origins", "created_at"], [lib.id, `Benchmark library ${i + 1}`, lib.timeZone, JSON.stringify([lib.site]), now]);
    insert("group_members", ["group_id", "library_id", "position", "created_at"], [plan.groupId, lib.id, 0, now]);
    descriptiveCodes.forEach((c, k) => insert("descriptive_codes", ["library_id", "code", "label", "active", "position", "created_at"], [lib.id, c.code, c.label, 1, k, now]));
    lib.librarians.forEach((l, k) =>
      insert("librarians", ["id", "library_id", "email", "display_name", "password_hash", "role", "created_at"], [l, lib.id, `${l}@bench.example`, `Librarian ${k + 1} of library ${i + 1}`, passwordHash, k === 0 ? (i === 0 ? "group_admin" : "library_admin") : "librarian", now]),
    );
  }
  for (const s of plan.shifts) {
    insert("coverage_shifts", ["group_id", "library_id", "time_zone", "weekday", "start_minute", "end_minute", "ends_next_day", "created_at"], [plan.groupId, s.libraryId, zoneOf(Number(s.libraryId.slice(-2))), s.weekday, s.from * 60, s.to * 60, 0, now]);
  }
  return writeHistory(plan, { row: insert });
}

const REPORTS = ["volume", "when", "waits", "codes", "people", "cooperative", "planning", "feedback"] as const;

export interface StatewideCase {
  name: string;
  url: string;
  as: StatewideViewer;
}

/**
 * What the benchmark asks, as its users would: every report for the whole
 * cooperative (rollups), one library, one librarian's own, the cooperative
 * filtered every way, and the page; and a CSV.
 */
export function statewideCases({ from, to }: { from: string; to: string }): StatewideCase[] {
  const range = `from=${from}&to=${to}`;
  const group = `scope=group&group=${STATEWIDE_GROUP}&${range}`;
  const id = statewideLibraryId;
  const cases: StatewideCase[] = [];
  for (const report of REPORTS) {
    cases.push({ name: `${report}: the cooperative, a year (rollups)`, url: `/api/stats/${report}?${group}`, as: "group" });
    cases.push({ name: `${report}: one library, a year`, url: `/api/stats/${report}?scope=library&${range}`, as: "library" });
    cases.push({ name: `${report}: a librarian's own, a year`, url: `/api/stats/${report}?${range}`, as: "librarian" });
    for (const [label, filter] of [
      ["one member", `library=${id(3)}`],
      ["one librarian", `librarian=${id(3)}-l2`],
      ["a descriptive code", "code=research_help"],
      ["a resolution", "resolution=followup_by_library"],
      ["rated 5", "rating=5"],
      ["answered by a partner", "answered=partner"],
      ["the group queue", `queue=group:${STATEWIDE_GROUP}`],
    ] as const) {
      cases.push({ name: `${report}: the cooperative, ${label}`, url: `/api/stats/${report}?${group}&${filter}`, as: "group" });
    }
    cases.push({ name: `${report}: the page, the cooperative, a year`, url: `/stats/${report}?${group}`, as: "group" });
  }
  cases.push({ name: "CSV: volume by day, the cooperative, a year", url: `/api/stats/volume/by-day.csv?${group}`, as: "group" });
  return cases;
}
