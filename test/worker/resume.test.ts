/**
 * Durable messages and resumable clients: every message gets the next sequence
 * number with no gaps; a client that reconnects saying the last number it saw
 * gets exactly the rest, once, in order; a retried client id is acknowledged
 * with its original number and stored once; hibernation loses nothing.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/shared/protocol";
import {
  activeChat,
  closeSocket,
  librarianSocket,
  messagesOn,
  patronSocket,
  sendMessage,
  sessionStub,
  settle,
  transcriptOf,
  type SessionSocket,
} from "./helpers";

const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** Waits until a socket has seen the message with sequence number `seq`. */
const seen = (s: SessionSocket, seq: number) => s.next((f) => f.type === "message" && f.message.seq === seq);

/** Waits until every socket has received everything stored so far; returns how many that is. */
async function caughtUp(sessionId: string, cookie: string, ...sockets: SessionSocket[]): Promise<number> {
  const n = (await transcriptOf(sessionId, cookie)).length;
  await Promise.all(sockets.map((s) => seen(s, n)));
  return n;
}

describe("sequence numbers", () => {
  it("numbers messages 1, 2, 3… with no gaps, even when both sides send at once", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    // Both sides fire without waiting for acknowledgements.
    for (let i = 0; i < 15; i++) {
      patron.send({ type: "send", clientId: `p-${i}`, body: `patron ${i}` });
      librarian.send({ type: "send", clientId: `l-${i}`, body: `librarian ${i}` });
    }
    const acks = await Promise.all([
      ...range(0, 14).map((i) => patron.next((f) => f.type === "ack" && f.clientId === `p-${i}`)),
      ...range(0, 14).map((i) => librarian.next((f) => f.type === "ack" && f.clientId === `l-${i}`)),
    ]);
    const acked = acks.map((a) => (a.type === "ack" ? a.seq : -1));
    expect(new Set(acked).size).toBe(30);

    const stored = await transcriptOf(chat.sessionId, cookie);
    expect(seqs(stored)).toEqual(range(1, stored.length));
    expect(stored.map((m) => m.at)).toEqual(stored.map((m) => m.at).sort((a, b) => a - b));
    // Each side's own messages keep the order they were sent in.
    const patronBodies = stored.filter((m) => m.clientId?.startsWith("p-")).map((m) => m.body);
    expect(patronBodies).toEqual(range(0, 14).map((i) => `patron ${i}`));

    // Both sides saw every message, in sequence order, exactly once.
    await seen(patron, stored.length);
    await seen(librarian, stored.length);
    for (const s of [patron, librarian]) expect(seqs(messagesOn(s))).toEqual(range(1, stored.length));
  });
});

describe("reconnecting", () => {
  it("gives a patron who reconnects with lastSeq=k exactly messages k+1..n, once, in order", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    await sendMessage(patron, "p-1", "Is the archive open on Saturdays?");
    await sendMessage(librarian, "l-1", "Yes, 10 to 4.");
    const k = await caughtUp(chat.sessionId, cookie, patron);

    await closeSocket(patron);
    // The librarian keeps writing while the patron is away.
    for (let i = 2; i <= 4; i++) await sendMessage(librarian, `l-${i}`, `Missed message ${i}`);
    const n = (await transcriptOf(chat.sessionId, cookie)).length;
    expect(n).toBe(k + 3);

    const back = await patronSocket(chat.sessionId, chat.token, k);
    const welcome = back.frames[0];
    expect(welcome).toMatchObject({ type: "welcome", role: "patron", lastSeq: n });
    await settle();
    expect(seqs(messagesOn(back))).toEqual(range(k + 1, n));
    expect(messagesOn(back).map((m) => m.body)).toEqual(["Missed message 2", "Missed message 3", "Missed message 4"]);

    // Live messages continue after the replay, without repeats.
    await sendMessage(librarian, "l-5", "Welcome back.");
    await seen(back, n + 1);
    await settle();
    expect(seqs(messagesOn(back))).toEqual(range(k + 1, n + 1));
  });

  it("gives a librarian who reconnects with lastSeq=k exactly messages k+1..n, once, in order", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    await sendMessage(librarian, "l-1", "Hello, how can I help?");
    const k = await caughtUp(chat.sessionId, cookie, librarian);

    await closeSocket(librarian);
    for (let i = 1; i <= 3; i++) await sendMessage(patron, `p-${i}`, `While you were away ${i}`);
    const n = k + 3;

    const back = await librarianSocket(chat.sessionId, cookie, k);
    expect(back.frames[0]).toMatchObject({ type: "welcome", role: "librarian", lastSeq: n });
    await settle();
    expect(seqs(messagesOn(back))).toEqual(range(k + 1, n));
    expect(messagesOn(back).map((m) => m.body)).toEqual(["While you were away 1", "While you were away 2", "While you were away 3"]);
  });

  it("replays everything to a client that says lastSeq=0, and nothing to one that is up to date", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    await sendMessage(librarian, "l-1", "One");
    const n = await caughtUp(chat.sessionId, cookie, patron);

    const fresh = await patronSocket(chat.sessionId, chat.token, 0);
    const upToDate = await patronSocket(chat.sessionId, chat.token, n);
    await settle();
    expect(seqs(messagesOn(fresh))).toEqual(range(1, n));
    expect(messagesOn(upToDate)).toEqual([]);
  });
});

