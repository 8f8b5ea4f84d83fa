/**
 * Cooperative routing (src/queues/routing-policy.ts, carried out by ChatSession
 * and RequestQueue): a request goes to the patron's library queue first and
 * also to the library's groups, in order — when nobody from the library is
 * monitoring (on arrival, or when the last monitor's grace period ends) or when
 * nobody accepted within the roll-over time. Time is moved with the objects'
 * clocks and their alarms run by hand.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { emptyQueueModel, applyQueueFrame, waitingList } from "../../src/client/monitor/queue-model";
import { groupQueueId } from "../../src/queues/queue-ids";
import { ROLLOVER_LIMITS, routeFor } from "../../src/queues/routing-policy";
import { TIMING } from "../../src/shared/limits";
import type { QueueServerMessage } from "../../src/shared/protocol";
import {
  accept,
  advanceQueue,
  advanceSession,
  call,
  closeSocket,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  monitorQueue,
  queueStub,
  sessionStub,
  sessionView,
  settle,
  signIn,
  startChat,
  uniqueId,
  type QueueSocket,
} from "./helpers";

type Added = Extract<QueueServerMessage, { type: "request.added" }>;
const addedFor = (sessionId: string) => (f: QueueServerMessage): f is Added => f.type === "request.added" && f.request.sessionId === sessionId;
const removedFor = (sessionId: string) => (f: QueueServerMessage) => f.type === "request.removed" && f.sessionId === sessionId;
const DEFAULT_ROLLOVER_MS = ROLLOVER_LIMITS.defaultSeconds * 1000;

/** A patron library in `groupCount` groups (in that order), each group with one partner library whose librarians can monitor it. */
async function cooperative(opts: { groupCount?: number; rolloverSeconds?: number; overflowMode?: string } = {}) {
  const home = await createLibrary({ name: "Home Public Library", rolloverSeconds: opts.rolloverSeconds });
  if (opts.overflowMode) await env.DB.prepare("UPDATE libraries SET overflow_mode = ? WHERE id = ?").bind(opts.overflowMode, home.id).run();
  const formId = await createForm(home.id);
  const homeLibrarian = await createLibrarian(home.id, "Home Hannah");
  const homeCookie = await signIn(homeLibrarian);
  const groups: { id: string; queueId: string; partnerId: string; partnerCookie: string; partnerName: string }[] = [];
  for (let i = 0; i < (opts.groupCount ?? 1); i++) {
    const partner = await createLibrary({ name: `Partner ${i + 1}` });
    const id = uniqueId("coop");
    await createGroup(id, `Cooperative ${i + 1}`, [partner.id]);
    await env.DB.prepare("INSERT INTO group_members (group_id, library_id, position) VALUES (?, ?, ?)").bind(id, home.id, i).run();
    const partnerName = `Partner Pat ${i + 1}`;
    const partnerCookie = await signIn(await createLibrarian(partner.id, partnerName));
    groups.push({ id, queueId: groupQueueId(id), partnerId: partner.id, partnerCookie, partnerName });
  }
  return { home, formId, homeLibrarian, homeCookie, groups };
}

async function expectNoFrame(monitor: QueueSocket, predicate: (f: QueueServerMessage) => boolean): Promise<void> {
  await settle(150);
  expect(monitor.frames.some(predicate), JSON.stringify(monitor.frames).slice(0, 800)).toBe(false);
}

async function queuedIds(queueId: string): Promise<string[]> {
  return (await queueStub(queueId).snapshot()).requests.map((r) => r.sessionId);
}

describe("the routing policy", () => {
  it("routes to the form's queue, then the library's groups in order; 'off' keeps it at home", () => {
    const settings = { rolloverSeconds: 30, overflowMode: "unstaffed_or_timeout" };
    expect(routeFor(settings, "lib:a", ["group:x", "group:y"])).toEqual({ stages: ["lib:a", "group:x", "group:y"], rolloverMs: 30_000, rollOnTimeout: true });
    expect(routeFor({ ...settings, overflowMode: "unstaffed_only" }, "lib:a", ["group:x"]).rollOnTimeout).toBe(false);
    expect(routeFor({ ...settings, overflowMode: "off" }, "lib:a", ["group:x"]).stages).toEqual(["lib:a"]);
    // A group form's request is not offered to the same group twice.
    expect(routeFor(settings, "group:x", ["group:x", "group:y"]).stages).toEqual(["group:x", "group:y"]);
  });
});

