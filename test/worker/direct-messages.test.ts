/**
 * Librarians talking beyond a queue: colleagues of one library and its
 * cooperatives with their presence, direct messages between any two of them
 * (pushed to the recipient's open monitor on whatever queue they watch, kept
 * in D1 for a monitor that was closed, read marks, retries stored once), and
 * nobody outside the library and its cooperatives reached. A consult reaches
 * a cooperative partner who monitors only their own library's queue.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import type { DirectMessage, QueueServerMessage } from "../../src/shared/protocol";
import { LIMITS, TIMING } from "../../src/shared/limits";
import { dropOldDirectMessages } from "../../src/staff/direct-messages";
import { activeChat, call, countRows, createGroup, createLibrarian, createLibrary, monitorQueue, signIn, uniqueId, monitorsShown } from "./helpers";

interface ColleagueRow {
  id: string;
  name: string;
  libraryId: string;
  presence: string;
  unread: number;
}

const colleaguesOf = async (cookie: string): Promise<ColleagueRow[]> => {
  const res = await call("/api/staff/colleagues", { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { colleagues: ColleagueRow[] }).colleagues;
};
const send = (cookie: string, to: string, body: string, clientId = crypto.randomUUID()) => call(`/api/staff/direct/${to}`, { method: "POST", cookie, json: { clientId, body } });
const read = async (cookie: string, withId: string): Promise<DirectMessage[]> => {
  const res = await call(`/api/staff/direct/${withId}`, { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: DirectMessage[] }).messages;
};

/** Two libraries in one cooperative, and a third outside it, each with a librarian signed in. */
async function cooperative() {
  const home = await createLibrary({ name: "Home Library" });
  const partner = await createLibrary({ name: "Partner Library" });
  const outside = await createLibrary({ name: "Outside Library" });
  await createGroup(uniqueId("grp"), "Talk Cooperative", [home.id, partner.id]);
  const ann = await createLibrarian(home.id, "Ann");
  const bea = await createLibrarian(home.id, "Bea");
  const pia = await createLibrarian(partner.id, "Pia");
  const oz = await createLibrarian(outside.id, "Oz");
  const [annC, beaC, piaC, ozC] = await Promise.all([ann, bea, pia, oz].map(signIn));
  return { home, partner, outside, ann, bea, pia, oz, annC: annC!, beaC: beaC!, piaC: piaC!, ozC: ozC! };
}

describe("colleagues", () => {
  it("are the library's and its cooperatives' librarians, with presence from any queue they monitor", async () => {
    const w = await cooperative();
    const before = await colleaguesOf(w.annC);
    expect(before.map((c) => c.name)).toEqual(["Bea", "Pia"]);
    expect(before.every((c) => c.presence === "offline")).toBe(true);

    // Pia monitors only her own library's queue, which Ann cannot staff: Ann still sees her online, then busy.
    const piaMonitor = await monitorQueue(w.partner.queueId, w.piaC);
    expect((await colleaguesOf(w.annC)).find((c) => c.id === w.pia.id)?.presence).toBe("online");
    piaMonitor.send({ type: "set_status", status: "busy" });
    await piaMonitor.next(() => monitorsShown(piaMonitor).some((m) => m.librarianId === w.pia.id && m.status === "busy"));
    expect((await colleaguesOf(w.annC)).find((c) => c.id === w.pia.id)?.presence).toBe("busy");

    // Oz is outside the cooperative: neither sees the other.
    expect((await colleaguesOf(w.ozC)).map((c) => c.id)).not.toContain(w.ann.id);
    expect((await colleaguesOf(w.annC)).map((c) => c.id)).not.toContain(w.oz.id);
  });
});

