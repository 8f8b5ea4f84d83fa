/**
 * A cooperative's figures over a long range read whole months from month rows
 * and only the partial months at its ends from day rows. Hours monitored per
 * librarian are exactly what adding up the day rows of the range gives, with a
 * stretch across a month's end, stretches just outside the range, and one
 * queue chosen; librarians, codes and who answered whom are what counting the
 * chats themselves gives.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { catchUpPresence } from "../../src/stats/presence-catch-up";
import { dayNumber } from "../../src/stats/local-time";
import { hoursOf } from "../../src/stats/reports/common";
import { fileChat, monitoringSpan, statsApi, statsWorld, tableOf, type StatsWorld } from "./stats-fixtures";

let w: StatsWorld;
const FROM = "2025-01-15";
const TO = "2025-04-20";

beforeAll(async () => {
  w = await statsWorld();
  const groupQueue = `group:${w.groupId}`;
  const ann = w.aLibrarian.librarian;
  const bob = w.bLibrarian.librarian;
  // Outside the range at both ends: never counted.
  await monitoringSpan(ann, w.a.queueId, "2025-01-10T15:00:00Z", "2025-01-10T19:00:00Z");
  await monitoringSpan(bob, groupQueue, "2025-04-25T14:00:00Z", "2025-04-25T20:00:00Z");
  // The partial months at the ends, and the range's first and last days.
  await monitoringSpan(ann, w.a.queueId, "2025-01-15T14:00:00Z", "2025-01-15T17:30:00Z");
  await monitoringSpan(bob, groupQueue, "2025-04-20T13:00:00Z", "2025-04-20T15:15:00Z");
  await monitoringSpan(bob, w.b.queueId, "2025-04-03T13:00:00Z", "2025-04-03T14:00:00Z");
  // Across the end of January and of March (both zones): part in a partial month, part in a whole one.
  await monitoringSpan(ann, groupQueue, "2025-01-31T20:00:00Z", "2025-02-01T09:00:00Z");
  await monitoringSpan(bob, w.b.queueId, "2025-03-31T22:00:00Z", "2025-04-01T07:00:00Z");
  // Whole months, two queues at once for Ann (counted once as a person).
  await monitoringSpan(ann, w.a.queueId, "2025-02-12T15:00:00Z", "2025-02-12T18:00:00Z");
  await monitoringSpan(ann, groupQueue, "2025-02-12T16:00:00Z", "2025-02-12T20:00:00Z");
  await monitoringSpan(bob, groupQueue, "2025-03-09T06:00:00Z", "2025-03-09T09:30:00Z");
  while ((await catchUpPresence(env.DB)) > 0);
});

/** Each librarian's hours as counting the cooperative's day rows of the range gives them. */
async function fromDayRows(column: "person_ms" | "queue_ms", queueId?: string): Promise<[string, number][]> {
  const rows = await env.DB.prepare(
    `SELECT librarian_id AS id, sum(${column}) AS ms FROM stat_group_presence_people WHERE group_id = ? AND local_day BETWEEN ? AND ? AND (? IS NULL OR queue_id = ?) GROUP BY librarian_id`,
  )
    .bind(w.groupId, dayNumber(FROM), dayNumber(TO), queueId ?? null, queueId ?? null)
    .all<{ id: string; ms: number }>();
  const name = new Map([
    [w.aLibrarian.librarian.id, "Ann"],
    [w.bLibrarian.librarian.id, "Bob"],
  ]);
  return rows.results.filter((r) => r.ms > 0).map((r): [string, number] => [name.get(r.id) ?? r.id, hoursOf(r.ms)]);
}

const byName = (rows: [string, number][]) => [...rows].sort((x, y) => x[0].localeCompare(y[0]));

