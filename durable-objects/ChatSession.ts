/**
 * ChatSession — one Durable Object per chat request.
 *
 * Coordinates: the patron's and the serving librarian's sockets, the message
 * log, the accept decision, and the end of the session.
 *
 * Guarantees:
 * - Exactly one librarian wins. A request can be shown in several queues (the
 *   library's, a cooperative's), so the claim is decided here, per request, not
 *   by any queue: `claim` writes the winner to storage before its first await,
 *   and every later claim reads that write.
 * - No acknowledged message is lost, duplicated or reordered. Each message gets
 *   the next sequence number and is written to SQLite before the ack or any
 *   relay leaves (the output gate holds them until the write is durable). The
 *   sender's client id is stored with it, so a retry returns the original
 *   sequence number. A reconnecting client says the last number it saw and gets
 *   the rest, in order, once.
 * - Hibernation-safe: per-socket identity lives in the socket attachment and
 *   everything else in storage; pings are answered without waking the object;
 *   every timer (wait limit, hello deadline, filing retry, transfer offer,
 *   roll-over) is the one alarm.
 * - Transfers keep one transcript and one claim: a chat being transferred
 *   stays with its librarian until the new one accepts, and that acceptance
 *   goes through `claim` like any other — written before the first await, so a
 *   transfer is accepted exactly once. Internal notes live apart from the
 *   message log, so the patron (and the transcript mail) never sees them.
 * - Cooperative routing (issue 6, src/queues/routing-policy.ts): a request with
 *   a route of several stages stays in its home queue and is offered to group
 *   queues in order — when the home queue is unstaffed on arrival, when a queue
 *   showing it reports losing its last monitor (`queueUnstaffed`), or when the
 *   roll-over time passes. Roll-overs run one at a time; each new queue is
 *   listed in `queueIds` before it is offered, so a claim landing meanwhile
 *   tells it too, and a request offered after it stopped waiting is removed
 *   again at once. `claim` stays the single decider.
 * - Chat with viewport and co-browsing (issue 9): a pushed page is a message
 *   like any other (kind "push", stored before it is relayed). The co-browse
 *   stream is not: a sharing page's events arrive on a socket of their own
 *   (channel "cobrowse", opened only after the patron agreed on that page),
 *   are checked (size, rate, src/cobrowse/stream-guard.ts), relayed to the
 *   sockets of the one librarian serving the chat, and never written to
 *   storage. Only the consent state and "co-browsing started/ended" lines are.
 */
import { DurableObject } from "cloudflare:workers";
import { fileEndedSession, type EndedSession } from "../src/questions/file-session";
import { unansweredResolution } from "../src/questions/routing";
import type { ResolutionCode } from "../src/shared/codes";
import { MovableClock } from "../src/shared/clock";
import { LIMITS, MESSAGE_RATE, TIMING } from "../src/shared/limits";
import { nextRolloverAt, pendingStages, shouldRollOver, type RolloverTrigger, type RoutePlan } from "../src/queues/routing-policy";
import {
  CLOSE_CODES,
  parseFrame,
  sessionClientMessageSchema,
  type AuthorRole,
  type ChatMessage,
  type ErrorCode,
  type QueuedRequest,
  type SessionServerMessage,
  type SessionStatus,
  type SessionView,
  type TranscriptChoice,
} from "../src/shared/protocol";
import { digestToken } from "../src/auth/tokens";
import { timingSafeEqual } from "../src/auth/password";
import { REDACTED_NAME, redactText } from "../src/privacy/redact";
import { judgeBrowser } from "../src/cobrowse/browser-check";
import { COBROWSE_LIMITS } from "../src/shared/cobrowse-limits";
import { RateBucket } from "../src/shared/rate-bucket";
import { newNodeKinds, streamProblem, type NodeKinds } from "../src/cobrowse/stream-guard";
import type { ChatMethod } from "../src/shared/admin-limits";
import { webUrl } from "../src/shared/web-address";
import {
  cobrowseClientMessageSchema,
  type BrowserReport,
  type CobrowseServerMessage,
  type CobrowseView,
  type PageEvent,
  type PointerTarget,
  type PushedPage,
  type BrowserCheck,
} from "../src/shared/protocol";

export interface LibrarianRef {
  id: string;
  name: string;
  libraryId: string;
}

export interface StartChat {
  sessionId: string;
  tokenHash: string;
  libraryId: string;
  libraryName: string;
  formId: string | null;
  /** Shown in the monitor's queue (optional: callers from before it existed leave it out). */
  formTitle?: string | null;
  queueId: string;
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  transcriptOptOut: boolean;
  waitLimitSeconds: number;
  /** Cooperative routing: the queues to try in order (absent: the form's queue only). */
  route?: RoutePlan;
  /** Chat with viewport (issue 9): the form's chat method (absent: plain chat). */
  chatMethod?: ChatMethod;
}

interface SessionState extends Omit<StartChat, "queueId" | "waitLimitSeconds" | "route"> {
  status: SessionStatus;
  /** Every queue this request has been offered in. */
  queueIds: string[];
  librarian: LibrarianRef | null;
  createdAt: number;
  acceptedAt: number | null;
  endedAt: number | null;
  waitLimitAt: number;
  /** When an unanswered, unavailable request is filed if the patron does nothing. */
  abandonAt: number | null;
  resolution: ResolutionCode | null;
  descriptiveCodes: string[];
  note: string | null;
  source: "chat" | "email";
  filed: boolean;
  fileAttempts: number;
  fileRetryAt: number | null;
  /** A transfer offered and not yet accepted (absent in state stored before transfers existed). */
  transfer?: PendingTransfer | null;
  /** Cooperative routing (absent on sessions with a single queue, and on older stored states). */
  route?: RoutePlan | null;
  /** When the next roll-over is considered, while waiting. */
  rolloverAt?: number | null;
  /** The library page the patron's Qwidget runs on, from its socket's Origin (null on Refdesk's own chat page). */
  patronOrigin?: string | null;
  /** What the patron's browser reported it can do (the co-browse check). */
  browser?: BrowserReport | null;
  /** Co-browsing: asked for, sharing, or paused between two pages (absent or null: off). */
  cobrowse?: CobrowseState | null;
}

/** Co-browsing's consent state. The stream itself is never stored. */
interface CobrowseState {
  status: "requested" | "active" | "paused";
  librarian: { id: string; name: string };
  /** Set when the patron agreed: the pages carrying this id may stream. */
  sharingId: string | null;
  /** The shared site's origin: navigation stays on it. */
  origin: string | null;
  url: string | null;
  title: string | null;
  since: number | null;
  /** While paused: when co-browsing ends unless the next page resumes it. */
  resumeBy: number | null;
}

/** Where a transfer goes: one monitoring librarian, or every monitor of a queue. */
export type TransferTarget = { kind: "librarian"; librarian: LibrarianRef } | { kind: "queue"; queueName: string };

export interface PendingTransfer {
  id: string;
  from: LibrarianRef;
  to: TransferTarget;
  /** The queue object that shows the offer: the target librarian's queue, or the target queue. */
  queueId: string;
  note: string | null;
  expiresAt: number;
}

export interface TransferOffer {
  from: LibrarianRef;
  to: TransferTarget;
  queueId: string;
  note: string | null;
}

export type TransferResult =
  | { ok: true; session: SessionView }
  | { ok: false; code: Extract<ErrorCode, "forbidden" | "not_found" | "session_ended" | "not_active" | "validation_failed">; message: string; field?: string };

/** A note among librarians about this chat (e.g. why it was transferred); never shown to the patron. */
export interface InternalNote {
  id: number;
  at: number;
  author: { id: string; name: string };
  kind: "transfer";
  body: string;
}

interface SocketAttachment {
  role: "patron" | "librarian";
  authed: boolean;
  connectedAt: number;
  librarian: LibrarianRef | null;
  /** "cobrowse": a sharing page's stream socket (patrons only); absent for chat sockets. */
  channel?: "cobrowse";
  /** The page's origin when another site opened the socket (the Qwidget), else null. */
  origin?: string | null;
  /** Stream sockets: the sharing this page streams for, once it started. */
  sharingId?: string | null;
}

/** The result of a push (RPC from the Worker). */
export type PushResult =
  | { ok: true; message: ChatMessage; duplicate: boolean }
  | { ok: false; code: Extract<ErrorCode, "forbidden" | "not_found" | "session_ended" | "not_active">; message: string };

/** What the push route needs to decide where a page opens. */
export interface PushTargetInfo {
  chatMethod: ChatMethod;
  patronOrigin: string | null;
  framingWorks: boolean | null;
}

export type ClaimResult =
  | { ok: true; session: SessionView }
  | { ok: false; code: Extract<ErrorCode, "already_taken" | "forbidden" | "not_found" | "session_ended" | "not_active">; message: string; by?: LibrarianRef };

export type HandBackResult = { ok: true; status: SessionStatus } | { ok: false; code: Extract<ErrorCode, "not_found" | "not_active">; message: string };

