/**
 * Staff chat over the queue sockets: a channel among everyone monitoring a
 * queue and direct messages between two of them. Delivered live, kept for the
 * rest of the shift (a reconnect gets them back, bounded), never sent to
 * patrons, and bad frames are refused without storing anything.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FRAME_RATES, LIMITS, TIMING } from "../../src/shared/limits";
import type { QueueServerMessage, StaffMessage } from "../../src/shared/protocol";
import { activeChat, closeSocket, monitorQueue, queueStub, settle, staffedLibrary, type QueueSocket } from "./helpers";

type History = Extract<QueueServerMessage, { type: "staff.history" }>;
type Staff = Extract<QueueServerMessage, { type: "staff.message" }>;

const staffFrames = (s: QueueSocket): StaffMessage[] => s.frames.flatMap((f) => (f.type === "staff.message" ? [f.message] : []));
const staffBody = (body: string) => (f: QueueServerMessage) => f.type === "staff.message" && f.message.body === body;

async function historyOn(s: QueueSocket): Promise<StaffMessage[]> {
  return ((await s.next((f) => f.type === "staff.history")) as History).messages;
}

describe("staff chat", () => {
  it("delivers channel messages to every monitor and direct messages to the two librarians only", async () => {
    const { library, librarians, monitors, cookies } = await staffedLibrary(3);
    const [a, b, c] = librarians;
    const [ma, mb, mc] = monitors;

    ma!.send({ type: "staff.send", clientId: "s-1", body: "Anyone free for a genealogy question?", to: null });
    const received = (await Promise.all(monitors.map((m) => m.next(staffBody("Anyone free for a genealogy question?"))))) as Staff[];
    for (const f of received) expect(f.message).toMatchObject({ queueId: library.queueId, from: { id: a!.id, name: a!.name }, to: null });
    expect(received[0]!.message.clientId).toBe("s-1");

    mb!.send({ type: "staff.send", clientId: "d-1", body: "I can take it, send it my way.", to: a!.id });
    const direct = (await ma!.next(staffBody("I can take it, send it my way."))) as Staff;
    expect(direct.message).toMatchObject({ from: { id: b!.id }, to: { id: a!.id, name: a!.name } });
    await mb!.next(staffBody("I can take it, send it my way."));
    await settle();
    expect(staffFrames(mc!).map((m) => m.body)).toEqual(["Anyone free for a genealogy question?"]);

    // After a reconnect each gets back what they may read, in order.
    await closeSocket(mc!);
    const again = await monitorQueue(library.queueId, cookies[2]!);
    expect((await historyOn(again)).map((m) => m.body)).toEqual(["Anyone free for a genealogy question?"]);
    const againA = await monitorQueue(library.queueId, cookies[0]!);
    expect((await historyOn(againA)).map((m) => m.body)).toEqual(["Anyone free for a genealogy question?", "I can take it, send it my way."]);
    expect(c).toBeDefined();
  });

  it("stores a retried message once and confirms it again to the sender", async () => {
    const { library, monitors, cookies } = await staffedLibrary(2);
    const [ma, mb] = monitors;
    ma!.send({ type: "staff.send", clientId: "retry-1", body: "Lunch at 1?", to: null });
    const first = (await ma!.next(staffBody("Lunch at 1?"))) as Staff;
    const from = ma!.frames.length;
    ma!.send({ type: "staff.send", clientId: "retry-1", body: "Lunch at 1?", to: null });
    const second = (await ma!.nextFrom(staffBody("Lunch at 1?"), from)) as Staff;
    expect(second.message.id).toBe(first.message.id);
    await settle();
    expect(staffFrames(mb!).filter((m) => m.body === "Lunch at 1?")).toHaveLength(1);
    expect((await historyOn(await monitorQueue(library.queueId, cookies[1]!))).filter((m) => m.body === "Lunch at 1?")).toHaveLength(1);
  });

  it("refuses bad staff frames with an error and stores nothing", async () => {
    const { library, librarians, monitors, cookies } = await staffedLibrary(2);
    const [ma, mb] = monitors;
    const bad: [unknown, string, string | undefined][] = [
      [{ type: "staff.send", clientId: "b-1", body: "Hi", to: "not-monitoring-here" }, "not_found", "to"],
      [{ type: "staff.send", clientId: "b-2", body: "Hi", to: librarians[0]!.id }, "validation_failed", "to"],
      [{ type: "staff.send", clientId: "b-3", body: "   ", to: null }, "bad_frame", "body"],
      [{ type: "staff.send", clientId: "b-4", body: "x".repeat(LIMITS.staffMessageChars + 1), to: null }, "bad_frame", "body"],
      [{ type: "staff.send", body: "no client id", to: null }, "bad_frame", "clientId"],
      [{ type: "staff.send", clientId: "b-5", body: "missing to" }, "bad_frame", "to"],
    ];
    for (const [frame, code, field] of bad) {
      const from = ma!.frames.length;
      ma!.send(frame);
      const error = await ma!.nextFrom((f) => f.type === "error", from);
      expect(error, JSON.stringify(frame)).toMatchObject({ type: "error", code, ...(field ? { field } : {}) });
    }
    await settle();
    expect(staffFrames(ma!)).toEqual([]);
    expect(staffFrames(mb!)).toEqual([]);
    expect(await historyOn(await monitorQueue(library.queueId, cookies[1]!))).toEqual([]);
  });

  it("keeps a bounded shift's worth: at most LIMITS.staffHistory, none older than TIMING.staffHistoryMs", async () => {
    const { library, monitors, cookies } = await staffedLibrary(1);
    const [ma] = monitors;
    const total = LIMITS.staffHistory + 10;
    // Within each librarian's staff-message allowance: a burst, then the clock moves on by its refill time.
    const { burst, refillMs } = FRAME_RATES["staff.send"];
    for (let i = 1; i <= total; i++) {
      ma!.send({ type: "staff.send", clientId: `m-${i}`, body: `note ${i}`, to: null });
      if (i % burst === 0) {
        await ma!.next(staffBody(`note ${i}`), 15_000);
        await runInDurableObject(queueStub(library.queueId), (obj) => obj.clock.advance(refillMs));
      }
    }
    await ma!.next(staffBody(`note ${total}`), 15_000);
    const kept = await historyOn(await monitorQueue(library.queueId, cookies[0]!));
    expect(kept).toHaveLength(LIMITS.staffHistory);
    expect(kept[0]!.body).toBe(`note ${total - LIMITS.staffHistory + 1}`);
    expect(kept.at(-1)!.body).toBe(`note ${total}`);

    // A shift later, yesterday's messages are gone.
    await runInDurableObject(queueStub(library.queueId), (obj) => obj.clock.advance(TIMING.staffHistoryMs + 1000));
    expect(await historyOn(await monitorQueue(library.queueId, cookies[0]!))).toEqual([]);
  });

  it("never reaches the patron's chat", async () => {
    const chat = await activeChat({ librarians: 2 });
    chat.monitors[0]!.send({ type: "staff.send", clientId: "secret-1", body: "Internal: this patron was rude before.", to: null });
    await chat.monitors[1]!.next(staffBody("Internal: this patron was rude before."));
    await settle();
    expect(JSON.stringify(chat.patron.frames)).not.toContain("rude before");
    expect(JSON.stringify(chat.librarian.frames)).not.toContain("rude before");
  });
});
