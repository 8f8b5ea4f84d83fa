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
 *   every timer (wait limit, hello deadline, filing retry) is the one alarm.
 */
import { DurableObject } from "cloudflare:workers";
import { fileEndedSession, type EndedSession } from "../src/questions/file-session";
import { unansweredResolution } from "../src/questions/routing";
import type { ResolutionCode } from "../src/shared/codes";
import { MovableClock } from "../src/shared/clock";
import { LIMITS, TIMING } from "../src/shared/limits";
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
  queueId: string;
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  transcriptOptOut: boolean;
  waitLimitSeconds: number;
}

interface SessionState extends Omit<StartChat, "queueId" | "waitLimitSeconds"> {
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
}

interface SocketAttachment {
  role: "patron" | "librarian";
  authed: boolean;
  connectedAt: number;
  librarian: LibrarianRef | null;
}

export type ClaimResult =
  | { ok: true; session: SessionView }
  | { ok: false; code: Extract<ErrorCode, "already_taken" | "forbidden" | "not_found" | "session_ended">; message: string; by?: LibrarianRef };

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
        while_waiting INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS messages_client ON messages (author_key, client_id) WHERE client_id IS NOT NULL;
    `);
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
    };
  }

  // ---- messages ---------------------------------------------------------

  /** Stores a message with the next sequence number, or returns the stored one for a repeated client id. */
  private appendMessage(input: {
    authorKey: string;
    role: AuthorRole;
    name: string;
    kind: ChatMessage["kind"];
    body: string;
    clientId: string | null;
    whileWaiting: boolean;
  }): { message: ChatMessage; duplicate: boolean } {
    if (input.clientId !== null) {
      const existing = this.ctx.storage.sql
        .exec<MessageRow>("SELECT * FROM messages WHERE author_key = ? AND client_id = ?", input.authorKey, input.clientId)
        .toArray()[0];
      if (existing) return { message: rowToMessage(existing), duplicate: true };
    }
    const seq = this.lastSeq + 1;
    const previousAt = seq > 1 ? this.ctx.storage.sql.exec<{ at: number }>("SELECT at FROM messages WHERE seq = ?", seq - 1).one().at : 0;
    // Keep timestamps monotonic so displayed order never disagrees with sequence order.
    const at = Math.max(this.clock.now(), previousAt);
    this.ctx.storage.sql.exec(
      "INSERT INTO messages (seq, author_key, client_id, role, name, kind, body, at, while_waiting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      seq,
      input.authorKey,
      input.clientId,
      input.role,
      input.name,
      input.kind,
      input.body,
      at,
      input.whileWaiting ? 1 : 0,
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
      if (!att?.authed) continue;
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
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const role = librarian ? "librarian" : "patron";
    this.ctx.acceptWebSocket(server, [role]);
    server.serializeAttachment({ role, authed: false, connectedAt: this.clock.now(), librarian } satisfies SocketAttachment);
    await this.scheduleAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const att = ws.deserializeAttachment() as SocketAttachment;
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
    const { message, duplicate } = this.appendMessage({
      authorKey: isPatron ? "patron" : `librarian:${att.librarian!.id}`,
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
    const request = this.queuedRequest(state);
    await Promise.all(state.queueIds.map((q) => this.queue(q).updateRequest(request).catch(logFailure("preview_update_failed", state.sessionId))));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.onSocketGone(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.onSocketGone(ws, CLOSE_CODES.goingAway);
  }

  private onSocketGone(ws: WebSocket, code: number): void {
    const att = ws.deserializeAttachment() as SocketAttachment | null;
    try {
      ws.close(code === 1005 || code === 1006 ? CLOSE_CODES.normal : code, "closing");
    } catch {
      // Already closed.
    }
    // A patron who drops mid-chat stops typing as far as the librarian can tell.
    if (att?.authed && this.state?.status === "active") {
      const name = att.role === "librarian" ? att.librarian!.name : this.state.patronName || "Patron";
      this.broadcast({ type: "typing", role: att.role, name, active: false }, att.role === "patron" ? "librarian" : "patron");
    }
  }

  // ---- lifecycle (RPC from the Worker) -----------------------------------

  /** Creates the session and offers it to its queue. Safe to call twice. */
  async start(init: StartChat): Promise<{ status: SessionStatus }> {
    if (this.state) return { status: this.state.status };
    const now = this.clock.now();
    const state: SessionState = {
      ...init,
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
    const offer = await this.queue(init.queueId).offer(this.queuedRequest(state));
    if (!offer.staffed && this.state!.status === "waiting") await this.markUnavailable();
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
    this.save({ ...s, status: "ended", endedAt: now, resolution: input.resolution, descriptiveCodes: input.descriptiveCodes, note: input.note });
    this.systemMessage(`${s.librarian.name} ended the chat.`);
    this.broadcastStatus();
    this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
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

  private async onPatronLeave(s: SessionState): Promise<void> {
    if (s.status === "active") {
      this.save({ ...s, status: "patron_left" });
      this.systemMessage(`${s.patronName || "The patron"} left the chat.`);
      this.broadcastStatus();
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

  // ---- internals ----------------------------------------------------------

  private queue(queueId: string) {
    return this.env.REQUEST_QUEUE.getByName(queueId) as unknown as DurableObjectStub<import("./RequestQueue").RequestQueue>;
  }

  private queuedRequest(s: SessionState): QueuedRequest {
    const waiting = this.ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM messages WHERE role = 'patron' AND while_waiting = 1 AND seq > 1 ORDER BY seq DESC LIMIT ?", PREVIEW_LINES)
      .toArray()
      .reverse();
    return {
      sessionId: s.sessionId,
      queueId: s.queueIds[0]!,
      libraryId: s.libraryId,
      libraryName: s.libraryName,
      formId: s.formId,
      question: s.question,
      patronName: s.patronName || "Patron",
      createdAt: s.createdAt,
      preview: waiting.map((m) => m.body.slice(0, LIMITS.previewChars)),
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
    if (s?.status === "unavailable" && s.abandonAt) due.push(s.abandonAt);
    if (s?.status === "ended" && !s.filed && s.fileRetryAt) due.push(s.fileRetryAt);
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
    if (s?.status === "unavailable" && s.abandonAt && now >= s.abandonAt) {
      this.save({ ...s, status: "ended", endedAt: now, resolution: unansweredResolution(s.patronEmail) });
      this.broadcastStatus();
      this.closeAll(CLOSE_CODES.sessionEnded, "session ended");
      s = this.state;
    }
    if (s?.status === "ended" && !s.filed) await this.fileNow();
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
}

function rowToMessage(r: MessageRow): ChatMessage {
  return {
    seq: r.seq,
    clientId: r.client_id,
    author: { role: r.role as AuthorRole, name: r.name },
    kind: r.kind as ChatMessage["kind"],
    body: r.body,
    at: r.at,
    whileWaiting: r.while_waiting === 1,
  };
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