export type EndResult = { ok: true; filed: boolean } | { ok: false; code: ErrorCode; message: string };

export interface EndChat {
  librarianId: string;
  resolution: ResolutionCode;
  descriptiveCodes: string[];
  note: string | null;
}

/** Unanswered requests left in the "unavailable" state are filed after this long. */
const ABANDON_AFTER_MS = 30 * 60 * 1000;
/** How many preview lines of waiting-time messages a queue shows. */
const PREVIEW_LINES = 5;

export class ChatSession extends DurableObject<Env> {
  readonly clock = new MovableClock();
  private cachedState: SessionState | null | undefined;
  private cachedLastSeq: number | undefined;
  /** Roll-overs run one after another (they await other objects); this is the tail of that chain. */
  private rolling: Promise<void> = Promise.resolve();
  /** Per sharing page: its rate limits and what the stream guard knows of its fields (memory only, like the stream). */
  private readonly streams = new WeakMap<WebSocket, { frames: RateBucket; bytes: RateBucket; kinds: NodeKinds }>();
  /** Chat messages per author (MESSAGE_RATE), across all of that author's sockets. */
  private readonly messageRates = new Map<string, RateBucket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY,
        author_key TEXT NOT NULL,
        client_id TEXT,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        while_waiting INTEGER NOT NULL,
        meta TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS messages_client ON messages (author_key, client_id) WHERE client_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS internal_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL
      );
    `);
    // Objects created before messages carried a `meta` column (issue 9) get it now.
    const columns = ctx.storage.sql.exec<{ name: string }>("PRAGMA table_info(messages)").toArray();
    if (!columns.some((c) => c.name === "meta")) ctx.storage.sql.exec("ALTER TABLE messages ADD COLUMN meta TEXT");
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- state ------------------------------------------------------------

  private get state(): SessionState | null {
    if (this.cachedState === undefined) {
      const row = this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'state'").toArray()[0];
      this.cachedState = row ? (JSON.parse(row.value) as SessionState) : null;
    }
    return this.cachedState;
  }

  private save(state: SessionState): void {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('state', ?)", JSON.stringify(state));
    this.cachedState = state;
  }

  private get lastSeq(): number {
    if (this.cachedLastSeq === undefined) {
      this.cachedLastSeq = this.ctx.storage.sql.exec<{ m: number | null }>("SELECT MAX(seq) AS m FROM messages").one().m ?? 0;
    }
    return this.cachedLastSeq;
  }

  private view(s: SessionState): SessionView {
    return {
      id: s.sessionId,
      status: s.status,
      libraryId: s.libraryId,
      libraryName: s.libraryName,
      question: s.question,
      patronName: s.patronName || "Patron",
      librarian: s.librarian,
      createdAt: s.createdAt,
      acceptedAt: s.acceptedAt,
      endedAt: s.endedAt,
      transfer: s.transfer
        ? { kind: s.transfer.to.kind, toName: transferTargetName(s.transfer.to), fromName: s.transfer.from.name, expiresAt: s.transfer.expiresAt }
        : null,
    };
  }

  // ---- messages ---------------------------------------------------------

  /** Stores a message with the next sequence number, or returns the stored one for a repeated client id. */
  private storedMessage(authorKey: string, clientId: string): MessageRow | undefined {
    return this.ctx.storage.sql.exec<MessageRow>("SELECT * FROM messages WHERE author_key = ? AND client_id = ?", authorKey, clientId).toArray()[0];
  }

  /** Takes one message from the author's allowance: 0 if it may go now, else how long until it may. */
  private messageRateWait(authorKey: string): number {
    const now = this.clock.now();
    let bucket = this.messageRates.get(authorKey);
    if (!bucket) this.messageRates.set(authorKey, (bucket = new RateBucket(MESSAGE_RATE.burst, MESSAGE_RATE.refillMs, now)));
    return bucket.take(1, now) ? 0 : bucket.waitMs(1, now);
  }

  private appendMessage(input: {
    authorKey: string;
    role: AuthorRole;
    name: string;
    kind: ChatMessage["kind"];
    body: string;
    clientId: string | null;
    whileWaiting: boolean;
    push?: PushedPage;
  }): { message: ChatMessage; duplicate: boolean } {
    if (input.clientId !== null) {
      const existing = this.storedMessage(input.authorKey, input.clientId);
      if (existing) return { message: rowToMessage(existing), duplicate: true };
    }
    const seq = this.lastSeq + 1;
    const previousAt = seq > 1 ? this.ctx.storage.sql.exec<{ at: number }>("SELECT at FROM messages WHERE seq = ?", seq - 1).one().at : 0;
    // Keep timestamps monotonic so displayed order never disagrees with sequence order.
    const at = Math.max(this.clock.now(), previousAt);
    this.ctx.storage.sql.exec(
      "INSERT INTO messages (seq, author_key, client_id, role, name, kind, body, at, while_waiting, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      seq,
      input.authorKey,
      input.clientId,
      input.role,
      input.name,
      input.kind,
      input.body,
      at,
      input.whileWaiting ? 1 : 0,
      input.push ? JSON.stringify({ push: input.push }) : null,
    );
    this.cachedLastSeq = seq;
    const message: ChatMessage = {
      seq,
      clientId: input.clientId,
      author: { role: input.role, name: input.name },
      kind: input.kind,
      body: input.body,
      at,
      whileWaiting: input.whileWaiting,
      ...(input.push ? { push: input.push } : {}),
    };
    return { message, duplicate: false };
  }

  private systemMessage(body: string): ChatMessage {
    const { message } = this.appendMessage({
      authorKey: "system",
      role: "system",
      name: "Refdesk",
      kind: "system",
      body,
      clientId: null,
      whileWaiting: this.state?.status === "waiting",
    });
    this.broadcast({ type: "message", message });
    return message;
  }

  private messagesAfter(seq: number): ChatMessage[] {
    return this.ctx.storage.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq", seq).toArray().map(rowToMessage);
  }

  // ---- sockets ----------------------------------------------------------

  private send(ws: WebSocket, frame: SessionServerMessage): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // The socket closed under us; its close handler deals with it.
    }
  }

  private broadcast(frame: SessionServerMessage, only?: "patron" | "librarian", except?: WebSocket): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets(only)) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      const att = ws.deserializeAttachment() as SocketAttachment | null;
      // Stream sockets carry the co-browse stream only, never chat frames.
      if (!att?.authed || att.channel) continue;
      try {
        ws.send(text);
      } catch {
        // Closed between the check and the send: nothing to do.
      }
    }
  }

  private broadcastStatus(): void {
    const s = this.state;
    if (s) this.broadcast({ type: "status", session: this.view(s) });
  }

  /** Upgrades a socket. The Worker has already decided who this is: a librarian (header) or a patron (proves it in hello). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    if (!this.state) return Response.json({ error: { code: "not_found", message: "Chat session not found." } }, { status: 404 });
    const librarianHeader = request.headers.get("X-Refdesk-Librarian");
    const librarian = librarianHeader ? (JSON.parse(librarianHeader) as LibrarianRef) : null;
    // Set by the Worker: a co-browse stream socket, and the other site a patron's socket came from.
    const stream = request.headers.get("X-Refdesk-Channel") === "cobrowse";
    const origin = request.headers.get("X-Refdesk-Origin") || null;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const role = librarian ? "librarian" : "patron";
    this.ctx.acceptWebSocket(server, [stream ? "cobrowse" : role]);
    server.serializeAttachment({
      role,
      authed: false,
      connectedAt: this.clock.now(),
      librarian,
      origin,
      ...(stream ? { channel: "cobrowse" as const, sharingId: null } : {}),
    } satisfies SocketAttachment);
    await this.scheduleAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const att = ws.deserializeAttachment() as SocketAttachment;
    if (att.channel === "cobrowse") return this.onStreamFrame(ws, att, raw);
    const parsed = parseFrame(sessionClientMessageSchema, raw);
    if (!parsed.ok) {
      this.send(ws, parsed.error);
      return;
    }
    const msg = parsed.value;
    const state = this.state!;
    if (msg.type !== "hello" && !att.authed) {
      this.send(ws, { type: "error", code: "hello_required", message: "Say hello (with your token) first." });
      return;
    }
    switch (msg.type) {
      case "hello":
        return this.onHello(ws, att, state, msg.token, msg.lastSeq);
      case "send":
        return this.onSend(ws, att, state, msg.clientId, msg.body);
      case "typing": {
        if (state.status !== "active" && state.status !== "waiting") return;
        const name = att.role === "librarian" ? att.librarian!.name : state.patronName || "Patron";
        this.broadcast({ type: "typing", role: att.role, name, active: msg.active }, att.role === "patron" ? "librarian" : "patron");
        return;
      }
      case "leave":
        if (att.role !== "patron") {
          this.send(ws, { type: "error", code: "forbidden", message: "Librarians end a chat with codes, not by leaving." });
          return;
        }
        return this.onPatronLeave(state);
      case "transcript":
        return this.onTranscriptChoice(ws, att, state, msg.send, msg.email ?? null);
      case "capabilities":
        return this.onBrowserReport(ws, att, state, msg.report);
      case "cobrowse.request":
        return this.onCobrowseRequest(ws, att, state);
      case "cobrowse.decline":
        return this.onCobrowseDecline(ws, att, state);
      case "cobrowse.stop":
        if (!this.mayCobrowse(ws, att, state)) return;
        this.endCobrowse(att.role === "patron" ? "stopped by the patron" : `stopped by ${att.librarian!.name}`);
        return this.scheduleAlarm();
      case "cobrowse.point":
        return this.onCobrowseToPage(ws, att, state, { type: "point", target: msg.target });
      case "cobrowse.navigate":
        return this.onCobrowseNavigate(ws, att, state, msg.url);
      case "cobrowse.resync":
        return this.onCobrowseToPage(ws, att, state, { type: "resync" });
      default:
        return assertNever(msg);
    }
  }

  private async onHello(ws: WebSocket, att: SocketAttachment, state: SessionState, token: string | undefined, lastSeq: number) {
    if (att.role === "patron") {
      const ok = token !== undefined && (await this.isPatronToken(token));
      if (!ok) {
        this.send(ws, { type: "error", code: "unauthorized", message: "This chat link is not valid." });
        ws.close(CLOSE_CODES.policy, "bad token");
        return;
      }
    } else if (state.librarian?.id !== att.librarian?.id) {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat can join it." });
      ws.close(CLOSE_CODES.policy, "not serving");
      return;
    }
    ws.serializeAttachment({ ...att, authed: true } satisfies SocketAttachment);
    // Welcome, then everything missed, in order — all sent in this one turn, so no
    // live message can slip in between and arrive out of order.
    this.send(ws, {
      type: "welcome",
      role: att.role,
      session: this.view(state),
      lastSeq: this.lastSeq,
      ...(att.role === "patron" ? { transcript: transcriptChoiceOf(state) } : {}),
    });
    for (const message of this.messagesAfter(Math.min(lastSeq, this.lastSeq))) this.send(ws, { type: "message", message });
    // Issue 9: the co-browse check (librarians) and where co-browsing stands (both), after the backlog.
    if (att.role === "patron" && att.origin !== undefined && (state.patronOrigin ?? null) !== att.origin) {
      this.save({ ...this.state!, patronOrigin: att.origin });
    }
    if (att.role === "librarian") this.send(ws, { type: "check", check: this.browserCheck(this.state!) });
    const cobrowse = this.state!.cobrowse;
    if (cobrowse) this.send(ws, { type: "cobrowse", cobrowse: cobrowseView(cobrowse) });
  }

  private onSend(ws: WebSocket, att: SocketAttachment, state: SessionState, clientId: string, body: string) {
    const patronMayWrite = att.role === "patron" && (state.status === "waiting" || state.status === "active");
    const librarianMayWrite = att.role === "librarian" && state.status === "active" && state.librarian?.id === att.librarian?.id;
    if (!patronMayWrite && !librarianMayWrite) {
      const ended = state.status === "ended" || state.status === "unavailable";
      this.send(ws, {
        type: "error",
        code: ended ? "session_ended" : "not_active",
        message: ended ? "This chat has ended." : "This chat is not open for messages now.",
      });
      return;
    }
    const isPatron = att.role === "patron";
    const authorKey = isPatron ? "patron" : `librarian:${att.librarian!.id}`;
    // A message already stored is acknowledged again whatever the rate (a reconnect resends its unacknowledged ones).
    if (!this.storedMessage(authorKey, clientId)) {
      const retryAfterMs = this.messageRateWait(authorKey);
      if (retryAfterMs > 0) {
        this.send(ws, { type: "error", code: "rate_limited", message: "Messages are arriving too fast; this one will be sent again in a moment.", clientId, retryAfterMs });
        return;
      }
    }
    const { message, duplicate } = this.appendMessage({
      authorKey,
      role: att.role,
      name: isPatron ? state.patronName || "Patron" : att.librarian!.name,
      kind: "text",
      body,
      clientId,
      whileWaiting: state.status === "waiting",
    });
    this.send(ws, { type: "ack", clientId, seq: message.seq, duplicate });
    if (duplicate) return;
    this.broadcast({ type: "message", message });
    if (isPatron && state.status === "waiting") this.ctx.waitUntil(this.refreshPreview(state));
  }

  /**
   * The patron turns the e-mailed transcript on or off during the chat. Turning
   * it on needs an address; one given here replaces the one given when asking.
   * Filing reads the choice from state, so whatever is set when the chat ends wins.
   */
  private async onTranscriptChoice(ws: WebSocket, att: SocketAttachment, state: SessionState, send: boolean, email: string | null) {
    if (att.role !== "patron") {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the patron chooses whether to get the transcript." });
      return;
    }
    if (state.status !== "waiting" && state.status !== "active") {
      this.send(ws, { type: "error", code: "session_ended", message: "This chat has ended; the transcript choice can no longer change." });
      return;
    }
    const patronEmail = send ? (email ?? state.patronEmail) : state.patronEmail;
    if (send && !patronEmail) {
      this.send(ws, { type: "error", code: "validation_failed", message: "Enter the e-mail address to send the transcript to.", field: "email" });
      return;
    }
    const next = { ...state, transcriptOptOut: !send, patronEmail };
    this.save(next);
    this.broadcast({ type: "transcript", ...transcriptChoiceOf(next) }, "patron");
    // Mirror into D1 so the session row agrees while the chat lives; filing rewrites it at the end.
    await this.env.DB.prepare("UPDATE chat_sessions SET transcript_opt_out = ?, patron_email = ? WHERE id = ?")
      .bind(next.transcriptOptOut ? 1 : 0, patronEmail, state.sessionId)
      .run()
      .catch(logFailure("transcript_choice_record_failed", state.sessionId));
  }

  private async isPatronToken(token: string): Promise<boolean> {
    const s = this.state;
    return !!s && timingSafeEqual(new TextEncoder().encode(await digestToken(token)), new TextEncoder().encode(s.tokenHash));
  }

  /** Whether `token` is this chat's patron token (for patron HTTP requests such as the rating). */
  async patronTokenValid(token: string): Promise<boolean> {
    return this.isPatronToken(token);
  }

  private async refreshPreview(state: SessionState): Promise<void> {
    await Promise.all(
      state.queueIds.map((q) => this.queue(q).updateRequest(this.queuedRequest(state, q)).catch(logFailure("preview_update_failed", state.sessionId))),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.onSocketGone(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.onSocketGone(ws, CLOSE_CODES.goingAway);
  }

  private async onSocketGone(ws: WebSocket, code: number): Promise<void> {
    const att = ws.deserializeAttachment() as SocketAttachment | null;
    try {
      ws.close(code === 1005 || code === 1006 ? CLOSE_CODES.normal : code, "closing");
    } catch {
      // Already closed.
    }
    if (att?.channel) return this.onStreamGone(att);
    // A patron who drops mid-chat stops typing as far as the librarian can tell.
    if (att?.authed && this.state?.status === "active") {
      const name = att.role === "librarian" ? att.librarian!.name : this.state.patronName || "Patron";
      this.broadcast({ type: "typing", role: att.role, name, active: false }, att.role === "patron" ? "librarian" : "patron");
    }
  }

  // ---- chat with viewport and co-browsing (issue 9) -------------------------

  private browserCheck(s: SessionState): BrowserCheck {
    return judgeBrowser(s.browser ?? null, { chatMethod: s.chatMethod ?? "chat", pageOrigin: s.patronOrigin ?? null });
  }

  private broadcastCobrowse(): void {
    this.broadcast({ type: "cobrowse", cobrowse: cobrowseView(this.state?.cobrowse ?? null) });
  }

  /** Refuses a frame from anyone but the serving librarian (patrons pass) or about a chat that is not in progress. */
  private mayCobrowse(ws: WebSocket, att: SocketAttachment, state: SessionState): boolean {
    if (att.role === "librarian" && state.librarian?.id !== att.librarian?.id) {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat can co-browse with the patron." });
      return false;
    }
    if (state.status !== "active") {
      const ended = state.status === "ended" || state.status === "unavailable";
      this.send(ws, { type: "error", code: ended ? "session_ended" : "not_active", message: ended ? "This chat has ended." : "Co-browsing needs a chat in progress." });
      return false;
    }
    return true;
  }

  private onBrowserReport(ws: WebSocket, att: SocketAttachment, state: SessionState, report: BrowserReport): void {
    if (att.role !== "patron") {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the patron's browser reports what it can do." });
      return;
    }
    if (JSON.stringify(state.browser ?? null) === JSON.stringify(report)) return;
    const next = { ...state, browser: report };
    this.save(next);
    this.broadcast({ type: "check", check: this.browserCheck(next) }, "librarian");
  }

  private async onCobrowseRequest(ws: WebSocket, att: SocketAttachment, state: SessionState): Promise<void> {
    if (att.role !== "librarian") {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat can ask to see the patron's page." });
      return;
    }
    if (!this.mayCobrowse(ws, att, state)) return;
    const check = this.browserCheck(state);
    if (!check.cobrowse.possible) {
      this.send(ws, { type: "error", code: "not_active", message: `Co-browsing is not possible with this patron. ${check.cobrowse.note}` });
      return;
    }
    // Asked already, or sharing: say where it stands.
    if (state.cobrowse) return this.send(ws, { type: "cobrowse", cobrowse: cobrowseView(state.cobrowse) });
    const librarian = { id: att.librarian!.id, name: att.librarian!.name };
    this.save({ ...state, cobrowse: { status: "requested", librarian, sharingId: null, origin: null, url: null, title: null, since: null, resumeBy: null } });
    this.broadcastCobrowse();
  }

  private onCobrowseDecline(ws: WebSocket, att: SocketAttachment, state: SessionState): void {
    if (att.role !== "patron") {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the patron answers a request to see their page." });
      return;
    }
    if (state.cobrowse?.status !== "requested") {
      this.send(ws, { type: "error", code: "not_active", message: "Nobody is asking to see your page." });
      return;
    }
    this.save({ ...state, cobrowse: null });
    this.broadcastCobrowse();
  }

  /**
   * Ends co-browsing, if any: the sharing page is told to stop at once and its
   * socket closes, and when a page was shared the transcript says it ended.
   */
  private endCobrowse(reason: string): void {
    const s = this.state;
    if (!s?.cobrowse) return;
    const wasSharing = s.cobrowse.status !== "requested";
    this.save({ ...s, cobrowse: null });
    for (const ws of this.ctx.getWebSockets("cobrowse")) {
      this.sendStream(ws, { type: "ended", reason });
      try {
        ws.close(CLOSE_CODES.normal, "co-browsing ended");
      } catch {
        // Already closed.
      }
    }
    if (wasSharing) this.systemMessage(`Co-browsing ended (${reason}).`);
    this.broadcastCobrowse();
  }

  /** The sharing page's open stream sockets. */
  private sharingSockets(sharingId: string | null, except?: WebSocket): WebSocket[] {
    if (!sharingId) return [];
    return this.ctx.getWebSockets("cobrowse").filter((ws) => {
      if (ws === except || ws.readyState !== WebSocket.OPEN) return false;
      return (ws.deserializeAttachment() as SocketAttachment | null)?.sharingId === sharingId;
    });
  }

  /** The serving librarian's point, navigation or resync goes to the sharing page. */
  private onCobrowseToPage(ws: WebSocket, att: SocketAttachment, state: SessionState, frame: CobrowseServerMessage): void {
    if (att.role !== "librarian") {
      this.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat leads co-browsing." });
      return;
    }
    if (!this.mayCobrowse(ws, att, state)) return;
    const c = state.cobrowse;
    if (c?.status !== "active" && c?.status !== "paused") {
      this.send(ws, { type: "error", code: "not_active", message: "The patron is not sharing their page." });
      return;
    }
    const pages = this.sharingSockets(c.sharingId);
    if (pages.length === 0) {
      this.send(ws, { type: "error", code: "not_active", message: "The patron's page is loading; try again in a moment." });
      return;
    }
    for (const page of pages) this.sendStream(page, frame);
  }

  private onCobrowseNavigate(ws: WebSocket, att: SocketAttachment, state: SessionState, raw: string): void {
    const url = webUrl(raw.trim());
    const origin = state.cobrowse?.origin;
    if (att.role === "librarian" && state.librarian?.id === att.librarian?.id && state.cobrowse && (!url || !origin || url.origin !== origin)) {
      const message = !url
        ? "Only web addresses (http or https) can be opened for a patron."
        : `Co-browsing stays on the patron's site (${origin ?? "unknown"}); send other sites as a link or push them.`;
      this.send(ws, { type: "error", code: "validation_failed", message, field: "url" });
      return;
    }
    this.onCobrowseToPage(ws, att, state, { type: "navigate", url: url?.href ?? raw });
  }

  private sendStream(ws: WebSocket, frame: CobrowseServerMessage): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // The page went away; its close handler deals with it.
    }
  }

  /** A frame on a sharing page's stream socket. */
  private async onStreamFrame(ws: WebSocket, att: SocketAttachment, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseFrame(cobrowseClientMessageSchema, raw, COBROWSE_LIMITS.frameBytes);
    if (!parsed.ok) {
      this.sendStream(ws, parsed.error);
      return;
    }
    const msg = parsed.value;
    if (msg.type === "hello") {
      if (!(await this.isPatronToken(msg.token))) {
        this.sendStream(ws, { type: "error", code: "unauthorized", message: "This chat link is not valid." });
        ws.close(CLOSE_CODES.policy, "bad token");
        return;
      }
      ws.serializeAttachment({ ...att, authed: true } satisfies SocketAttachment);
      return;
    }
    if (!att.authed) {
      this.sendStream(ws, { type: "error", code: "hello_required", message: "Say hello (with your token) first." });
      return;
    }
    const state = this.state!;
    switch (msg.type) {
      case "start":
        return this.onStreamStart(ws, att, state, msg.url, msg.title, msg.sharingId ?? null);
      case "events":
        return this.onStreamEvents(ws, att, state, msg.events, typeof raw === "string" ? raw.length : raw.byteLength);
      case "stop":
        if (att.sharingId && att.sharingId === state.cobrowse?.sharingId) this.endCobrowse("stopped by the patron");
        ws.close(CLOSE_CODES.normal, "stopped");
        return this.scheduleAlarm();
      default:
        return assertNever(msg);
    }
  }

  /** The patron agrees to share this page (or the next page of a sharing goes on). */
  private async onStreamStart(ws: WebSocket, att: SocketAttachment, state: SessionState, rawUrl: string, title: string, resumeId: string | null): Promise<void> {
    if (state.status !== "active") {
      const ended = state.status === "ended" || state.status === "unavailable" || state.status === "patron_left";
      this.sendStream(ws, { type: "error", code: ended ? "session_ended" : "not_active", message: ended ? "This chat has ended." : "Co-browsing needs a chat in progress." });
      if (resumeId) this.sendStream(ws, { type: "ended", reason: "the chat is over" });
      return;
    }
    const page = webUrl(rawUrl);
    if (!page || !att.origin || page.origin !== att.origin) {
      this.sendStream(ws, { type: "error", code: "validation_failed", message: "Only a library page carrying the chat widget can be shared, from that page itself.", field: "url" });
      return;
    }
    const c = state.cobrowse;
    let sharingId: string;
    if (resumeId) {
      if (!c || c.status === "requested" || c.sharingId !== resumeId || c.origin !== page.origin) {
        this.sendStream(ws, { type: "ended", reason: "co-browsing has ended" });
        return;
      }
      sharingId = resumeId;
      // The page it came from stops streaming: the newest page of a sharing is the one shown.
      for (const old of this.sharingSockets(sharingId, ws)) {
        this.sendStream(old, { type: "ended", reason: "the sharing moved to another page" });
        old.close(CLOSE_CODES.normal, "moved on");
      }
      this.save({ ...state, cobrowse: { ...c, status: "active", url: page.href, title: title || null, resumeBy: null } });
    } else {
      if (c?.status !== "requested") {
        this.sendStream(ws, { type: "error", code: "not_active", message: "No librarian has asked to see your page." });
        return;
      }
      sharingId = crypto.randomUUID();
      this.save({ ...state, cobrowse: { ...c, status: "active", sharingId, origin: page.origin, url: page.href, title: title || null, since: this.clock.now(), resumeBy: null } });
      this.systemMessage(`Co-browsing started: ${state.patronName || "the patron"} is sharing a page of ${page.host} with ${c.librarian.name}.`);
    }
    ws.serializeAttachment({ ...att, sharingId } satisfies SocketAttachment);
    this.streams.set(ws, newStreamLimits(Date.now()));
    this.sendStream(ws, { type: "started", sharingId, librarianName: this.state!.cobrowse!.librarian.name });
    this.broadcastCobrowse();
    await this.scheduleAlarm();
  }

  /** Page events: checked and relayed to the serving librarian's sockets only; never stored. */
  private onStreamEvents(ws: WebSocket, att: SocketAttachment, state: SessionState, events: PageEvent[], bytes: number): void {
    const c = state.cobrowse;
    if (state.status !== "active" || !att.sharingId || c?.status !== "active" || c.sharingId !== att.sharingId || c.librarian.id !== state.librarian?.id) {
      this.sendStream(ws, { type: "error", code: "forbidden", message: "This page is not being shared; nothing was relayed." });
      return;
    }
    let limits = this.streams.get(ws);
    if (!limits) {
      // The object slept since this page started: the guard knows nothing of its fields, so ask for the whole page again.
      limits = newStreamLimits(Date.now());
      this.streams.set(ws, limits);
      this.sendStream(ws, { type: "resync" });
    }
    const now = Date.now();
    if (!limits.frames.take(1, now) || !limits.bytes.take(bytes, now)) {
      this.sendStream(ws, { type: "error", code: "rate_limited", message: "The page sent too much at once; part of it was not relayed." });
      return;
    }
    const problem = streamProblem(events, limits.kinds);
    if (problem) {
      this.sendStream(ws, { type: "error", code: "validation_failed", message: `${problem} Nothing of this part was relayed.` });
      return;
    }
    const text = JSON.stringify({ type: "cobrowse.events", events } satisfies SessionServerMessage);
    for (const lib of this.ctx.getWebSockets("librarian")) {
      const a = lib.deserializeAttachment() as SocketAttachment | null;
      if (!a?.authed || a.librarian?.id !== c.librarian.id || lib.readyState !== WebSocket.OPEN) continue;
      try {
        lib.send(text);
      } catch {
        // Closed meanwhile.
      }
    }
  }

  /** A sharing page's socket closed: the next page of the site may resume within COBROWSE_LIMITS.resumeMs. */
  private async onStreamGone(att: SocketAttachment): Promise<void> {
    const s = this.state;
    const c = s?.cobrowse;
    if (!s || !c || c.status !== "active" || !att.sharingId || c.sharingId !== att.sharingId) return;
    if (this.sharingSockets(c.sharingId).length > 0) return;
    this.save({ ...s, cobrowse: { ...c, status: "paused", resumeBy: this.clock.now() + COBROWSE_LIMITS.resumeMs } });
    this.broadcastCobrowse();
    await this.scheduleAlarm();
  }

  /** Where the push route may open a page: the form's method, the patron's page and what their browser reported. */
  async pushTarget(): Promise<PushTargetInfo | null> {
    const s = this.state;
    if (!s) return null;
    return { chatMethod: s.chatMethod ?? "chat", patronOrigin: s.patronOrigin ?? null, framingWorks: s.browser?.framing ?? null };
  }

  /** The serving librarian pushes a page (already checked by the Worker); stored like a message, once per client id. */
  async pushPage(input: { librarianId: string; clientId: string; page: PushedPage; body: string }): Promise<PushResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (s.librarian?.id !== input.librarianId) return { ok: false, code: "forbidden", message: "Only the librarian serving this chat can push pages to the patron." };
    if (s.status === "ended" || s.status === "unavailable") return { ok: false, code: "session_ended", message: "This chat has ended." };
    if (s.status !== "active") return { ok: false, code: "not_active", message: "The patron has left this chat." };
    const { message, duplicate } = this.appendMessage({
      authorKey: `librarian:${s.librarian.id}`,
      role: "librarian",
      name: s.librarian.name,
      kind: "push",
      body: input.body,
      clientId: input.clientId,
      whileWaiting: false,
      push: input.page,
    });
    if (!duplicate) this.broadcast({ type: "message", message });
    return { ok: true, message, duplicate };
  }

  // ---- lifecycle (RPC from the Worker) -----------------------------------

  /** Creates the session and offers it to its queue. Safe to call twice. */
  async start(init: StartChat): Promise<{ status: SessionStatus }> {
    if (this.state) return { status: this.state.status };
    const now = this.clock.now();
    const { route, ...fields } = init;
    const state: SessionState = {
      ...fields,
      status: "waiting",
      queueIds: [init.queueId],
      librarian: null,
      createdAt: now,
      acceptedAt: null,
      endedAt: null,
      waitLimitAt: now + init.waitLimitSeconds * 1000,
      abandonAt: null,
      resolution: null,
      descriptiveCodes: [],
      note: null,
      source: "chat",
      filed: false,
      fileAttempts: 0,
      fileRetryAt: null,
      route: route && route.stages.length > 1 ? route : null,
      rolloverAt: null,
    };
    this.save(state);
    this.appendMessage({
      authorKey: "patron",
      role: "patron",
      name: init.patronName || "Patron",
      kind: "text",
      body: init.question,
      clientId: null,
      whileWaiting: true,
    });
    if (state.route) {
      await this.offerAtHome(state.route);
    } else {
      const offer = await this.queue(init.queueId).offer(this.queuedRequest(state));
      if (!offer.staffed && this.state!.status === "waiting") await this.markUnavailable();
    }
    await this.scheduleAlarm();
    return { status: this.state!.status };
  }

  /** What the Worker needs to authorise a request about this session. */
  async describe(): Promise<{ view: SessionView; queueIds: string[]; resolution: ResolutionCode | null; filed: boolean } | null> {
    const s = this.state;
    return s ? { view: this.view(s), queueIds: s.queueIds, resolution: s.resolution, filed: s.filed } : null;
  }

  /** The whole message log. */
  async transcript(): Promise<ChatMessage[]> {
    return this.messagesAfter(0);
  }

  /**
   * A librarian accepts. The first claim wins: it is written to storage before
   * anything is awaited, so a concurrent claim — even one interleaved at an
   * await below — always sees it.
   */
  async claim(librarian: LibrarianRef, allowedQueueIds: string[]): Promise<ClaimResult> {
    // Fault injection for the accept-race proof (bench/accept-race.mjs), off by
    // default: an awaited D1 write *before* the claim is read, so every rival
    // accept reaches this await and they resume in whatever order D1 answers.
    // Correctness does not depend on it: everything from the read of `state`
    // to the `save` below runs without an await, so exactly one claim wins.
    if ((this.env.ACCEPT_EXTRA_AWAITED_D1_WRITE as string) === "on") {
      await this.env.DB.prepare("UPDATE chat_sessions SET status = status WHERE id = ?").bind(this.state?.sessionId ?? "").run();
    }
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    // Tenancy first: a librarian who staffs none of this request's queues learns
    // nothing about it — not even whether, or by whom, it was taken.
    if (!s.queueIds.some((q) => allowedQueueIds.includes(q))) {
      return { ok: false, code: "forbidden", message: "This request is not in any queue you staff." };
    }
    // A finished chat is "ended", not "taken", even though it once had a librarian.
    if (s.status === "ended" || s.status === "unavailable") {
      return { ok: false, code: "session_ended", message: "This chat has ended." };
    }
    // A chat on offer for transfer is claimed through its own rules (below).
    if (s.transfer) return this.claimTransfer(s, s.transfer, librarian, allowedQueueIds);
    if (s.librarian) {
      return { ok: false, code: "already_taken", message: `Already taken by ${s.librarian.name}.`, by: s.librarian };
    }
    if (s.status !== "waiting") return { ok: false, code: "session_ended", message: "The patron is no longer waiting." };
    const now = this.clock.now();
    this.save({ ...s, status: "active", librarian, acceptedAt: now });
    // ---- the claim is stored; everything below may await ----
    this.systemMessage(`${librarian.name} has joined the chat.`);
    this.broadcastStatus();
    const removals = s.queueIds.map((q) =>
      this.queue(q).removeRequest(s.sessionId, "accepted", { id: librarian.id, name: librarian.name }).catch(logFailure("queue_remove_failed", s.sessionId)),
    );
    await Promise.all([
      ...removals,
      this.env.DB.prepare(
        "UPDATE chat_sessions SET status = 'active', librarian_id = ?, librarian_name = ?, answering_library_id = ?, accepted_at = ? WHERE id = ?",
      )
        .bind(librarian.id, librarian.name, librarian.libraryId, now, s.sessionId)
        .run(),
    ]);
    await this.scheduleAlarm();
    return { ok: true, session: this.view(this.state!) };
  }

  /** The serving librarian ends the chat with its codes; the transcript is filed. The same end twice changes nothing. */
  async end(input: EndChat): Promise<EndResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (s.librarian?.id !== input.librarianId) return { ok: false, code: "forbidden", message: "Only the librarian serving this chat can end it." };
    if (s.status === "ended") {
      const same = s.resolution === input.resolution && JSON.stringify(s.descriptiveCodes) === JSON.stringify(input.descriptiveCodes);
      return same ? { ok: true, filed: s.filed } : { ok: false, code: "session_ended", message: "This chat has already ended." };
    }
    if (s.status !== "active" && s.status !== "patron_left") return { ok: false, code: "not_active", message: "This chat is not in progress." };
    const now = this.clock.now();
    this.endCobrowse("the chat ended");
    this.save({ ...this.state!, status: "ended", endedAt: now, resolution: input.resolution, descriptiveCodes: input.descriptiveCodes, note: input.note, transfer: null });
    this.systemMessage(`${s.librarian.name} ended the chat.`);
    this.broadcastStatus();
    this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
    // Ending while a transfer was on offer withdraws the offer.
    if (s.transfer) await this.withdrawTransferOffer(s.transfer);
    await this.fileNow();
    return { ok: true, filed: this.state!.filed };
  }

  /** The patron, told chat is unavailable, leaves the question by e-mail instead. */
  async leaveQuestion(token: string, email: string, name: string | null, details: string | null): Promise<EndResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (!(await this.isPatronToken(token))) return { ok: false, code: "unauthorized", message: "This chat link is not valid." };
    if (s.status !== "unavailable" && s.status !== "waiting") {
      return { ok: false, code: "not_active", message: "A question can be left by e-mail only while no librarian has answered." };
    }
    const wasWaiting = s.status === "waiting";
    if (details) {
      this.appendMessage({ authorKey: "patron", role: "patron", name: name || s.patronName || "Patron", kind: "text", body: details, clientId: null, whileWaiting: true });
    }
    const now = this.clock.now();
    this.save({
      ...s,
      status: "ended",
      patronEmail: email,
      patronName: name || s.patronName,
      source: "email",
      resolution: "followup_by_library",
      endedAt: now,
    });
    this.systemMessage("The question was left for follow-up by e-mail.");
    this.broadcastStatus();
    if (wasWaiting) await this.withdrawFromQueues("withdrawn");
    this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
    await this.fileNow();
    return { ok: true, filed: this.state!.filed };
  }

  /**
   * The serving librarian can no longer serve (their account was disabled): an
   * active chat goes back to waiting and is offered to its queue(s) again, and
   * the patron is told. Like `claim`, the new state is written before the first
   * await, so a claim racing with this sees either the old librarian (refused)
   * or a waiting request that exactly one claim can win. A chat whose patron has
   * already left is ended for follow-up by the patron's library instead.
   */
  async handBack(librarianId: string): Promise<HandBackResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (s.librarian?.id !== librarianId || (s.status !== "active" && s.status !== "patron_left")) {
      return { ok: false, code: "not_active", message: "This librarian is not serving this chat." };
    }
    const gone = s.librarian;
    // Whoever takes the chat next has not been given the patron's consent.
    this.endCobrowse(`${gone.name} is no longer available`);
    if (s.status === "patron_left") {
      this.save({ ...this.state!, status: "ended", endedAt: this.clock.now(), resolution: "followup_by_library" });
      this.systemMessage(`${gone.name} is no longer available; the chat was filed for follow-up.`);
      this.broadcastStatus();
      this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
      await this.fileNow();
      return { ok: true, status: "ended" };
    }
    const now = this.clock.now();
    // The patron gets a fresh wait limit: the time they already waited was spent being served.
    const waitMs = s.waitLimitAt - s.createdAt;
    this.save({ ...this.state!, status: "waiting", librarian: null, acceptedAt: null, waitLimitAt: now + waitMs });
    // ---- handed back; everything below may await ----
    for (const ws of this.ctx.getWebSockets("librarian")) {
      try {
        ws.close(CLOSE_CODES.policy, "handed back");
      } catch {
        // Already closed.
      }
    }
    this.systemMessage(`${gone.name} is no longer available. You are back in the queue: another librarian will be with you shortly.`);
    this.broadcastStatus();
    await this.env.DB.prepare(
      "UPDATE chat_sessions SET status = 'waiting', librarian_id = NULL, librarian_name = NULL, answering_library_id = NULL, accepted_at = NULL WHERE id = ? AND status IN ('active', 'patron_left')",
    )
      .bind(s.sessionId)
      .run()
      .catch(logFailure("status_record_failed", s.sessionId));
    const request = this.queuedRequest(this.state!);
    const offers = await Promise.all(
      s.queueIds.map((q) =>
        this.queue(q)
          .offer({ ...request, queueId: q })
          .catch((error: unknown) => {
            logFailure("queue_offer_failed", s.sessionId)(error);
            return { staffed: false };
          }),
      ),
    );
    if (!offers.some((o) => o.staffed) && this.state!.status === "waiting") await this.markUnavailable();
    await this.scheduleAlarm();
    return { ok: true, status: this.state!.status };
  }

  /**
   * The privacy scrub removed this ended chat's patron identity from D1 (see
   * src/privacy/scrub.ts); the object forgets it too: no name or e-mail in its
   * state, the patron shown as "Patron" and their name and e-mail addresses
   * removed from every stored message. Only for a chat that is over and filed.
   */
  async forgetPatron(): Promise<{ ok: boolean }> {
    const s = this.state;
    if (!s) return { ok: true };
    if (s.status !== "ended" || !s.filed) return { ok: false };
    const who = { name: s.patronName, email: s.patronEmail };
    for (const m of this.messagesAfter(0)) {
      const body = redactText(m.body, who);
      const name = m.author.role === "patron" ? REDACTED_NAME : m.author.name;
      if (body !== m.body || name !== m.author.name) this.ctx.storage.sql.exec("UPDATE messages SET body = ?, name = ? WHERE seq = ?", body, name, m.seq);
    }
    this.save({ ...s, patronName: null, patronEmail: null, question: redactText(s.question, who) });
    return { ok: true };
  }

  private async onPatronLeave(s: SessionState): Promise<void> {
    if (s.status === "active") {
      this.endCobrowse("the patron left the chat");
      this.save({ ...this.state!, status: "patron_left", transfer: null });
      this.systemMessage(`${s.patronName || "The patron"} left the chat.`);
      this.broadcastStatus();
      // Nobody should accept a transfer of a chat the patron has left: the serving librarian codes it.
      if (s.transfer) await this.withdrawTransferOffer(s.transfer);
      await this.recordStatus("patron_left");
      return;
    }
    if (s.status === "waiting" || s.status === "unavailable") {
      const wasWaiting = s.status === "waiting";
      this.save({ ...s, status: "ended", endedAt: this.clock.now(), resolution: unansweredResolution(s.patronEmail) });
      this.systemMessage(`${s.patronName || "The patron"} left before a librarian joined.`);
      this.broadcastStatus();
      if (wasWaiting) await this.withdrawFromQueues("left");
      this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
      await this.fileNow();
    }
  }

  // ---- transfers (issue 4; RPC from the Worker) ------------------------------
  //
  // A transfer is an offer: the serving librarian keeps the chat (and can keep
  // chatting) until the new librarian accepts it, the offer is declined or
  // cancelled, or TIMING.transferOfferMs passes — then it stays where it was.
  // So a patron is never left without a librarian. Acceptance goes through
  // `claim`, whose first write decides, so an offer is accepted exactly once.

  /** The serving librarian offers the chat to another librarian or to a queue. */
  async offerTransfer(input: TransferOffer): Promise<TransferResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (s.librarian?.id !== input.from.id) return { ok: false, code: "forbidden", message: "Only the librarian serving this chat can transfer it." };
    if (s.status === "ended" || s.status === "unavailable") return { ok: false, code: "session_ended", message: "This chat has ended." };
    if (s.status !== "active") return { ok: false, code: "not_active", message: "The patron has left this chat; end it with its codes instead." };
    if (s.transfer) {
      return { ok: false, code: "not_active", message: `This chat is already being transferred to ${transferTargetName(s.transfer.to)}; cancel that first.` };
    }
    if (input.to.kind === "librarian" && input.to.librarian.id === input.from.id) {
      return { ok: false, code: "validation_failed", message: "You are already serving this chat.", field: "to.librarianId" };
    }
    const transfer: PendingTransfer = {
      id: crypto.randomUUID(),
      from: input.from,
      to: input.to,
      queueId: input.queueId,
      note: input.note,
      expiresAt: this.clock.now() + TIMING.transferOfferMs,
    };
    // The offer's queue joins the queues this chat was offered in, so whoever
    // staffs it passes claim's tenancy check (a partner on a cooperative queue).
    const queueIds = s.queueIds.includes(input.queueId) ? s.queueIds : [...s.queueIds, input.queueId];
    this.save({ ...s, transfer, queueIds });
    // ---- the offer is stored; a claim from here on sees it ----
    let failed = false;
    const offered = await this.queue(input.queueId)
      .offerTransfer(this.transferRequest(this.state!, transfer), { fromLibrarianId: input.from.id, toLibrarianId: input.to.kind === "librarian" ? input.to.librarian.id : null })
      .catch((error: unknown) => {
        logFailure("transfer_offer_failed", s.sessionId)(error);
        failed = true;
        return { staffed: false };
      });
    if (!offered.staffed) {
      // Nobody could have seen the offer, so nobody claimed it: put everything back as it was.
      const now = this.state!;
      if (now.transfer?.id === transfer.id) this.save({ ...now, transfer: null, queueIds: s.queueIds });
      // A call that failed may still have reached the queue: make sure no offer is left showing there.
      if (failed) await this.withdrawTransferOffer(transfer);
      const where = input.to.kind === "librarian" ? `${input.to.librarian.name} is not monitoring` : `Nobody else is monitoring ${input.to.queueName}`;
      return { ok: false, code: "not_found", message: `${where} right now.`, field: input.to.kind === "librarian" ? "to.librarianId" : "to.queueId" };
    }
    if (input.note) {
      this.ctx.storage.sql.exec(
        "INSERT INTO internal_notes (at, author_id, author_name, kind, body) VALUES (?, ?, ?, 'transfer', ?)",
        this.clock.now(),
        input.from.id,
        input.from.name,
        input.note,
      );
    }
    // Only the new librarian's acceptance (in claim) could have run meanwhile; then the chat has moved on already.
    if (this.state!.transfer?.id === transfer.id) {
      this.systemMessage(`You are being transferred to ${transferTargetName(input.to)}.`);
      this.broadcastStatus();
    }
    await this.scheduleAlarm();
    return { ok: true, session: this.view(this.state!) };
  }

  /** The librarian who offered a transfer takes it back. */
  async cancelTransfer(librarianId: string): Promise<TransferResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    if (s.librarian?.id !== librarianId) return { ok: false, code: "forbidden", message: "Only the librarian serving this chat can cancel its transfer." };
    if (!s.transfer) return { ok: false, code: "not_active", message: "This chat is not being transferred." };
    await this.takeBackTransfer(s.transfer, `${s.transfer.from.name} is still with you.`);
    return { ok: true, session: this.view(this.state!) };
  }

  /** The librarian a chat was offered to says no; it stays with the librarian who offered it. */
  async declineTransfer(librarianId: string): Promise<TransferResult> {
    const s = this.state;
    if (!s) return { ok: false, code: "not_found", message: "Chat session not found." };
    const t = s.transfer;
    if (!t || t.to.kind !== "librarian" || t.to.librarian.id !== librarianId) {
      return { ok: false, code: "forbidden", message: "This chat is not being offered to you." };
    }
    await this.takeBackTransfer(t, `${t.to.librarian.name} could not take the chat; ${t.from.name} is still with you.`);
    return { ok: true, session: this.view(this.state!) };
  }

  /** Internal notes about this chat, oldest first (librarians only: the Worker checks who asks). */
  async internalNotes(): Promise<InternalNote[]> {
    return this.ctx.storage.sql
      .exec<{ id: number; at: number; author_id: string; author_name: string; kind: string; body: string }>("SELECT * FROM internal_notes ORDER BY id")
      .toArray()
      .map((r) => ({ id: r.id, at: r.at, author: { id: r.author_id, name: r.author_name }, kind: "transfer", body: r.body }));
  }

  /** Accepting a chat that is on offer for transfer; called by `claim` after its tenancy check. */
  private async claimTransfer(s: SessionState, t: PendingTransfer, librarian: LibrarianRef, allowedQueueIds: string[]): Promise<ClaimResult> {
    if (librarian.id === t.from.id) {
      return { ok: false, code: "not_active", message: "You are transferring this chat. Cancel the transfer to keep it." };
    }
    const offeredToMe = t.to.kind === "librarian" ? t.to.librarian.id === librarian.id : allowedQueueIds.includes(t.queueId);
    if (!offeredToMe || s.status !== "active" || !s.librarian) {
      const by = s.librarian ?? t.from;
      return { ok: false, code: "already_taken", message: `Already taken by ${by.name}.`, by };
    }
    // The patron agreed to share their page with the librarian they had, not with the new one.
    this.endCobrowse("the chat was transferred");
    this.save({ ...this.state!, librarian, transfer: null });
    // ---- the new librarian is stored; everything below may await ----
    this.systemMessage(`${librarian.name} has joined the chat.`);
    this.broadcastStatus();
    this.dismissLibrarian(t.from.id);
    await Promise.all([
      this.queue(t.queueId).removeRequest(s.sessionId, "accepted", { id: librarian.id, name: librarian.name }).catch(logFailure("queue_remove_failed", s.sessionId)),
      this.env.DB.prepare("UPDATE chat_sessions SET librarian_id = ?, librarian_name = ?, answering_library_id = ? WHERE id = ?")
        .bind(librarian.id, librarian.name, librarian.libraryId, s.sessionId)
        .run(),
    ]);
    await this.scheduleAlarm();
    return { ok: true, session: this.view(this.state!) };
  }

  /** Ends an offer without a taker: the chat stays with the librarian who offered it, and both sides are told. */
  private async takeBackTransfer(t: PendingTransfer, told: string): Promise<void> {
    const now = this.state!;
    if (now.transfer?.id !== t.id) return;
    this.save({ ...now, transfer: null });
    this.systemMessage(told);
    this.broadcastStatus();
    await this.withdrawTransferOffer(t);
    await this.scheduleAlarm();
  }

  private async withdrawTransferOffer(t: PendingTransfer): Promise<void> {
    await this.queue(t.queueId)
      .removeRequest(this.state!.sessionId, "withdrawn", null)
      .catch(logFailure("queue_remove_failed", this.state!.sessionId));
  }

  /** The queue entry that offers this chat for transfer. */
  private transferRequest(s: SessionState, t: PendingTransfer): QueuedRequest {
    return {
      ...this.queuedRequest(s),
      queueId: t.queueId,
      transfer: {
        id: t.id,
        from: { id: t.from.id, name: t.from.name },
        toLibrarianId: t.to.kind === "librarian" ? t.to.librarian.id : null,
        toName: transferTargetName(t.to),
        note: t.note,
        expiresAt: t.expiresAt,
      },
    };
  }

  /** Closes the sockets of a librarian who no longer serves this chat (they were sent the new status first). */
  private dismissLibrarian(librarianId: string): void {
    for (const ws of this.ctx.getWebSockets("librarian")) {
      const att = ws.deserializeAttachment() as SocketAttachment | null;
      if (att?.librarian?.id !== librarianId) continue;
      try {
        ws.close(CLOSE_CODES.policy, "transferred");
      } catch {
        // Already closed.
      }
    }
  }

  // ---- cooperative routing (issue 6) ---------------------------------------

  /** A queue showing this request lost its last monitor (called by RequestQueue). */
  async queueUnstaffed(queueId: string): Promise<void> {
    const s = this.state;
    if (!s?.route || s.status !== "waiting" || !s.queueIds.includes(queueId)) return;
    await this.rollOver("unstaffed", queueId);
    await this.scheduleAlarm();
  }

  /** Offers a routed request in its home queue (kept there even if unstaffed), rolling over at once if nobody is monitoring. */
  private async offerAtHome(route: RoutePlan): Promise<void> {
    const home = route.stages[0]!;
    const { staffed } = await this.queue(home).offer(this.queuedRequest(this.state!, home), { keepWhenUnstaffed: true, watchStaffing: true });
    const s = this.state!;
    if (s.status !== "waiting") {
      await this.takeBackFrom(home);
      return;
    }
    if (staffed) this.save({ ...s, rolloverAt: nextRolloverAt(route, s.queueIds, this.clock.now()) });
    else await this.rollOver("arrival");
  }

  /** Queues roll-overs one behind the other, so two triggers never offer the same stage twice. */
  private rollOver(trigger: RolloverTrigger, unstaffedQueueId?: string): Promise<void> {
    const run = this.rolling.then(() => this.rollOverNow(trigger, unstaffedQueueId));
    this.rolling = run.catch(logFailure("rollover_failed", this.state?.sessionId ?? ""));
    return run;
  }

  private async rollOverNow(trigger: RolloverTrigger, unstaffedQueueId?: string): Promise<void> {
    const start = this.state;
    if (!start?.route || start.status !== "waiting") return;
    const route = start.route;
    let offeredStaffed = false;
    if (trigger !== "arrival" && !(trigger === "timer" && route.rollOnTimeout)) {
      const ask = start.queueIds.filter((q) => q !== unstaffedQueueId);
      // A queue that cannot answer counts as unstaffed: moving on is the safer mistake for a waiting patron.
      const answers = await Promise.all(ask.map((q) => this.queue(q).staffing().catch(() => ({ staffed: false }))));
      offeredStaffed = answers.some((a) => a.staffed);
    }
    if (!shouldRollOver(route, trigger, offeredStaffed)) {
      this.rescheduleRollover(route);
      return;
    }
    for (const queueId of pendingStages(route, start.queueIds)) {
      const before = this.state!;
      if (before.status !== "waiting") return;
      // Listed before it is offered: a claim or withdrawal landing while the
      // offer is in flight then tells this queue as well.
      this.save({ ...before, queueIds: [...before.queueIds, queueId] });
      const { staffed } = await this.queue(queueId)
        .offer(this.queuedRequest(this.state!, queueId), { watchStaffing: true })
        .catch((error: unknown) => (logFailure("rollover_offer_failed", before.sessionId)(error), { staffed: false }));
      const after = this.state!;
      if (after.status !== "waiting") {
        await this.takeBackFrom(queueId);
        return;
      }
      if (staffed) {
        this.save({ ...after, rolloverAt: nextRolloverAt(route, after.queueIds, this.clock.now()) });
        if (after.queueIds.length === 2) this.systemMessage("Librarians at our partner libraries can now see your question too.");
        return;
      }
      this.save({ ...after, queueIds: after.queueIds.filter((q) => q !== queueId) });
    }
    // No further queue has anybody monitoring.
    if (trigger === "arrival") {
      await this.markUnavailable();
      return;
    }
    this.rescheduleRollover(route);
  }

  private rescheduleRollover(route: RoutePlan): void {
    const s = this.state!;
    if (s.status === "waiting") this.save({ ...s, rolloverAt: nextRolloverAt(route, s.queueIds, this.clock.now()) });
  }

  /** A queue was offered the request after it stopped waiting: take it back, saying why (idempotent). */
  private async takeBackFrom(queueId: string): Promise<void> {
    const s = this.state!;
    const reason = s.librarian ? "accepted" : s.status === "unavailable" ? "unavailable" : s.source === "email" ? "withdrawn" : "left";
    const by = s.librarian ? { id: s.librarian.id, name: s.librarian.name } : null;
    await this.queue(queueId).removeRequest(s.sessionId, reason, by).catch(logFailure("queue_remove_failed", s.sessionId));
  }

  // ---- internals ----------------------------------------------------------

  private queue(queueId: string) {
    return this.env.REQUEST_QUEUE.getByName(queueId) as unknown as DurableObjectStub<import("./RequestQueue").RequestQueue>;
  }

  private queuedRequest(s: SessionState, queueId = s.queueIds[0]!): QueuedRequest {
    const waiting = this.ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM messages WHERE role = 'patron' AND while_waiting = 1 AND seq > 1 ORDER BY seq DESC LIMIT ?", PREVIEW_LINES)
      .toArray()
      .reverse();
    return {
      sessionId: s.sessionId,
      // Each queue shows the request under its own id (monitors file it by queue).
      queueId,
      libraryId: s.libraryId,
      libraryName: s.libraryName,
      formId: s.formId,
      question: s.question,
      patronName: s.patronName || "Patron",
      createdAt: s.createdAt,
      preview: waiting.map((m) => m.body.slice(0, LIMITS.previewChars)),
      formTitle: s.formTitle ?? null,
    };
  }

  private async markUnavailable(): Promise<void> {
    const s = this.state!;
    this.save({ ...s, status: "unavailable", abandonAt: this.clock.now() + ABANDON_AFTER_MS });
    this.broadcastStatus();
    await this.withdrawFromQueues("unavailable");
    await this.recordStatus("unavailable");
  }

  private async withdrawFromQueues(reason: "left" | "unavailable" | "withdrawn"): Promise<void> {
    const s = this.state!;
    await Promise.all(s.queueIds.map((q) => this.queue(q).removeRequest(s.sessionId, reason, null).catch(logFailure("queue_remove_failed", s.sessionId))));
  }

  /** Mirrors a live status change into D1 so lists see it; the final filing is the authoritative write. */
  private async recordStatus(status: SessionStatus): Promise<void> {
    await this.env.DB.prepare("UPDATE chat_sessions SET status = ? WHERE id = ?")
      .bind(status, this.state!.sessionId)
      .run()
      .catch(logFailure("status_record_failed", this.state!.sessionId));
  }

  private closeAll(code: number, reason: string): void {
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.close(code, reason);
      } catch {
        // Already closed.
      }
    }
  }

  /** Files the ended session in D1; on failure the alarm tries again with backoff. */
  private async fileNow(): Promise<void> {
    const s = this.state!;
    if (s.filed || s.status !== "ended" || !s.resolution) return;
    const ended: EndedSession = {
      sessionId: s.sessionId,
      libraryId: s.libraryId,
      question: s.question,
      patronName: s.patronName,
      patronEmail: s.patronEmail,
      transcriptOptOut: s.transcriptOptOut,
      librarian: s.librarian,
      resolution: s.resolution,
      descriptiveCodes: s.descriptiveCodes,
      note: s.note,
      source: s.source,
      messages: this.messagesAfter(0),
      createdAt: s.createdAt,
      acceptedAt: s.acceptedAt,
      endedAt: s.endedAt ?? this.clock.now(),
    };
    try {
      await fileEndedSession(this.env, ended);
      this.save({ ...this.state!, filed: true, fileRetryAt: null });
    } catch (error) {
      const attempts = s.fileAttempts + 1;
      console.error(JSON.stringify({ event: "filing_failed", sessionId: s.sessionId, attempts, error: String(error) }));
      this.save({ ...this.state!, fileAttempts: attempts, fileRetryAt: this.clock.now() + Math.min(600_000, 2_000 * 2 ** attempts) });
    }
    await this.scheduleAlarm();
  }

  /** One alarm serves every timer: the next due time among them. */
  private async scheduleAlarm(): Promise<void> {
    const s = this.state;
    const due: number[] = [];
    if (s?.status === "waiting") due.push(s.waitLimitAt);
    if (s?.status === "waiting" && s.rolloverAt) due.push(s.rolloverAt);
    if (s?.status === "unavailable" && s.abandonAt) due.push(s.abandonAt);
    if (s?.status === "ended" && !s.filed && s.fileRetryAt) due.push(s.fileRetryAt);
    if (s?.status === "active" && s.transfer) due.push(s.transfer.expiresAt);
    if (s?.cobrowse?.status === "paused" && s.cobrowse.resumeBy) due.push(s.cobrowse.resumeBy);
    for (const ws of this.ctx.getWebSockets()) {
      const att = ws.deserializeAttachment() as SocketAttachment | null;
      if (att && !att.authed) due.push(att.connectedAt + TIMING.helloTimeoutMs);
    }
    if (due.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Alarms run in real time; translate the (movable) clock's due time into it.
    const next = Math.min(...due) - this.clock.now() + Date.now();
    await this.ctx.storage.setAlarm(Math.max(Date.now(), next));
  }

  override async alarm(): Promise<void> {
    const now = this.clock.now();
    let s = this.state;
    if (s?.status === "waiting" && now >= s.waitLimitAt) {
      await this.markUnavailable();
      s = this.state;
    }
    if (s?.status === "waiting" && s.rolloverAt && now >= s.rolloverAt) {
      this.save({ ...s, rolloverAt: null });
      await this.rollOver("timer");
      s = this.state;
    }
    if (s?.status === "unavailable" && s.abandonAt && now >= s.abandonAt) {
      this.save({ ...s, status: "ended", endedAt: now, resolution: unansweredResolution(s.patronEmail) });
      this.broadcastStatus();
      this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
      s = this.state;
    }
    if (s?.status === "ended" && !s.filed) await this.fileNow();
    if (s?.cobrowse?.status === "paused" && s.cobrowse.resumeBy && now >= s.cobrowse.resumeBy) {
      this.endCobrowse("the shared page did not come back");
      s = this.state;
    }
    if (s?.status === "active" && s.transfer && now >= s.transfer.expiresAt) {
      await this.takeBackTransfer(s.transfer, `Nobody could take the chat just now; ${s.transfer.from.name} is still with you.`);
    }
    for (const ws of this.ctx.getWebSockets()) {
      const att = ws.deserializeAttachment() as SocketAttachment | null;
      if (att && !att.authed && now >= att.connectedAt + TIMING.helloTimeoutMs) {
        this.send(ws, { type: "error", code: "hello_required", message: "No hello received in time." });
        ws.close(CLOSE_CODES.policy, "no hello");
      }
    }
    await this.scheduleAlarm();
  }
}

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  author_key: string;
  client_id: string | null;
  role: string;
  name: string;
  kind: string;
  body: string;
  at: number;
  while_waiting: number;
  meta: string | null;
}

