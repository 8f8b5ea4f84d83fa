/**
 * The monitor's queue view model (src/client/monitor/queue-model.ts), a pure
 * reducer over queue frames: what the waiting list, presence and staff chat show.
 */
import { describe, expect, it } from "vitest";
import {
  applyQueueFrame,
  colleagues,
  consultInvitations,
  dropQueue,
  dropRequest,
  emptyQueueModel,
  formatWait,
  queueForDirect,
  secondsWaiting,
  staffConversation,
  waitingList,
  type QueueModel,
} from "../../src/client/monitor/queue-model";
import type { Monitor, QueuedRequest, QueueServerMessage, StaffMessage } from "../../src/shared/protocol";

const ME = "me";

function request(sessionId: string, createdAt: number, queueId = "lib:a", extra: Partial<QueuedRequest> = {}): QueuedRequest {
  return { sessionId, queueId, libraryId: "a", libraryName: "A Library", formId: null, question: `Q ${sessionId}`, patronName: "Pat", createdAt, preview: [], ...extra };
}

function monitor(librarianId: string, name: string, status: Monitor["status"] = "online"): Monitor {
  return { librarianId, name, libraryId: "a", status, reconnecting: false };
}

function staff(id: number, queueId: string, at: number, from = "x", to: string | null = null): StaffMessage {
  return { id, queueId, from: { id: from, name: from.toUpperCase() }, to: to ? { id: to, name: to.toUpperCase() } : null, body: `m${id}`, at, clientId: null };
}

const apply = (frames: QueueServerMessage[], start: QueueModel = emptyQueueModel) => frames.reduce((m, f) => applyQueueFrame(m, f, ME), start);