describe("direct messages", () => {
  it("reach a cooperative partner's open monitor at once, are stored once per client id, and count as unread until read", async () => {
    const w = await cooperative();
    const piaMonitor = await monitorQueue(w.partner.queueId, w.piaC);
    const clientId = crypto.randomUUID();
    const sent = await send(w.annC, w.pia.id, "Do you hold the 1910 census on film?", clientId);
    expect(sent.status).toBe(201);
    const { message } = (await sent.json()) as { message: DirectMessage };
    expect(message).toMatchObject({ from: { id: w.ann.id, name: "Ann" }, to: { id: w.pia.id, name: "Pia" }, readAt: null });
    const pushed = (await piaMonitor.next((f) => f.type === "direct.message")) as Extract<QueueServerMessage, { type: "direct.message" }>;
    expect(pushed.message).toMatchObject({ id: message.id, body: "Do you hold the 1910 census on film?" });

    // A retry (same client id) stores nothing new and answers the stored message.
    const again = await send(w.annC, w.pia.id, "Do you hold the 1910 census on film?", clientId);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { message: DirectMessage }).message.id).toBe(message.id);
    expect(await countRows("SELECT 1 FROM direct_messages WHERE from_librarian_id = ?", w.ann.id)).toBe(1);

    expect((await colleaguesOf(w.piaC)).find((c) => c.id === w.ann.id)?.unread).toBe(1);
    expect((await read(w.piaC, w.ann.id)).map((m) => m.body)).toEqual(["Do you hold the 1910 census on film?"]);
    const marked = await call(`/api/staff/direct/${w.ann.id}/read`, { method: "POST", cookie: w.piaC });
    expect(await marked.json()).toEqual({ read: 1 });
    expect((await colleaguesOf(w.piaC)).find((c) => c.id === w.ann.id)?.unread).toBe(0);

    // The answer goes back the same way; both see the conversation in order.
    expect((await send(w.piaC, w.ann.id, "Yes, reels 1 to 40.")).status).toBe(201);
    expect((await read(w.annC, w.pia.id)).map((m) => m.from.name)).toEqual(["Ann", "Pia"]);
  });

  it("wait in D1 for a colleague who is offline, and are read when their monitor opens", async () => {
    const w = await cooperative();
    expect((await send(w.annC, w.bea.id, "Can you cover my desk at three?")).status).toBe(201);
    expect((await colleaguesOf(w.beaC)).find((c) => c.id === w.ann.id)).toMatchObject({ presence: "offline", unread: 1 });
    expect((await read(w.beaC, w.ann.id)).map((m) => m.body)).toEqual(["Can you cover my desk at three?"]);
  });

  it("never reach outside the library and its cooperatives, nor oneself, and bad input changes nothing", async () => {
    const w = await cooperative();
    for (const [cookie, to] of [
      [w.annC, w.oz.id],
      [w.ozC, w.ann.id],
      [w.annC, w.ann.id],
      [w.annC, "no-such-librarian"],
    ] as const) {
      const res = await send(cookie, to, "hello");
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
      expect((await call(`/api/staff/direct/${to}`, { cookie })).status).toBe(404);
    }
    const empty = await send(w.annC, w.bea.id, "   ");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: "validation_failed", field: "body" } });
    const foreign = await call(`/api/staff/direct/${w.bea.id}`, { method: "POST", cookie: w.annC, json: { clientId: "x", body: "hi" }, headers: { Origin: "https://elsewhere.example" } });
    expect(foreign.status).toBe(403);
    expect((await call("/api/staff/colleagues")).status).toBe(401);
    expect(await countRows("SELECT 1 FROM direct_messages WHERE from_librarian_id IN (?, ?)", w.ann.id, w.oz.id)).toBe(0);
  });

  it("are refused past the rate for a minute, and a retry of one stored is still answered", async () => {
    const w = await cooperative();
    const first = crypto.randomUUID();
    expect((await send(w.annC, w.bea.id, "message 0", first)).status).toBe(201);
    for (let i = 1; i < LIMITS.directMessagesPerMinute; i++) expect((await send(w.annC, w.bea.id, `message ${i}`)).status).toBe(201);
    const refused = await send(w.annC, w.bea.id, "one too many");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect((await send(w.annC, w.bea.id, "message 0", first)).status).toBe(200);
    expect(await countRows("SELECT 1 FROM direct_messages WHERE from_librarian_id = ?", w.ann.id)).toBe(LIMITS.directMessagesPerMinute);
    // Someone else is not slowed by Ann.
    expect((await send(w.beaC, w.ann.id, "all good here")).status).toBe(201);
  });

  it("are dropped by the daily scrub once older than they are kept", async () => {
    const w = await cooperative();
    expect((await send(w.annC, w.bea.id, "old news")).status).toBe(201);
    const now = Date.now();
    expect(await dropOldDirectMessages(database(env.DB), now)).toBe(0);
    await dropOldDirectMessages(database(env.DB), now + TIMING.directMessagesKeepMs + 1000);
    expect(await countRows("SELECT 1 FROM direct_messages WHERE from_librarian_id = ?", w.ann.id)).toBe(0);
  });
});

describe("a consult with a cooperative partner", () => {
  it("reaches a partner online on their own library's queue only, never someone outside or away", async () => {
    const { chat, library, cookie } = await activeChat();
    const partner = await createLibrary({ name: "Partner Library" });
    const outside = await createLibrary({ name: "Outside Library" });
    await createGroup(uniqueId("grp"), "Consult Cooperative", [library.id, partner.id]);
    const pia = await createLibrarian(partner.id, "Pia");
    const oz = await createLibrarian(outside.id, "Oz");
    const piaMonitor = await monitorQueue(partner.queueId, await signIn(pia));
    await monitorQueue(outside.queueId, await signIn(oz));
    const invite = (librarianId: string) => call(`/api/chats/${chat.sessionId}/consult`, { method: "POST", cookie, json: { librarianId } });
    expect((await invite(oz.id)).status).toBe(404);
    piaMonitor.send({ type: "set_status", status: "away" });
    await piaMonitor.next(() => monitorsShown(piaMonitor).some((m) => m.librarianId === pia.id && m.status === "away"));
    expect((await invite(pia.id)).status).toBe(404);
    piaMonitor.send({ type: "set_status", status: "online" });
    await piaMonitor.nextFrom(() => monitorsShown(piaMonitor).some((m) => m.librarianId === pia.id && m.status === "online"));
    expect((await invite(pia.id)).status).toBe(200);
    await piaMonitor.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId && !!f.request.consult);
  });
});