describe("retries", () => {
  it("acknowledges a re-sent clientId with the original seq and duplicate:true, and stores it once", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    const first = await sendMessage(patron, "retry-1", "Can I renew online?");
    expect(first.duplicate).toBe(false);

    // Same socket, straight away (the ack was "lost").
    patron.send({ type: "send", clientId: "retry-1", body: "Can I renew online?" });
    const again = await patron.next((f) => f.type === "ack" && f.clientId === "retry-1" && f.duplicate);
    expect(again).toMatchObject({ seq: first.seq, duplicate: true });

    // After a reconnect, as a client resending its outbox would.
    await closeSocket(patron);
    const back = await patronSocket(chat.sessionId, chat.token, first.seq);
    const afterReconnect = await sendMessage(back, "retry-1", "Can I renew online?");
    expect(afterReconnect).toMatchObject({ seq: first.seq, duplicate: true });

    const stored = await transcriptOf(chat.sessionId, cookie);
    expect(stored.filter((m) => m.body === "Can I renew online?")).toHaveLength(1);
    expect(seqs(stored)).toEqual(range(1, stored.length));
    await settle();
    expect(messagesOn(librarian).filter((m) => m.body === "Can I renew online?")).toHaveLength(1);

    // A client id belongs to its author: the librarian may use the same one.
    const librarianOwn = await sendMessage(librarian, "retry-1", "Yes, from your account page.");
    expect(librarianOwn).toMatchObject({ duplicate: false, seq: stored.length + 1 });
  });
});

describe("hibernation", () => {
  it("loses nothing when the session object is evicted mid-chat: sockets survive, state comes back from storage", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    await sendMessage(patron, "p-1", "Before the nap");
    await sendMessage(librarian, "l-1", "Reply before the nap");
    const before = await transcriptOf(chat.sessionId, cookie);
    const stub = sessionStub(chat.sessionId);
    // Mark the live instance (its clock is in memory), so we can tell a new one.
    await runInDurableObject(stub, (obj) => obj.clock.advance(3_600_000));

    await evictDurableObject(stub);

    expect(await runInDurableObject(stub, (obj) => obj.clock.now() - Date.now())).toBeLessThan(60_000);
    // Both sockets are still open and still authenticated, without a new hello.
    const after = await sendMessage(patron, "p-2", "After the nap");
    expect(after).toMatchObject({ seq: before.length + 1, duplicate: false });
    await librarian.next((f) => f.type === "message" && f.message.body === "After the nap");
    await sendMessage(librarian, "l-2", "Still here");
    await patron.next((f) => f.type === "message" && f.message.body === "Still here");
    // Client ids sent before the eviction are still known.
    expect(await sendMessage(patron, "p-1", "Before the nap")).toMatchObject({ seq: before[before.length - 2]!.seq, duplicate: true });

    await evictDurableObject(stub);
    // A reconnect after another eviction replays from storage.
    const back = await patronSocket(chat.sessionId, chat.token, before.length);
    await settle();
    expect(messagesOn(back).map((m) => m.body)).toEqual(["After the nap", "Still here"]);
    const stored = await transcriptOf(chat.sessionId, cookie);
    expect(stored.slice(0, before.length)).toEqual(before);
    expect(seqs(stored)).toEqual(range(1, before.length + 2));
    expect(patron.ws.readyState).toBe(WebSocket.OPEN);
    expect(librarian.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe("several patron connections", () => {
  it("delivers every message to both of a patron's simultaneous connections", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    const secondTab = await patronSocket(chat.sessionId, chat.token, await caughtUp(chat.sessionId, cookie, patron));

    await sendMessage(librarian, "l-1", "To both tabs");
    await sendMessage(patron, "p-1", "From tab one");
    await sendMessage(secondTab, "p-2", "From tab two");
    await caughtUp(chat.sessionId, cookie, patron, secondTab, librarian);
    await settle();

    const bodies = (s: SessionSocket) => messagesOn(s).map((m) => m.body);
    expect(bodies(patron).slice(-3)).toEqual(["To both tabs", "From tab one", "From tab two"]);
    expect(bodies(secondTab)).toEqual(["To both tabs", "From tab one", "From tab two"]);
    expect(bodies(librarian).filter((b) => b.startsWith("From tab"))).toEqual(["From tab one", "From tab two"]);
  });
});
