/**
 * Quick versions of the benchmarks' correctness checks (bench/, docs/benchmarks.md),
 * against a private wrangler dev with the bench libraries: nothing lost or
 * duplicated under load, exactly one winner per accept race, every hostile
 * input refused with a clear answer and nothing stored, no payload run in a
 * page. They fail on correctness only — timing is printed by `npm run bench`,
 * never asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptRace } from "../../bench/lib/accept-race.mjs";
import { hostileRun } from "../../bench/lib/hostile-runner.mjs";
import { deliveryScenario, fanoutScenario, queueChurnScenario } from "../../bench/lib/load-scenarios.mjs";
import { startBenchServer } from "../../bench/lib/server.mjs";

interface BenchServer {
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

let server: BenchServer;
beforeAll(async () => {
  server = await startBenchServer({ name: "proof" });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe("under load (quick)", () => {
  it("delivers every patron message to the serving librarian exactly once, acknowledged, without errors", async () => {
    const r = await deliveryScenario(server.base, { sessions: 20, librarians: 4, durationMs: 3000, intervalMs: 1000, warmupMs: 0, drainMs: 15_000 });
    expect(r.sent).toBeGreaterThan(40);
    expect({ lost: r.lost, unacknowledged: r.unacknowledged, duplicates: r.duplicates, errors: r.errors, samples: r.errorSamples }).toEqual({ lost: 0, unacknowledged: 0, duplicates: 0, errors: 0, samples: [] });
  }, 120_000);

  it("shows every new request to every monitoring librarian once, each acknowledged as queued", async () => {
    const r = await fanoutScenario(server.base, { monitors: 8, requests: 15, ratePerSecond: 10 });
    expect(r.queuedAckMs.count).toBe(15);
    expect({ missing: r.missing, duplicates: r.duplicates, errors: r.errors }).toEqual({ missing: 0, duplicates: 0, errors: 0 });
  }, 120_000);

  it("keeps the queue object working through joins, leaves and accepts", async () => {
    const r = await queueChurnScenario(server.base, { opsPerSecond: 50, durationMs: 2000, librarians: 20, serverLog: server.output });
    expect(r.completed).toBe(r.operations);
    expect({ errors: r.errors, overloaded: r.overloadedInLog, samples: r.errorSamples }).toEqual({ errors: 0, overloaded: 0, samples: [] });
  }, 120_000);
});

describe("accept race on the ordinary accept path (quick)", () => {
  it("gives every trial exactly one winner; everyone else is told who took it", async () => {
    const r = await acceptRace(server.base, { trials: 8, racers: 12 });
    expect(r.failureSamples).toEqual([]);
    expect(r.trialsWithExactlyOneWinnerAndAllOthersTaken).toBe(8);
  }, 180_000);
});

describe("hostile input (the whole corpus, a small sweep)", () => {
  it("refuses every hostile request and frame clearly, stores nothing, runs no payload in any page, logs no body", async () => {
    const r = await hostileRun(server, { sweep: "ci", browser: true });
    expect(r.failures).toEqual([]);
    expect(r.groups.page.checks).toBeGreaterThanOrEqual(9);
    expect(r.checks).toBeGreaterThan(250);
  }, 600_000);
});
