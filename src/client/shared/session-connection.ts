/**
 * A resumable connection to one chat session, used by the patron window, the
 * Qwidget and the librarian monitor alike.
 *
 * - Reconnects by itself with jittered exponential backoff, and says so
 *   ("connecting", "open", "reconnecting", "closed").
 * - Resumes: on every (re)connect it says hello with the last sequence number
 *   it has shown and receives the rest, in order, once.
 * - Never loses a send: each message gets a client id and stays "sending" until
 *   the server acknowledges it; unacknowledged sends are sent again after a
 *   reconnect, and the server's client-id check makes that safe.
 * - Pings so the server can tell a dead socket from a quiet one.
 */
import type { BrowserCheck, ChatMessage, CobrowseView, PageEvent, SessionClientMessage, SessionServerMessage, SessionView, TranscriptChoice } from "../../shared/protocol";
import type { RefusalFacts } from "../../i18n/refusal-words";
import { MESSAGE_RATE } from "../../shared/limits";
import { ReconnectingSocket, type SocketState } from "./reconnecting-socket";

export { socketUrl } from "./reconnecting-socket";

export type ConnectionState = SocketState;

export interface PendingMessage {
  clientId: string;
  body: string;
  /** "sending" until acknowledged; acknowledged messages move into `messages`. */
  status: "sending";
}

export interface SessionSnapshot {
  connection: ConnectionState;
  session: SessionView | null;
  /** Every stored message, by sequence number. */
  messages: ChatMessage[];
  pending: PendingMessage[];
  /** The other side is typing: their name, or null. */
  typing: string | null;
  /** True once the backlog after a hello has arrived: new messages after this are live. */
  synced: boolean;
  error: string | null;
  /** The last refusal's code and field, for words in the patron's language (`error` is the server's English, for librarians). */
  problem?: RefusalFacts | null;
  /** Patrons only: whether the transcript will be e-mailed, and where. */
  transcript: TranscriptChoice | null;
  /** Where co-browsing stands (absent until the server says). */
  cobrowse?: CobrowseView;
  /** Librarians only: the co-browse check of the patron's browser. */
  check?: BrowserCheck;
}

/** What a new connection can take over from an earlier one (another tab's): it resumes from there instead of starting over. */
export type SessionSeed = Pick<SessionSnapshot, "session" | "messages" | "pending" | "synced" | "transcript">;

export interface SessionConnectionOptions {
  /** ws(s):// URL of the session socket. */
  url: string;
  /** The patron's token; librarians are known by their cookie. */
  token?: string;
  onChange: (snapshot: SessionSnapshot) => void;
  /** Called once for each message that arrives live (not from the backlog), e.g. to notify. */
  onLiveMessage?: (message: ChatMessage) => void;
  /** Test and embedding seam: which WebSocket to use. */
  WebSocketImpl?: typeof WebSocket;
  /** Start from what was already shown (and still unsent), e.g. when a patron's other tab hands over. */
  seed?: SessionSeed;
  /** Librarians: the shared page's events while co-browsing (never kept in the snapshot). */
  onPageEvents?: (events: PageEvent[]) => void;
  /** Cleans each frame before it is shown (the monitor: text stored before names and messages were cleaned on the way in). */
  clean?: (frame: SessionServerMessage) => SessionServerMessage;
}

