/**
 * Quick versions of the correctness behind the floor, the dev proxy's share
 * and the cost counts (bench/load.mjs, bench/cost.mjs, docs/benchmarks.md,
 * docs/cost.md), against a private wrangler dev that carries the bench-only
 * floor relay and usage counting: the floor relays every message once; a new
 * request reaches monitors through the dev proxy and straight at the runtime
 * alike; a typical chat is counted as Cloudflare bills it. Counts and
 * correctness only — timing is printed by the benches, never asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoopbackRelay } from "../../bench/floor/loopback-relay.mjs";
import { EXCHANGES, typicalChat, usage } from "../../bench/lib/cost-run.mjs";
import { fanoutScenario, floorDeliveryScenario, monitoringLibrarians } from "../../bench/lib/load-scenarios.mjs";
import { startBenchServer } from "../../bench/lib/server.mjs";

interface BenchServer {
  base: string;
  directBase: () => Promise<string>;
  stop: () => Promise<void>;
}

let server: BenchServer;
beforeAll(async () => {
  server = await startBenchServer({ name: "proof-floor-cost", floor: true, usage: true });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe("the floors (quick)", () => {
  it("relays every message once through the minimal relay object and through the loopback relay", async () => {
    const wsBase = server.base.replace(/^http/, "ws");
    const relay = await floorDeliveryScenario({ socketUrl: (id: string, role: string) => `${wsBase}/__floor/${id}/socket?as=${role}`, sessions: 10, durationMs: 2000, intervalMs: 500, warmupMs: 0 });
    const loopback = await startLoopbackRelay();
    try {
      const raw = await floorDeliveryScenario({ socketUrl: (id: string, role: string) => `${loopback.base.replace(/^http/, "ws")}/${id}?as=${role}`, sessions: 10, durationMs: 2000, intervalMs: 500, warmupMs: 0 });
      for (const r of [relay, raw]) {
        expect(r.sent).toBeGreaterThan(20);
        expect({ lost: r.lost, unacknowledged: r.unacknowledged, duplicates: r.duplicates, errors: r.errors }).toEqual({ lost: 0, unacknowledged: 0, duplicates: 0, errors: 0 });
      }
    } finally {
      loopback.stop();
    }
  }, 120_000);
});

describe("the dev proxy's share (quick)", () => {
  it("shows every new request to every monitor once, whether requests and sockets go through wrangler dev or straight at the runtime", async () => {
    const direct = await server.directBase();
    expect(direct).not.toBe(server.base);
    const r = await fanoutScenario(server.base, { monitors: 6, requests: 12, ratePerSecond: 10, direct });
    expect(r.queuedAckMs.count).toBe(12);
    expect(r.byPath.proxy.queuedAckMs.count).toBe(6);
    expect(r.byPath.direct.queuedAckMs.count).toBe(6);
    expect({ missing: r.missing, duplicates: r.duplicates, errors: r.errors }).toEqual({ missing: 0, duplicates: 0, errors: 0 });
  }, 120_000);
});

describe("the cost counts (quick)", () => {
  it("counts a typical chat's Worker requests, WebSocket messages, D1 rows, queue messages and mail", async () => {
    const { cookies, monitors } = await monitoringLibrarians(server.base, "bench-load", 1);
    await usage(server.base, true);
    const chats = 2;
    for (let i = 0; i < chats; i++) await typicalChat(server.base, cookies[0], i, "bench-load");
    const deadline = Date.now() + 30_000;
    let u = await usage(server.base);
    while (Date.now() < deadline && u.mailsSent < chats) {
      await new Promise((r) => setTimeout(r, 250));
      u = await usage(server.base);
    }
    for (const m of monitors) m.close(1000);
    // Ask, patron socket, accept, librarian socket, end, rating.
    expect(u.workerRequests).toBe(6 * chats);
    // Two hellos, and each message with its two typing notices, both ways.
    expect(u.objectRequests["ChatSession websocket message"]).toBe((2 + EXCHANGES * 2 * 3) * chats);
    expect(u.objectsTouched.ChatSession).toBe(chats);
    expect(u.queueMessagesSent).toBe(chats);
    expect(u.mailsSent).toBe(chats);
    expect(u.d1RowsWritten).toBeGreaterThan(0);
    expect(u.d1RowsRead).toBeGreaterThan(0);
    expect(u.objectSqlRowsWritten).toBeGreaterThan(0);
  }, 120_000);
});