describe("roll-over by absence", () => {
  it("offers a request to the cooperative at once when nobody from the library is monitoring, and keeps it in the home queue", async () => {
    const { home, formId, groups } = await cooperative();
    const [g] = groups;
    const coop = await monitorQueue(g!.queueId, g!.partnerCookie);

    const chat = await startChat(formId);
    expect(chat.status).toBe("waiting");
    const added = (await coop.next(addedFor(chat.sessionId))) as Added;
    // Shown under the group's queue id, so the monitor files it there.
    expect(added.request).toMatchObject({ queueId: g!.queueId, libraryId: home.id, libraryName: "Home Public Library" });
    expect(await queuedIds(home.queueId)).toEqual([chat.sessionId]);

    const res = await accept(chat.sessionId, g!.partnerCookie);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await coop.next(removedFor(chat.sessionId))).toMatchObject({ reason: "accepted" });
    expect(await queuedIds(home.queueId)).toEqual([]);
    expect(await env.DB.prepare("SELECT library_id, answering_library_id FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual({
      library_id: home.id,
      answering_library_id: g!.partnerId,
    });
  });

  it("lets the library's own librarian, arriving after the roll-over, still take it", async () => {
    const { home, formId, groups, homeCookie, homeLibrarian } = await cooperative();
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    await coop.next(addedFor(chat.sessionId));

    const own = await monitorQueue(home.queueId, homeCookie);
    const snapshot = own.frames.find((f) => f.type === "queue.snapshot");
    expect(snapshot?.type === "queue.snapshot" && snapshot.requests.map((r) => r.sessionId)).toEqual([chat.sessionId]);
    expect((await accept(chat.sessionId, homeCookie)).status).toBe(200);
    expect(await coop.next(removedFor(chat.sessionId))).toMatchObject({ reason: "accepted", by: { id: homeLibrarian.id } });
    expect(await own.next(removedFor(chat.sessionId))).toMatchObject({ reason: "accepted" });
  });

  it("rolls over when the library's last monitor's grace period ends while the request waits", async () => {
    const { home, formId, groups, homeCookie } = await cooperative();
    const own = await monitorQueue(home.queueId, homeCookie);
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));
    await expectNoFrame(coop, addedFor(chat.sessionId));

    // The tab drops (1001): still counted during the grace period…
    await closeSocket(own, 1001);
    await advanceQueue(home.queueId, TIMING.presenceGraceMs - 1_000);
    await expectNoFrame(coop, addedFor(chat.sessionId));
    // …and once it ends, the queue tells the waiting session, which rolls over.
    await advanceQueue(home.queueId, 1_001);
    const added = (await coop.next(addedFor(chat.sessionId))) as Added;
    expect(added.request.queueId).toBe(groups[0]!.queueId);
    expect(await queuedIds(home.queueId)).toEqual([chat.sessionId]);
    expect(await sessionView(chat.sessionId, homeCookie)).toMatchObject({ status: "waiting" });
  });

  it("rolls over at once when the last monitor signs off (1000) or goes away", async () => {
    for (const leave of ["sign-off", "away"] as const) {
      const { home, formId, groups, homeCookie } = await cooperative();
      const own = await monitorQueue(home.queueId, homeCookie);
      const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
      const chat = await startChat(formId);
      await own.next(addedFor(chat.sessionId));
      if (leave === "sign-off") await closeSocket(own, 1000);
      else own.send({ type: "set_status", status: "away" });
      await coop.next(addedFor(chat.sessionId));
    }
  });

  it("does not roll over when a queue already showing the request is still staffed", async () => {
    const { home, formId, groups, homeCookie } = await cooperative({ groupCount: 2 });
    const coop1 = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const coop2 = await monitorQueue(groups[1]!.queueId, groups[1]!.partnerCookie);
    const own = await monitorQueue(home.queueId, homeCookie);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));
    // Nobody accepted in time: the first group sees it.
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    await coop1.next(addedFor(chat.sessionId));
    // Home's monitor signs off: the first group is still staffed, so the second group is not troubled yet.
    await closeSocket(own, 1000);
    await expectNoFrame(coop2, addedFor(chat.sessionId));
  });

  it("tells the patron on the hosted form that a librarian is online when only the cooperative is staffed", async () => {
    const { formId, groups } = await cooperative({ groupCount: 2 });
    const before = await (await call(`/f/${formId}`)).text();
    expect(before).toContain("No librarian is online right now.");
    await monitorQueue(groups[1]!.queueId, groups[1]!.partnerCookie);
    expect(await (await call(`/f/${formId}`)).text()).toContain("A librarian is online now.");
  });

  it("gives the not-available path when nobody is monitoring anywhere on the route", async () => {
    const { home, formId, groups } = await cooperative({ groupCount: 2 });
    const chat = await startChat(formId);
    expect(chat.status).toBe("unavailable");
    expect(chat.alternatives).not.toBeNull();
    for (const q of [home.queueId, ...groups.map((g) => g.queueId)]) expect(await queuedIds(q)).toEqual([]);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'unavailable'", chat.sessionId)).toBe(1);
  });

  it("with overflow 'off', never involves the cooperative", async () => {
    const { formId, groups } = await cooperative({ overflowMode: "off" });
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    expect(chat.status).toBe("unavailable");
    await expectNoFrame(coop, addedFor(chat.sessionId));
  });
});

