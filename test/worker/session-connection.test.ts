/**
 * The client side of resuming (src/client/shared/session-connection.ts), with a
 * scripted socket standing in for the network: it says hello with the last
 * sequence number it has shown, keeps unacknowledged sends and sends them again
 * with the same client id after a drop, shows each message once, and counts as
 * "new to the reader" every message it had not seen once the first backlog is in
 * — including those a reconnect's backlog brings.
 */
import { describe, expect, it } from "vitest";
import { SessionConnection } from "../../src/client/shared/session-connection";
import { MESSAGE_RATE, SOCKET_FRAME_RATE } from "../../src/shared/limits";
import type { ChatMessage, SessionServerMessage, SessionView } from "../../src/shared/protocol";

/** A WebSocket the test drives: it records what the client sends and delivers what the test says. */
class ScriptedSocket {
  static all: ScriptedSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    ScriptedSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  deliver(frame: SessionServerMessage) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: "" });
  }
  send(data: string) {
    this.sent.push(data === "ping" ? data : JSON.parse(data));
  }
  close() {
    this.drop(1000);
  }
}

const view: SessionView = {
  id: "s1",
  status: "active",
  libraryId: "lib",
  libraryName: "Library",
  question: "Q",
  patronName: "Pat",
  librarian: { id: "l1", name: "Lee", libraryId: "lib" },
  createdAt: 0,
  acceptedAt: 0,
  endedAt: null,
};

const message = (seq: number, clientId: string | null = null): ChatMessage => ({
  seq,
  clientId,
  author: { role: "patron", name: "Pat" },
  kind: "text",
  body: `message ${seq}`,
  at: seq,
  whileWaiting: false,
});