describe("hours monitored over whole and partial months", () => {
  it("gives the hours the day rows give, for every librarian", async () => {
    const report = (await statsApi(`/api/stats/people?scope=group&group=${w.groupId}&from=${FROM}&to=${TO}`, w.aGroupAdmin.cookie)).body;
    const shown = tableOf(report, "coverage-people").rows.map((r): [string, number] => [String(r[0]), Number(r[2])]);
    const expected = await fromDayRows("person_ms");
    // Ann: 3.5 + 13 + 5 hours; Bob: 2.25 + 1 + 9 + 3.5 hours (rounded to a tenth).
    expect(byName(expected)).toEqual([
      ["Ann", 21.5],
      ["Bob", 15.8],
    ]);
    expect(byName(shown)).toEqual(byName(expected));
  });

  it("gives the time on one queue the day rows give", async () => {
    const queue = `group:${w.groupId}`;
    const report = (await statsApi(`/api/stats/people?scope=group&group=${w.groupId}&from=${FROM}&to=${TO}&queue=${queue}`, w.aGroupAdmin.cookie)).body;
    const shown = tableOf(report, "coverage-people").rows.map((r): [string, number] => [String(r[0]), Number(r[2])]);
    expect(byName(shown)).toEqual(byName(await fromDayRows("queue_ms", queue)));
    expect(byName(shown)).toEqual([
      ["Ann", 17],
      ["Bob", 5.8],
    ]);
  });

  it("keeps every month row equal to its days' rows", async () => {
    const monthOf = "cast(julianday(date(local_day * 86400, 'unixepoch', 'start of month')) - 2440587.5 as integer)";
    const months = await env.DB.prepare(
      "SELECT local_month AS month, librarian_id, library_id, queue_id, person_ms, queue_ms FROM stat_group_presence_months WHERE group_id = ? ORDER BY 1, 2, 3, 4",
    )
      .bind(w.groupId)
      .all();
    const days = await env.DB.prepare(
      `SELECT ${monthOf} AS month, librarian_id, library_id, queue_id, sum(person_ms) AS person_ms, sum(queue_ms) AS queue_ms FROM stat_group_presence_people WHERE group_id = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
      .bind(w.groupId)
      .all();
    // January to April, both librarians, each on the queues they monitored.
    expect(months.results.length).toBeGreaterThanOrEqual(8);
    expect(months.results).toEqual(days.results);
  });
});

describe("chats over whole and partial months", () => {
  beforeAll(async () => {
    const groupQueue = `group:${w.groupId}`;
    const ann = w.aLibrarian.librarian;
    const bob = w.bLibrarian.librarian;
    // Alpha's patrons: before the range, its partial first month, two whole months, its partial last month, after it.
    for (const [at, librarian, codes] of [
      ["2025-01-10T18:00:00Z", ann, ["genealogy"]],
      ["2025-01-15T18:00:00Z", ann, ["genealogy"]],
      ["2025-01-28T18:00:00Z", bob, ["renewals"]],
      ["2025-02-01T18:00:00Z", ann, ["renewals", "genealogy"]],
      ["2025-02-20T18:00:00Z", bob, []],
      ["2025-03-31T18:00:00Z", ann, ["genealogy"]],
      ["2025-04-01T18:00:00Z", bob, ["renewals"]],
      ["2025-04-20T18:00:00Z", ann, []],
      ["2025-04-21T18:00:00Z", bob, ["genealogy"]],
    ] as const) {
      const partner = librarian === bob;
      await fileChat({ libraryId: w.a.id, at, librarian, codes: [...codes], queueIds: partner ? [w.a.queueId, groupQueue] : [w.a.queueId], acceptedQueueId: partner ? groupQueue : w.a.queueId });
    }
    await fileChat({ libraryId: w.a.id, at: "2025-03-05T18:00:00Z", waitS: null, turnedAway: true });
  });

  const report = async (name: string, filter: string) => (await statsApi(`/api/stats/${name}?scope=group&group=${w.groupId}&from=${FROM}&to=${TO}${filter}`, w.aGroupAdmin.cookie)).body;

  it("gives what counting the chats gives", async () => {
    // The whole cooperative reads its rollups; narrowed to Alpha (every chat's library) it counts the chats.
    const fromRollups = { people: await report("people", ""), codes: await report("codes", ""), cooperative: await report("cooperative", "") };
    const fromChats = { people: await report("people", `&library=${w.a.id}`), codes: await report("codes", `&library=${w.a.id}`), cooperative: await report("cooperative", `&library=${w.a.id}`) };
    const librarians = tableOf(fromRollups.people, "librarians").rows.map((r) => [r[0], r[2]]);
    expect(librarians.sort()).toEqual([
      ["Ann", 4],
      ["Bob", 3],
    ]);
    expect(tableOf(fromRollups.people, "librarians").rows).toEqual(tableOf(fromChats.people, "librarians").rows);
    for (const t of fromRollups.codes.tables) expect(t.rows, t.id).toEqual(tableOf(fromChats.codes, t.id).rows);
    for (const t of fromRollups.cooperative.tables) expect(t.rows, t.id).toEqual(tableOf(fromChats.cooperative, t.id).rows);
  });
});