describe("roll-over by timeout", () => {
  it("offers to the cooperative when nobody accepted within the library's roll-over time; home librarians can still take it", async () => {
    const rolloverSeconds = 30;
    const { home, formId, groups, homeCookie, homeLibrarian } = await cooperative({ rolloverSeconds });
    const own = await monitorQueue(home.queueId, homeCookie);
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));

    await advanceSession(chat.sessionId, rolloverSeconds * 1000 - 1_000);
    await expectNoFrame(coop, addedFor(chat.sessionId));
    expect(await advanceSession(chat.sessionId, 1_001)).toBe(true);
    await coop.next(addedFor(chat.sessionId));
    // The request stays in the home queue: no removal there.
    await expectNoFrame(own, removedFor(chat.sessionId));

    expect((await accept(chat.sessionId, homeCookie)).status).toBe(200);
    for (const m of [own, coop]) expect(await m.next(removedFor(chat.sessionId))).toMatchObject({ reason: "accepted", by: { id: homeLibrarian.id } });
  });

  it("with overflow 'unstaffed_only', waits at home while the library is staffed", async () => {
    const { home, formId, groups, homeCookie } = await cooperative({ overflowMode: "unstaffed_only" });
    const own = await monitorQueue(home.queueId, homeCookie);
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS * 2);
    await expectNoFrame(coop, addedFor(chat.sessionId));
    // Absence still rolls over.
    await closeSocket(own, 1000);
    await coop.next(addedFor(chat.sessionId));
  });

  it("tries again each roll-over period when the next group has nobody monitoring yet", async () => {
    const { home, formId, groups, homeCookie } = await cooperative();
    const own = await monitorQueue(home.queueId, homeCookie);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    expect(await queuedIds(groups[0]!.queueId)).toEqual([]);

    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    expect(await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS)).toBe(true);
    await coop.next(addedFor(chat.sessionId));
  });

  it("stops at the wait limit like any request: unavailable, and gone from every queue", async () => {
    const { home, formId, groups, homeCookie } = await cooperative();
    await env.DB.prepare("UPDATE libraries SET wait_limit_seconds = 60 WHERE id = ?").bind(home.id).run();
    const own = await monitorQueue(home.queueId, homeCookie);
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    const chat = await startChat(formId);
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    await coop.next(addedFor(chat.sessionId));
    await advanceSession(chat.sessionId, 60_000);
    for (const m of [own, coop]) expect(await m.next(removedFor(chat.sessionId))).toMatchObject({ reason: "unavailable" });
  });
});