function rowToMessage(r: MessageRow): ChatMessage {
  const meta = r.meta ? (JSON.parse(r.meta) as { push?: PushedPage }) : null;
  return {
    seq: r.seq,
    clientId: r.client_id,
    author: { role: r.role as AuthorRole, name: r.name },
    kind: r.kind as ChatMessage["kind"],
    body: r.body,
    at: r.at,
    whileWaiting: r.while_waiting === 1,
    ...(meta?.push ? { push: meta.push } : {}),
  };
}

function cobrowseView(c: CobrowseState | null): CobrowseView {
  if (!c) return { status: "off", librarianName: null, url: null, title: null, since: null };
  return { status: c.status, librarianName: c.librarian.name, url: c.url, title: c.title, since: c.since };
}

function newStreamLimits(now: number) {
  return {
    frames: new RateBucket(COBROWSE_LIMITS.framesPerSecond, 1000, now),
    bytes: new RateBucket(COBROWSE_LIMITS.bytesPerSecond, 1000, now),
    kinds: newNodeKinds(),
  };
}

function transferTargetName(to: TransferTarget): string {
  return to.kind === "librarian" ? to.librarian.name : to.queueName;
}

function transcriptChoiceOf(s: SessionState): TranscriptChoice {
  return { send: !s.transcriptOptOut && !!s.patronEmail, email: s.patronEmail };
}

function logFailure(event: string, sessionId: string) {
  return (error: unknown) => {
    console.error(JSON.stringify({ event, sessionId, error: String(error) }));
  };
}

function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