/** A fresh id for a message this client sends. */
export function newClientId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export class SessionConnection {
  private readonly socket: ReconnectingSocket;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingActive = false;
  private backlogUntil = 0;
  private readonly seen = new Set<number>();
  /**
   * Messages sent on this connection and not yet answered. At most a burst's
   * worth are out at once: a reconnect with a long backlog of unsent lines
   * stays within the socket's fair share (whose excess frames are dropped
   * unanswered) and sends the rest as answers come.
   */
  private readonly inFlight = new Set<string>();
  private snapshot: SessionSnapshot = { connection: "connecting", session: null, messages: [], pending: [], typing: null, synced: false, error: null, transcript: null };

  constructor(private readonly opts: SessionConnectionOptions) {
    if (opts.seed) {
      this.snapshot = { ...this.snapshot, ...opts.seed };
      for (const m of opts.seed.messages) this.seen.add(m.seq);
      this.backlogUntil = this.lastSeq;
    }
    this.socket = new ReconnectingSocket({
      url: opts.url,
      WebSocketImpl: opts.WebSocketImpl,
      onOpen: (send) => send({ type: "hello", token: opts.token, lastSeq: this.lastSeq }),
      onFrame: (frame) => this.receive(opts.clean ? opts.clean(frame as SessionServerMessage) : (frame as SessionServerMessage)),
      onState: (state) => this.update({ connection: state, ...(state === "open" ? {} : { typing: null }) }),
    });
  }

  get current(): SessionSnapshot {
    return this.snapshot;
  }

  private get lastSeq(): number {
    const m = this.snapshot.messages;
    return m.length ? m[m.length - 1]!.seq : 0;
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.opts.onChange(this.snapshot);
  }

  private receive(frame: SessionServerMessage): void {
    switch (frame.type) {
      case "welcome": {
        this.backlogUntil = frame.lastSeq;
        const synced = this.lastSeq >= frame.lastSeq;
        this.update({ connection: "open", session: frame.session, synced: this.snapshot.synced || synced, error: null, transcript: frame.transcript ?? this.snapshot.transcript });
        // Whatever was not acknowledged before the drop goes again; the server's client-id check makes repeats harmless.
        this.inFlight.clear();
        this.sendPending();
        return;
      }
      case "message": {
        const m = frame.message;
        if (this.seen.has(m.seq)) return;
        this.seen.add(m.seq);
        const messages = [...this.snapshot.messages, m].sort((a, b) => a.seq - b.seq);
        const pending = m.clientId ? this.answered(m.clientId) : this.snapshot.pending;
        // New to this reader: anything not seen before, once the first backlog is in —
        // also what a reconnect's backlog brings (it arrived while we were away).
        const live = this.snapshot.synced;
        this.update({ messages, pending, synced: this.snapshot.synced || m.seq >= this.backlogUntil });
        if (live) this.opts.onLiveMessage?.(m);
        this.sendPending();
        return;
      }
      case "ack":
        this.update({ pending: this.answered(frame.clientId) });
        this.sendPending();
        return;
      case "typing":
        this.update({ typing: frame.active ? frame.name : null });
        return;
      case "status":
        this.update({ session: frame.session });
        return;
      case "transcript":
        this.update({ transcript: { send: frame.send, email: frame.email }, error: null });
        return;
      case "error":
        // A message refused for now is sent again when the server says; it stays "sending" meanwhile.
        if (frame.code === "rate_limited" && frame.clientId) return this.resendLater(frame.clientId, frame.retryAfterMs ?? 1000);
        // Any other refusal of a message is for good (e.g. the chat is full): it stops "sending".
        this.update({ error: frame.message, problem: { code: frame.code, field: frame.field }, ...(frame.clientId ? { pending: this.answered(frame.clientId) } : {}) });
        this.sendPending();
        return;
      case "cobrowse":
        this.update({ cobrowse: frame.cobrowse });
        return;
      case "check":
        this.update({ check: frame.check });
        return;
      case "cobrowse.events":
        this.opts.onPageEvents?.(frame.events);
    }
  }

  /** The pending messages without `clientId`, which the server has answered for good. */
  private answered(clientId: string): SessionSnapshot["pending"] {
    this.inFlight.delete(clientId);
    return this.snapshot.pending.filter((p) => p.clientId !== clientId);
  }

  /** Sends pending messages not yet out on this connection, oldest first, up to the window. */
  private sendPending(): void {
    if (this.snapshot.connection !== "open") return;
    for (const p of this.snapshot.pending) {
      if (this.inFlight.size >= MESSAGE_RATE.burst) return;
      if (this.inFlight.has(p.clientId)) continue;
      this.inFlight.add(p.clientId);
      this.socket.send({ type: "send", clientId: p.clientId, body: p.body });
    }
  }

  private resendLater(clientId: string, ms: number): void {
    setTimeout(() => {
      const p = this.snapshot.pending.find((q) => q.clientId === clientId);
      // Not connected now: the next welcome resends every pending message anyway.
      if (p && this.snapshot.connection === "open") this.socket.send({ type: "send", clientId, body: p.body });
    }, ms);
  }

  /** Sends a frame as it is (the co-browse check and co-browse controls); false when not connected. */
  sendFrame(frame: SessionClientMessage): boolean {
    return this.socket.send(frame);
  }

  /**
   * Queues a message; it is sent now if connected, or after the next reconnect.
   * A message relayed from another tab keeps that tab's client id, so it is stored once.
   */
  send(body: string, clientId: string = newClientId()): string {
    const known = this.snapshot.pending.some((p) => p.clientId === clientId) || this.snapshot.messages.some((m) => m.clientId === clientId);
    if (known) return clientId;
    this.update({ pending: [...this.snapshot.pending, { clientId, body, status: "sending" }] });
    this.sendPending();
    this.setTyping(false);
    return clientId;
  }

  /** Tells the other side we are typing; stops by itself after a pause. */
  setTyping(active: boolean): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    // Only changes go on the wire, not every keystroke.
    if (active !== this.typingActive) this.socket.send({ type: "typing", active });
    this.typingActive = active;
    if (active) this.typingTimer = setTimeout(() => this.setTyping(false), 4000);
  }

  /** The patron leaves the chat. */
  leave(): void {
    this.socket.send({ type: "leave" });
  }

  /** The patron turns the e-mailed transcript on or off (with an address when none was given). */
  setTranscript(send: boolean, email?: string): void {
    if (!this.socket.send({ type: "transcript", send, ...(email ? { email } : {}) })) this.update({ error: "Not connected right now. Please try again in a moment.", problem: { code: "offline" } });
  }

  close(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.socket.close();
  }
}
