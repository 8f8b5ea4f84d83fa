/**
 * One patron, one socket, however many tabs.
 *
 * Every tab that shows a chat creates a PatronChat. The tabs of one site elect
 * a leader with the Web Locks API (a lock per chat session: the holder leads,
 * the others queue for it). Only the leader opens the session socket; it
 * shares each snapshot with the other tabs over a BroadcastChannel and carries
 * out what they ask (send, typing, leave, transcript choice). When the leader
 * tab closes, its lock is released and the next tab takes over, resuming from
 * the messages it already shows — and sending again whatever it had sent that
 * the old leader never confirmed (the server's client-id check stores it once).
 *
 * Where Web Locks are missing (plain-http sites, old browsers) each tab keeps
 * its own socket; the session object serves several patron sockets correctly.
 */
import type { SessionClientMessage } from "../../shared/protocol";
import { SessionConnection, newClientId, socketUrl, type PendingMessage, type SessionSeed, type SessionSnapshot } from "../shared/session-connection";

type Command =
  | { t: "send"; clientId: string; body: string }
  | { t: "typing"; active: boolean }
  | { t: "leave" }
  | { t: "transcript"; send: boolean; email?: string }
  | { t: "frame"; frame: SessionClientMessage };
type TabMessage = { t: "hello" } | { t: "snapshot"; snapshot: SessionSnapshot } | Command;

export interface PatronChatOptions {
  sessionId: string;
  token: string;
  /** The Refdesk service's origin (not the page's, inside the Qwidget). */
  origin: string;
}

/** One tab's view of the patron's chat (leading or following; the caller need not know which). */
export interface PatronChat {
  /** What this tab shows: its own connection's snapshot, or the leader's. */
  readonly current: SessionSnapshot | null;
  /** Calls `listener` now with what there is, then on every change. */
  subscribe(listener: (s: SessionSnapshot) => void): () => void;
  send(body: string): void;
  setTyping(active: boolean): void;
  leave(): void;
  setTranscript(send: boolean, email?: string): void;
  /** Sends a frame as it is, from whichever tab leads (the co-browse check, declining co-browsing). */
  sendFrame(frame: SessionClientMessage): void;
  /** This tab stops showing the chat: hand the lead (and the socket) to another tab, if any. */
  close(): void;
}

// A closure rather than a class: its private state minifies to one-letter names (the Qwidget has a byte budget).
export function patronChat(opts: PatronChatOptions): PatronChat {
  const name = `refdesk-chat-${opts.sessionId}`;
  const locks = globalThis.navigator?.locks;
  const channel = locks && typeof BroadcastChannel === "function" ? new BroadcastChannel(name) : null;
  const listeners = new Set<(s: SessionSnapshot) => void>();
  let connection: SessionConnection | null = null;
  let snapshot: SessionSnapshot | null = null;
  /** Sent from this tab while another leads, until the leader shows it. */
  let unconfirmed: PendingMessage[] = [];
  let stopElection = () => {};

  const post = (m: TabMessage) => channel?.postMessage(m);
  const notIn = (list: PendingMessage[]) => (p: PendingMessage) => !list.some((q) => q.clientId === p.clientId);
  // A follower shows the leader's snapshot; what it sent appears there within a moment, as the leader takes it.
  const emit = () => {
    if (snapshot) for (const l of listeners) l(snapshot);
  };

  const lead = () => {
    const s = snapshot;
    const pending = [...(s?.pending ?? []), ...unconfirmed.filter(notIn(s?.pending ?? []))];
    const seed: SessionSeed | undefined = s?.synced ? { session: s.session, messages: s.messages, pending, synced: true, transcript: s.transcript } : undefined;
    const mine = new SessionConnection({
      url: socketUrl(`/api/chats/${opts.sessionId}/socket`, opts.origin),
      token: opts.token,
      seed,
      onChange: (next) => {
        if (connection !== mine) return;
        snapshot = next;
        emit();
        post({ t: "snapshot", snapshot: next });
        // An ended chat has nothing more to say: let the socket go.
        if (next.session?.status === "ended" && next.synced && next.connection === "open") mine.close();
      },
    });
    connection = mine;
    if (!seed) for (const p of pending) mine.send(p.body, p.clientId);
    unconfirmed = [];
  };

  const fromTab = (m: TabMessage) => {
    const c = connection;
    if (m.t === "snapshot") {
      if (c) return;
      snapshot = m.snapshot;
      unconfirmed = unconfirmed.filter((p) => !m.snapshot.messages.some((x) => x.clientId === p.clientId));
      // A new leader may never have heard of these: ask again (it ignores ids it knows).
      for (const p of unconfirmed.filter(notIn(m.snapshot.pending))) post({ t: "send", clientId: p.clientId, body: p.body });
      emit();
    } else if (c) {
      if (m.t === "hello") {
        if (snapshot) post({ t: "snapshot", snapshot });
      } else if (m.t === "send") c.send(m.body, m.clientId);
      else if (m.t === "typing") c.setTyping(m.active);
      else if (m.t === "leave") c.leave();
      else if (m.t === "frame") c.sendFrame(m.frame);
      else c.setTranscript(m.send, m.email);
    }
  };

  /** Carry a command out here when leading, or ask the leader to. */
  const command = (m: Command, here: (c: SessionConnection) => void) => (connection ? here(connection) : post(m));

  if (channel && locks) {
    channel.onmessage = (e: MessageEvent<TabMessage>) => fromTab(e.data);
    const abort = new AbortController();
    let release = () => {};
    locks.request(name, { signal: abort.signal }, () => new Promise<void>((resolve) => ((release = resolve), lead()))).catch(() => undefined);
    stopElection = () => (abort.abort(), release());
    // A leader, if there is one, answers with what it shows.
    post({ t: "hello" });
  } else {
    lead();
  }

  return {
    get current() {
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      // What arrived before the subscriber did (another tab's snapshot can come first).
      if (snapshot) listener(snapshot);
      return () => listeners.delete(listener);
    },
    send(body) {
      if (connection) return void connection.send(body);
      const clientId = newClientId();
      unconfirmed.push({ clientId, body, status: "sending" });
      post({ t: "send", clientId, body });
    },
    setTyping: (active) => command({ t: "typing", active }, (c) => c.setTyping(active)),
    leave: () => command({ t: "leave" }, (c) => c.leave()),
    setTranscript: (send, email) => command({ t: "transcript", send, email }, (c) => c.setTranscript(send, email)),
    sendFrame: (frame) => command({ t: "frame", frame }, (c) => c.sendFrame(frame)),
    close() {
      listeners.clear();
      const c = connection;
      connection = null;
      c?.close();
      stopElection();
      channel?.close();
    },
  };
}