describe("queue view model", () => {
  it("lists waiting requests oldest first, each once across queues, under its oldest arrival", () => {
    const m = apply([
      { type: "queue.snapshot", queueId: "lib:a", requests: [request("s2", 200), request("s1", 100)], monitors: [] },
      { type: "queue.snapshot", queueId: "group:g", requests: [request("s1", 50, "group:g"), request("s3", 300, "group:g")], monitors: [] },
    ]);
    const list = waitingList(m, ME);
    expect(list.map((r) => r.sessionId)).toEqual(["s1", "s2", "s3"]);
    expect(list[0]!.queueId).toBe("group:g");
  });

  it("counts live arrivals but not snapshots, updates, repeats or my own transfers", () => {
    const m = apply([
      { type: "queue.snapshot", queueId: "lib:a", requests: [request("s1", 100)], monitors: [] },
      { type: "request.added", request: request("s2", 200) },
      { type: "request.updated", request: request("s2", 200, "lib:a", { preview: ["more"] }) },
      { type: "request.added", request: request("s2", 200) },
      {
        type: "request.added",
        request: request("s3", 300, "lib:a", { transfer: { id: "t", from: { id: ME, name: "Me" }, toLibrarianId: null, toName: "A", note: null, expiresAt: 0 } }),
      },
    ]);
    expect(m.arrivals).toBe(1);
    expect(waitingList(m, ME).map((r) => r.sessionId)).toEqual(["s1", "s2"]);
    expect(waitingList(m, "someone-else").map((r) => r.sessionId)).toEqual(["s1", "s2", "s3"]);
    expect(m.requests["lib:a"]!.find((r) => r.sessionId === "s2")!.preview).toEqual([]);
  });

  it("keeps the latest details of an updated request", () => {
    const m = apply([
      { type: "request.added", request: request("s1", 100) },
      { type: "request.updated", request: request("s1", 100, "lib:a", { preview: ["Ohio, 1880"] }) },
    ]);
    expect(waitingList(m, ME)[0]!.preview).toEqual(["Ohio, 1880"]);
  });

  it("removes a taken request and remembers who took it (not when I did)", () => {
    const m = apply([
      { type: "queue.snapshot", queueId: "lib:a", requests: [request("s1", 100), request("s2", 200)], monitors: [] },
      { type: "request.removed", queueId: "lib:a", sessionId: "s1", reason: "accepted", by: { id: "lisa", name: "Lisa" } },
      { type: "request.removed", queueId: "lib:a", sessionId: "s2", reason: "accepted", by: { id: ME, name: "Me" } },
    ]);
    expect(waitingList(m, ME)).toEqual([]);
    expect(m.takenBy).toEqual({ s1: "Lisa" });
  });

  it("forgets what a dropped queue showed, and drops one request everywhere at once", () => {
    const m = apply([
      { type: "queue.snapshot", queueId: "lib:a", requests: [request("s1", 100)], monitors: [monitor("b", "Bea")] },
      { type: "queue.snapshot", queueId: "group:g", requests: [request("s1", 100, "group:g"), request("s2", 200, "group:g")], monitors: [] },
      { type: "staff.history", queueId: "group:g", messages: [staff(1, "group:g", 5)] },
    ]);
    expect(waitingList(dropRequest(m, "s1"), ME).map((r) => r.sessionId)).toEqual(["s2"]);
    const dropped = dropQueue(m, "group:g");
    expect(waitingList(dropped, ME).map((r) => r.sessionId)).toEqual(["s1"]);
    expect(dropped.staff["group:g"]).toBeUndefined();
    expect(dropped.monitors["lib:a"]).toHaveLength(1);
  });

  it("tracks presence per queue and lists colleagues once, without me", () => {
    const m = apply([
      { type: "presence", queueId: "lib:a", monitors: [monitor(ME, "Me"), monitor("b", "Bea", "busy")] },
      { type: "presence", queueId: "group:g", monitors: [monitor("b", "Bea", "busy"), monitor("c", "Cal", "away")] },
    ]);
    expect(colleagues(m, ME).map((c) => c.name)).toEqual(["Bea", "Cal"]);
    expect(queueForDirect(m, "c", ["lib:a", "group:g"])).toBe("group:g");
    expect(queueForDirect(m, "b", ["lib:a", "group:g"])).toBe("lib:a");
    expect(queueForDirect(m, "nobody", ["lib:a", "group:g"])).toBeNull();
  });

  it("merges staff messages across queues in time order, ignores repeats, counts others' new ones", () => {
    const m = apply([
      { type: "staff.history", queueId: "lib:a", messages: [staff(1, "lib:a", 10), staff(2, "lib:a", 30)] },
      { type: "staff.history", queueId: "group:g", messages: [staff(1, "group:g", 20)] },
      { type: "staff.message", message: staff(3, "lib:a", 40, ME) },
      { type: "staff.message", message: staff(4, "lib:a", 50, "b", ME) },
      { type: "staff.message", message: staff(4, "lib:a", 50, "b", ME) },
    ]);
    expect(staffConversation(m).map((s) => `${s.queueId}#${s.id}`)).toEqual(["lib:a#1", "group:g#1", "lib:a#2", "lib:a#3", "lib:a#4"]);
    expect(m.staffArrivals).toBe(1);
  });

  it("ticks the wait in whole seconds, never negative, shown as m:ss", () => {
    const r = request("s1", 10_000);
    expect(secondsWaiting(r, 10_999)).toBe(0);
    expect(secondsWaiting(r, 75_000)).toBe(65);
    expect(secondsWaiting(r, 5_000)).toBe(0);
    expect(formatWait(65)).toBe("1:05");
    expect(formatWait(0)).toBe("0:00");
  });

  it("keeps an invitation to help apart from the waiting patrons: not in the list, not a new arrival, listed once for the one invited", () => {
    const invitation = request("s9", 50, "lib:a", { consult: { id: "c1", from: { id: "owner", name: "Tia" }, toLibrarianId: ME, expiresAt: 9_000 } });
    const m = apply([
      { type: "queue.snapshot", queueId: "lib:a", requests: [request("s1", 100)], monitors: [] },
      { type: "request.added", request: invitation },
      { type: "request.added", request: { ...invitation, queueId: "group:g" } },
    ]);
    expect(waitingList(m, ME).map((r) => r.sessionId)).toEqual(["s1"]);
    expect(m.arrivals).toBe(0);
    expect(consultInvitations(m, ME).map((r) => r.sessionId)).toEqual(["s9"]);
    expect(consultInvitations(m, "someone-else")).toEqual([]);
    expect(consultInvitations(dropRequest(m, "s9"), ME)).toEqual([]);
    // A direct message is not the queue model's: it changes nothing here.
    const dm = { id: 1, from: { id: "x", name: "X" }, to: { id: ME, name: "Me" }, body: "hi", at: 1, clientId: "c", readAt: null };
    expect(applyQueueFrame(m, { type: "direct.message", message: dm }, ME)).toBe(m);
  });
});