describe("a library in two groups", () => {
  it("rolls over to its first group first, then to the second after another roll-over period", async () => {
    const { formId, groups } = await cooperative({ groupCount: 2 });
    const [first, second] = [await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie), await monitorQueue(groups[1]!.queueId, groups[1]!.partnerCookie)];
    const chat = await startChat(formId);
    await first.next(addedFor(chat.sessionId));
    await expectNoFrame(second, addedFor(chat.sessionId));

    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    await second.next(addedFor(chat.sessionId));
    // Both partners may take it; the first to accept wins.
    expect((await accept(chat.sessionId, groups[1]!.partnerCookie)).status).toBe(200);
    for (const m of [first, second]) await m.next(removedFor(chat.sessionId));
    expect((await accept(chat.sessionId, groups[0]!.partnerCookie)).status).toBe(409);
  });

  it("follows the library's order, not the groups' creation order", async () => {
    const { home, formId, groups } = await cooperative({ groupCount: 2 });
    // The library puts its second group first.
    await env.DB.batch([
      env.DB.prepare("UPDATE group_members SET position = 1 WHERE group_id = ? AND library_id = ?").bind(groups[0]!.id, home.id),
      env.DB.prepare("UPDATE group_members SET position = 0 WHERE group_id = ? AND library_id = ?").bind(groups[1]!.id, home.id),
    ]);
    const [first, second] = [await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie), await monitorQueue(groups[1]!.queueId, groups[1]!.partnerCookie)];
    const chat = await startChat(formId);
    await second.next(addedFor(chat.sessionId));
    await expectNoFrame(first, addedFor(chat.sessionId));
  });

  it("skips an unstaffed first group, and offers to it later once someone monitors it", async () => {
    const { formId, groups } = await cooperative({ groupCount: 2 });
    const second = await monitorQueue(groups[1]!.queueId, groups[1]!.partnerCookie);
    const chat = await startChat(formId);
    expect(chat.status).toBe("waiting");
    await second.next(addedFor(chat.sessionId));
    expect(await queuedIds(groups[0]!.queueId)).toEqual([]);

    const first = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    await first.next(addedFor(chat.sessionId));
  });
});

describe("no double offers, nothing lost", () => {
  it("a librarian monitoring both their library's queue and the cooperative's sees the request once", async () => {
    const { home, formId, groups, homeLibrarian } = await cooperative();
    // The home library is a member too, so its librarian staffs the group queue as well.
    const both = await signIn(homeLibrarian);
    const own = await monitorQueue(home.queueId, both);
    const coop = await monitorQueue(groups[0]!.queueId, both);
    const chat = await startChat(formId);
    await own.next(addedFor(chat.sessionId));
    await advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS);
    await coop.next(addedFor(chat.sessionId));
    // Concurrent triggers (the timer again, an unstaffed notice) do not offer it twice anywhere.
    await Promise.all([advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS), sessionStub(chat.sessionId).queueUnstaffed(home.queueId)]);
    await settle(200);
    for (const m of [own, coop]) expect(m.frames.filter(addedFor(chat.sessionId))).toHaveLength(1);
    // The monitor shows it once.
    let model = emptyQueueModel;
    for (const f of [...own.frames, ...coop.frames]) model = applyQueueFrame(model, f, homeLibrarian.id);
    expect(waitingList(model, homeLibrarian.id).map((r) => r.sessionId)).toEqual([chat.sessionId]);
  });

  it("an accept racing a roll-over leaves the request in no queue, with one winner", async () => {
    const { home, formId, groups, homeCookie } = await cooperative();
    const own = await monitorQueue(home.queueId, homeCookie);
    const coop = await monitorQueue(groups[0]!.queueId, groups[0]!.partnerCookie);
    for (let trial = 0; trial < 6; trial++) {
      const chat = await startChat(formId);
      await own.next(addedFor(chat.sessionId));
      const [, res] = await Promise.all([advanceSession(chat.sessionId, DEFAULT_ROLLOVER_MS), accept(chat.sessionId, homeCookie)]);
      expect(res.status).toBe(200);
      await settle(100);
      expect(await queuedIds(home.queueId)).not.toContain(chat.sessionId);
      expect(await queuedIds(groups[0]!.queueId)).not.toContain(chat.sessionId);
      // If the cooperative was shown it, it was also told it is gone.
      const shown = coop.frames.filter(addedFor(chat.sessionId)).length;
      expect(coop.frames.filter(removedFor(chat.sessionId)).length).toBe(shown);
    }
  });
});
