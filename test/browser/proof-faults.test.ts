/**
 * Quick versions of the fault suite (bench/faults.mjs) and of the accept race
 * with an awaited D1 write before the claim is decided, on a private wrangler
 * dev whose ChatSession awaits a D1 write before each claim is read
 * (bench/lib/slow-accept.ts; it only changes the accept path). The fault run cuts sockets without a close frame, reloads the code and
 * kills the runtime with SIGKILL while chats go on through the real client;
 * the checker then compares every ack and every displayed list with the stored
 * logs. Fails on lost, duplicated or reordered messages and two winners —
 * never on timing. (The 12-second hibernation case runs in the full suite.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptRace } from "../../bench/lib/accept-race.mjs";
import { monitorVanishes, patronVanishes, twoPatronConnections } from "../../bench/lib/fault-cases.mjs";
import { faultRun } from "../../bench/lib/faults.mjs";
import { startBenchServer } from "../../bench/lib/server.mjs";

interface BenchServer {
  base: string;
  stop: () => Promise<void>;
}

let server: BenchServer;
beforeAll(async () => {
  server = await startBenchServer({ name: "proof-faults", slowAccept: true });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe("accept race with an awaited D1 write before the claim is decided (quick)", () => {
  it("gives every trial exactly one winner; everyone else is told who took it", async () => {
    const r = await acceptRace(server.base, { trials: 8, racers: 12 });
    expect(r.failureSamples).toEqual([]);
    expect(r.trialsWithExactlyOneWinnerAndAllOthersTaken).toBe(8);
  }, 180_000);
});

describe("faults (quick)", () => {
  it("loses, duplicates and reorders nothing across cut sockets, a code reload and a killed runtime", async () => {
    const r = await faultRun(server, {
      sessions: 6,
      messagesPerSession: 20,
      sendWindowMs: 8000,
      librarians: 3,
      killEveryMs: [300, 1500],
      faults: [
        { at: 0.3, kind: "reload" },
        { at: 0.6, kind: "kill-runtime" },
      ],
    });
    expect(r.violationSamples).toEqual([]);
    expect(r.violationCount).toBe(0);
    expect(r.messagesSent).toBe(120);
    expect(r.acknowledgements).toBe(120);
    // The faults really happened: sockets were cut and clients came back.
    expect(r.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(["code reload: new runtime answers", "runtime restarted on the same state"]));
    expect(r.resumeMs.count).toBeGreaterThan(0);
  }, 240_000);

  it("handles a patron socket that closes without a close frame", async () => {
    const r = await patronVanishes(server.base);
    expect(r.details).toMatchObject({ serverNoticed: true });
    expect(r.ok).toBe(true);
  }, 60_000);

  it("keeps a monitor whose socket vanished in the grace period, then back", async () => {
    const r = await monitorVanishes(server.base);
    expect(r.details).toMatchObject({ shownReconnecting: true, requestDuringGrace: "waiting", backOnline: true });
  }, 60_000);

  it("keeps two connections of one patron in step", async () => {
    const r = await twoPatronConnections(server.base);
    expect(r.details).toMatchObject({ sameOrderOnAllThree: true, eachStoredOnce: true, allAcknowledged: true });
  }, 60_000);
});
