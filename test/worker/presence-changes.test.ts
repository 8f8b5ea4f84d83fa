/**
 * Presence on a queue's sockets: the whole list of who is monitoring once
 * (when the queue object starts), then only who joined, changed or left — a
 * statewide queue's hundreds of monitors are not each sent the whole list on
 * every change — and every monitor's list, applied as the monitor's page
 * applies it, stays what the queue says.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TIMING } from "../../src/shared/limits";
import type { Monitor, QueueServerMessage } from "../../src/shared/protocol";
import { call, closeSocket, createLibrarian, createLibrary, monitorQueue, monitorsShown, queueStub, settle, signIn, staffedLibrary } from "./helpers";

type PresenceChanged = Extract<QueueServerMessage, { type: "presence.changed" }>;
const isPresence = (f: QueueServerMessage) => f.type === "presence" || f.type === "presence.changed";

describe("presence on a queue's sockets", () => {
  it("sends the whole list once, then only who joined, changed or left, and each monitor's list stays the queue's", async () => {
    const library = await createLibrary();
    const librarians = await Promise.all([1, 2, 3, 4].map((i) => createLibrarian(library.id, `Librarian ${i}`)));
    const cookies = await Promise.all(librarians.map(signIn));
    const ids = librarians.map((l) => l.id);

    const first = await monitorQueue(library.queueId, cookies[0]!);
    const whole = await first.next((f) => f.type === "presence");
    expect(whole).toMatchObject({ type: "presence", monitors: [{ librarianId: ids[0], status: "online", reconnecting: false }] });

    /** The next presence frame `first` gets after `act`. */
    const changeAfter = async (act: () => unknown): Promise<PresenceChanged> => {
      const from = first.frames.length;
      await act();
      return (await first.nextFrom(isPresence, from)) as PresenceChanged;
    };

    // Each newcomer: a change naming only them.
    const others: Awaited<ReturnType<typeof monitorQueue>>[] = [];
    for (const i of [1, 2, 3]) {
      const change = await changeAfter(async () => others.push(await monitorQueue(library.queueId, cookies[i]!)));
      expect(change).toEqual({ type: "presence.changed", queueId: library.queueId, monitors: [expect.objectContaining({ librarianId: ids[i], status: "online", reconnecting: false })], gone: [] });
    }
    // A status: that librarian only.
    expect(await changeAfter(() => others[0]!.send({ type: "set_status", status: "away" }))).toMatchObject({ monitors: [{ librarianId: ids[1], status: "away" }], gone: [] });
    // Signing off on purpose: gone at once.
    expect(await changeAfter(() => closeSocket(others[1]!, 1000))).toMatchObject({ monitors: [], gone: [ids[2]] });
    // A dropped connection: still counted, as reconnecting, for the grace period.
    expect(await changeAfter(() => closeSocket(others[2]!, 1001))).toMatchObject({ monitors: [{ librarianId: ids[3], reconnecting: true }], gone: [] });

    // The same status again changes nobody: nothing is sent.
    const count = first.frames.filter(isPresence).length;
    others[0]!.send({ type: "set_status", status: "away" });
    await settle(200);
    expect(first.frames.filter(isPresence)).toHaveLength(count);

    // What each monitor's page shows is what the queue says.
    const res = await call("/api/queues", { cookie: cookies[0] });
    const queue = ((await res.json()) as { queues: { id: string; monitors: Monitor[] }[] }).queues.find((q) => q.id === library.queueId)!;
    expect(queue.monitors.map((m) => [m.librarianId, m.status, m.reconnecting])).toEqual([
      [ids[0], "online", false],
      [ids[1], "away", false],
      [ids[3], "online", true],
    ]);
    expect(monitorsShown(first)).toEqual(queue.monitors);
    expect(monitorsShown(others[0]!)).toEqual(queue.monitors);
  });

  it("stops counting a dropped monitor when the grace period ends, before the queue's alarm comes round", async () => {
    const { library, monitors } = await staffedLibrary(1);
    await closeSocket(monitors[0]!, 1001);
    const queue = queueStub(library.queueId);
    // Worked out now, inside the grace period, and kept for the status checks that follow.
    expect(await queue.staffing()).toEqual({ staffed: true });
    await runInDurableObject(queue, (obj) => obj.clock.advance(TIMING.presenceGraceMs - 1_000));
    expect(await queue.staffing()).toEqual({ staffed: true });
    // Only the clock moves (no alarm, no socket): the answer kept must not outlive the grace period.
    await runInDurableObject(queue, (obj) => obj.clock.advance(1_001));
    expect(await queue.staffing()).toEqual({ staffed: false });
  });
});