const welcome = (lastSeq: number): SessionServerMessage => ({ type: "welcome", role: "librarian", session: view, lastSeq });

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("SessionConnection", () => {
  it("resumes after a drop with nothing lost, doubled or re-announced, and resends what was not acknowledged", async () => {
    ScriptedSocket.all = [];
    const live: number[] = [];
    const conn = new SessionConnection({
      url: "ws://refdesk.test/api/chats/s1/socket",
      onChange: () => undefined,
      onLiveMessage: (m) => live.push(m.seq),
      WebSocketImpl: ScriptedSocket as unknown as typeof WebSocket,
    });

    const first = ScriptedSocket.all[0]!;
    first.open();
    expect(first.sent[0]).toEqual({ type: "hello", lastSeq: 0 });
    first.deliver(welcome(2));
    first.deliver({ type: "message", message: message(1) });
    first.deliver({ type: "message", message: message(2) });
    expect(conn.current.synced).toBe(true);
    expect(live).toEqual([]); // the backlog is history, not news

    first.deliver({ type: "message", message: message(3) });
    expect(live).toEqual([3]);

    // A message sent just before the connection drops, never acknowledged.
    const clientId = conn.send("are you there?");
    expect(first.sent.at(-1)).toEqual({ type: "send", clientId, body: "are you there?" });
    first.drop();
    expect(conn.current.connection).toBe("reconnecting");
    expect(conn.current.pending.map((p) => p.clientId)).toEqual([clientId]);

    // The client comes back by itself and asks for what it missed.
    await until(() => ScriptedSocket.all.length === 2);
    const second = ScriptedSocket.all[1]!;
    second.open();
    expect(second.sent[0]).toEqual({ type: "hello", lastSeq: 3 });
    second.deliver(welcome(5));
    // The unacknowledged message goes again, with the same client id (the server stores it once).
    expect(second.sent.filter((f) => typeof f === "object" && (f as { type: string }).type === "send")).toEqual([{ type: "send", clientId, body: "are you there?" }]);
    // The backlog overlaps what was shown (3) and brings what arrived while away (4, 5).
    second.deliver({ type: "message", message: message(3) });
    second.deliver({ type: "message", message: message(4) });
    second.deliver({ type: "message", message: message(5, clientId) });
    second.deliver({ type: "ack", clientId, seq: 5, duplicate: true });

    expect(conn.current.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(conn.current.pending).toEqual([]);
    // Messages that came while away are new to the reader, each once.
    expect(live).toEqual([3, 4, 5]);
    conn.close();
  });

  it("keeps a message refused as too fast 'sending' without an error, and sends it again when the server says", async () => {
    ScriptedSocket.all = [];
    const conn = new SessionConnection({ url: "ws://refdesk.test/x", onChange: () => undefined, WebSocketImpl: ScriptedSocket as unknown as typeof WebSocket });
    const socket = ScriptedSocket.all[0]!;
    socket.open();
    socket.deliver(welcome(0));
    const clientId = conn.send("one more thing");
    const sends = () => socket.sent.filter((f) => typeof f === "object" && (f as { type: string }).type === "send");
    socket.deliver({ type: "error", code: "rate_limited", message: "Messages are arriving too fast", clientId, retryAfterMs: 150 });
    expect(conn.current.error).toBeNull();
    expect(conn.current.pending.map((p) => p.clientId)).toEqual([clientId]);
    expect(sends()).toHaveLength(1);
    await until(() => sends().length === 2);
    expect(sends()[1]).toEqual({ type: "send", clientId, body: "one more thing" });
    socket.deliver({ type: "ack", clientId, seq: 1, duplicate: false });
    expect(conn.current.pending).toEqual([]);
    // Any other refusal is shown.
    socket.deliver({ type: "error", code: "not_active", message: "This chat is not open for messages now." });
    expect(conn.current.error).toBe("This chat is not open for messages now.");
    conn.close();
  });

  it("sends a long backlog of unsent lines a burst at a time after a reconnect, the rest as answers come, each once", async () => {
    ScriptedSocket.all = [];
    const conn = new SessionConnection({ url: "ws://refdesk.test/x", onChange: () => undefined, WebSocketImpl: ScriptedSocket as unknown as typeof WebSocket });
    const socket = ScriptedSocket.all[0]!;
    // Typed while the connection was still being made: 50 lines, none sent yet.
    const ids = Array.from({ length: 50 }, (_, i) => conn.send(`line ${i}`));
    const sends = () => socket.sent.filter((f): f is { type: "send"; clientId: string } => typeof f === "object" && (f as { type: string }).type === "send");
    socket.open();
    socket.deliver(welcome(0));
    // No more at once than the author's burst: the socket's fair share drops frames past its own, unanswered.
    expect(sends()).toHaveLength(MESSAGE_RATE.burst);
    expect(MESSAGE_RATE.burst).toBeLessThan(SOCKET_FRAME_RATE.burst);
    expect(sends().map((f) => f.clientId)).toEqual(ids.slice(0, MESSAGE_RATE.burst));
    // Each answer lets the next line go: an ack, the message itself coming back, or a refusal for good.
    socket.deliver({ type: "ack", clientId: ids[0]!, seq: 1, duplicate: false });
    socket.deliver({ type: "message", message: message(2, ids[1]!) });
    socket.deliver({ type: "error", code: "too_large", message: "Too long", clientId: ids[2]! });
    expect(sends()).toHaveLength(MESSAGE_RATE.burst + 3);
    // A line refused as too fast stays out (it is sent again when the server says), so it lets none go.
    socket.deliver({ type: "error", code: "rate_limited", message: "Too fast", clientId: ids[3]!, retryAfterMs: 60_000 });
    expect(sends()).toHaveLength(MESSAGE_RATE.burst + 3);
    let seq = 3;
    for (let i = 4; i < 50; i++) {
      await until(() => sends().some((f) => f.clientId === ids[i]));
      socket.deliver({ type: "ack", clientId: ids[i]!, seq: seq++, duplicate: false });
    }
    expect(sends().map((f) => f.clientId)).toEqual(ids);
    expect(conn.current.pending.map((p) => p.clientId)).toEqual([ids[3]]);
    conn.close();
  });

  it("does not reconnect after the session ended (4000) or a refusal (1008)", async () => {
    for (const code of [4000, 1008]) {
      ScriptedSocket.all = [];
      const conn = new SessionConnection({ url: "ws://refdesk.test/x", onChange: () => undefined, WebSocketImpl: ScriptedSocket as unknown as typeof WebSocket });
      ScriptedSocket.all[0]!.open();
      ScriptedSocket.all[0]!.drop(code);
      await new Promise((r) => setTimeout(r, 1200));
      expect(ScriptedSocket.all).toHaveLength(1);
      expect(conn.current.connection).toBe("closed");
    }
  });
});
