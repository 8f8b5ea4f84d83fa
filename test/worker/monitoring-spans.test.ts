/**
 * Coverage comes from presence: each continuous stretch a librarian monitors
 * a queue becomes one monitoring_spans row when it ends — at once when they
 * sign off, at the moment their socket went away when a grace period runs out
 * — and a reconnection within the grace period does not split it.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TIMING } from "../../src/shared/limits";
import { advanceQueue, closeSocket, monitorQueue, staffedLibrary } from "./helpers";

const spansOf = (librarianId: string) =>
  env.DB.prepare("SELECT queue_id, library_id, started_at, ended_at FROM monitoring_spans WHERE librarian_id = ? ORDER BY started_at").bind(librarianId).all<{ queue_id: string; library_id: string; started_at: number; ended_at: number }>().then((r) => r.results);

describe("monitoring spans", () => {
  it("records a stretch when the librarian signs off, with the queue and their library", async () => {
    const { library, librarians, monitors } = await staffedLibrary(1);
    const before = Date.now();
    await closeSocket(monitors[0]!, 1000);
    const spans = await spansOf(librarians[0]!.id);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ queue_id: library.queueId, library_id: library.id });
    expect(spans[0]!.ended_at).toBeGreaterThanOrEqual(spans[0]!.started_at);
    expect(spans[0]!.ended_at).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("keeps one stretch across a reconnection within the grace period, and ends it when the socket went away once grace runs out", async () => {
    const { library, librarians, monitors, cookies } = await staffedLibrary(1);
    await closeSocket(monitors[0]!, 1001);
    const again = await monitorQueue(library.queueId, cookies[0]!);
    expect(await spansOf(librarians[0]!.id)).toEqual([]);
    await closeSocket(again, 1001);
    const wentAway = Date.now();
    await advanceQueue(library.queueId, TIMING.presenceGraceMs + 1_000);
    const spans = await spansOf(librarians[0]!.id);
    expect(spans).toHaveLength(1);
    // Ended when the socket went away (the queue's clock had not moved on yet), not when grace ran out.
    expect(Math.abs(spans[0]!.ended_at - wentAway)).toBeLessThan(2_000);
  });

  it("counts one stretch when a librarian with two sockets loses one (grace) and signs off on the other", async () => {
    const { library, librarians, monitors, cookies } = await staffedLibrary(1);
    const second = await monitorQueue(library.queueId, cookies[0]!);
    await closeSocket(monitors[0]!, 1001);
    await closeSocket(second, 1000);
    await advanceQueue(library.queueId, TIMING.presenceGraceMs + 1_000);
    expect(await spansOf(librarians[0]!.id)).toHaveLength(1);
  });

  it("continues a stretch across a reconnection from its first start, even when the first socket left in grace and the next signed off", async () => {
    const { library, librarians, monitors, cookies } = await staffedLibrary(1);
    const started = Date.now();
    await closeSocket(monitors[0]!, 1001);
    const again = await monitorQueue(library.queueId, cookies[0]!);
    await closeSocket(again, 1000);
    const spans = await spansOf(librarians[0]!.id);
    expect(spans).toHaveLength(1);
    expect(Math.abs(spans[0]!.started_at - started)).toBeLessThan(2_000);
  });
});
