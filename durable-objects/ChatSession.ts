/**
 * ChatSession — one Durable Object per chat request.
 *
 * Coordinates: the patron's and the serving librarian's sockets, the message
 * log, the accept decision, transfers, roll-over to cooperative queues,
 * co-browsing's consent, and the end and filing of the chat.
 *
 * Guarantees:
 * - Exactly one librarian wins. A request can be shown in several queues, so
 *   the claim is decided here, per request: every rule (chat-session/rules)
 *   is pure, and `SessionCore.commit` stores its decision and tells every
 *   socket before anything is awaited, so a rival claim always sees it.
 * - No acknowledged message is lost, duplicated or reordered: each message is
 *   written to SQLite with the next sequence number before the ack or any
 *   relay leaves; a repeated client id returns the stored message; a
 *   reconnecting client gets everything after the last number it saw, once.
 * - Hibernation-safe: who is on a socket lives in its attachment, everything
 *   else in storage; pings are answered without waking the object; every
 *   timer is the one alarm.
 * - Decisions stand: D1 rows mirror what was decided here and are retried,
 *   never turning an announced decision into an error.
 *
 * This class is the entry points only; each concern lives in chat-session/.
 */
import { DurableObject } from "cloudflare:workers";
import { digestToken } from "../src/auth/tokens";
import { timingSafeEqual } from "../src/auth/password";
import type {
  ChatSessionApi,
  ConsultInvitation,
  ConsultResult,
  FileResult,
  FileSender,
  Refusal,
  ClaimResult,
  EndChat,
  EndResult,
  HandBackResult,
  InternalNote,
  LibrarianRef,
  PushResult,
  PushTargetInfo,
  SessionDescription,
  StartChat,
  TransferOffer,
  TransferResult,
} from "../src/objects/contracts";
import { IDENTITY_HEADERS } from "../src/objects/contracts";
import { MovableClock } from "../src/shared/clock";
import { CLOSE_CODES } from "../src/shared/close-codes";
import { parseFrame, sessionClientMessageSchema, type ChatMessage, type PushedPage, type SessionStatus, type SessionView, type SharedFile } from "../src/shared/protocol";
import { FrameBudget, tooManyFrames } from "./shared/frame-budget";
import { answeringFaults, closeGoneSocket, ERRORED_SOCKET_CODE } from "./shared/sockets";
import { hasStorage, migrateStorage } from "./shared/storage-schema";
import { ChatSocketFrames, senderOf } from "./chat-session/chat-socket";
import { authorOf } from "./chat-session/sockets";
import { CobrowseRelay } from "./chat-session/cobrowse-relay";
import { SessionOffers } from "./chat-session/offers";
import { claim } from "./chat-session/rules/claim";
import { chooseTranscript, reportBrowser } from "./chat-session/rules/chat-frames";
import { declineCobrowse, requestCobrowse, stopCobrowseBy } from "./chat-session/rules/cobrowse";
import { refuse } from "./chat-session/rules/decision";
import { endByLibrarian, handBack, leaveQuestion, patronLeaves, patronSocketsGone, startSession } from "./chat-session/rules/lifecycle";
import { cancelTransfer, declineTransfer } from "./chat-session/rules/transfer";
import { declineConsult, joinConsult, leaveConsult } from "./chat-session/rules/consult";
import { runDueTimers } from "./chat-session/due-timers";
import { setFilesAllowed } from "./chat-session/rules/files";
import { assertNever, SessionCore, type Committed } from "./chat-session/session-core";
import { sessionView } from "./chat-session/session-state";
import { SESSION_STORAGE_MIGRATIONS } from "./chat-session/store";

export class ChatSession extends DurableObject<Env> implements ChatSessionApi {
  readonly clock = new MovableClock();
  private readonly core: SessionCore;
  private readonly offers: SessionOffers;
  private readonly relay: CobrowseRelay;
  private readonly frames: ChatSocketFrames;
  private readonly budget = new FrameBudget(() => this.clock.now());

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A session that exists is brought up to date; an id that was only asked about
    // (a mistyped or forged chat link) gets no storage at all: `start` creates it.
    if (hasStorage(ctx.storage.sql)) migrateStorage(ctx.storage.sql, SESSION_STORAGE_MIGRATIONS);
    // The environment is read when used (never captured), so a test that swaps a binding reaches every module.
    this.core = new SessionCore({ ctx, clock: this.clock, env: () => this.env });
    this.offers = new SessionOffers(this.core);
    const tokenValid = (token: string) => this.patronTokenValid(token);
    this.relay = new CobrowseRelay(this.core, this.budget, tokenValid);
    this.frames = new ChatSocketFrames(this.core, this.relay, this.budget, tokenValid);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- sockets ------------------------------------------------------------

  /** Upgrades a socket. The Worker has already decided who this is: a librarian (header) or a patron (proves it in hello). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    if (!this.core.state) return Response.json({ error: { code: "not_found", message: "Chat session not found." } }, { status: 404 });
    const librarianHeader = request.headers.get(IDENTITY_HEADERS.librarian);
    const librarian = librarianHeader ? (JSON.parse(librarianHeader) as LibrarianRef) : null;
    // Whoever flooded this chat a moment ago waits before a new socket (fair share).
    if (this.budget.isCooling(librarian ? `librarian:${librarian.id}` : "patron")) {
      return Response.json({ error: { code: "rate_limited", message: "Too many frames from you a moment ago; reconnect shortly." } }, { status: 429 });
    }
    const stream = request.headers.get(IDENTITY_HEADERS.channel) === "cobrowse";
    const now = this.clock.now();
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.core.sockets.accept(server, {
      role: librarian ? "librarian" : "patron",
      authed: false,
      connectedAt: now,
      librarian,
      signIn: librarian ? request.headers.get(IDENTITY_HEADERS.signIn) : null,
      origin: request.headers.get(IDENTITY_HEADERS.origin) || null,
      ...(stream ? { channel: "cobrowse" as const, sharingId: null } : {}),
    });
    await this.core.scheduleAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> | void {
    // Fair share first, synchronously: a flood is thousands of frames, and most of them end here.
    if (!this.budget.admit(ws, this.authorOn, this.isStream)) return;
    return answeringFaults(ws, { sessionId: this.core.state?.sessionId ?? "" }, () => this.onFrame(ws, raw));
  }

  private async onFrame(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const att = this.core.sockets.attachment(ws);
    if (!att) return;
    const author = authorOf(att);
    if (att.channel === "cobrowse") return this.relay.onFrame(ws, att, raw);
    const parsed = parseFrame(sessionClientMessageSchema, raw);
    if (!parsed.ok) return this.core.sockets.send(ws, parsed.error);
    const msg = parsed.value;
    if (msg.type !== "hello" && !att.authed) return this.core.sockets.send(ws, { type: "error", code: "hello_required", message: "Say hello (with your token) first." });
    // Chat messages have their own rate (answered with the message's client id, so it is resent); every other kind, here.
    if (msg.type !== "send") {
      const allowed = msg.type === "hello" ? this.budget.helloFrame(ws) : this.budget.authorFrame(author, msg.type);
      if (!allowed.ok) return allowed.notify ? this.core.sockets.send(ws, tooManyFrames(allowed.retryAfterMs, msg.type)) : undefined;
    }
    const from = senderOf(att);
    switch (msg.type) {
      case "hello":
        return this.frames.onHello(ws, att, msg.token, msg.lastSeq);
      case "send":
        return this.frames.onSend(ws, att, msg.clientId, msg.body);
      case "typing":
        return this.frames.onTyping(att, msg.active);
      case "leave":
        if (from.role !== "patron") return this.core.sockets.send(ws, { type: "error", code: "forbidden", message: "Librarians end a chat with codes, not by leaving." });
        await this.core.commit((s, now) => patronLeaves(s, now));
        return;
      case "transcript":
        return this.frames.decided(ws, (s) => chooseTranscript(s, from, msg.send, msg.email ?? null));
      case "capabilities":
        return this.frames.decided(ws, (s) => reportBrowser(s, from, msg.report));
      case "cobrowse.request":
        return this.frames.decided(ws, (s) => requestCobrowse(s, from));
      case "cobrowse.decline":
        return this.frames.decided(ws, (s) => declineCobrowse(s, from));
      case "cobrowse.stop":
        return this.frames.decided(ws, (s) => stopCobrowseBy(s, from));
      case "cobrowse.point":
        return this.frames.toPage(ws, att, { type: "point", target: msg.target });
      case "cobrowse.navigate":
        return this.frames.navigate(ws, att, msg.url);
      case "cobrowse.resync":
        return this.frames.toPage(ws, att, { type: "resync" });
      default:
        return assertNever(msg);
    }
  }

  /** Who is on a socket, for rates: read only when needed (a flood is thousands of frames). */
  private readonly authorOn = (ws: WebSocket): string | null => {
    const att = this.core.sockets.attachment(ws);
    return att ? authorOf(att) : null;
  };

  /** Whether a socket is a co-browse page's stream (read once per socket, for its allowance). */
  private readonly isStream = (ws: WebSocket): boolean => this.core.sockets.attachment(ws)?.channel === "cobrowse";

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.onSocketGone(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.onSocketGone(ws, ERRORED_SOCKET_CODE);
  }

  private async onSocketGone(ws: WebSocket, code: number): Promise<void> {
    const att = this.core.sockets.attachment(ws);
    closeGoneSocket(ws, code);
    if (!att) return;
    if (att.channel) return this.relay.onGone(att);
    this.frames.onGone(att);
    // A waiting patron with no chat socket left may have gone for good: the alarm decides after a grace period.
    if (att.role === "patron" && att.authed && !this.core.sockets.patronHere(ws)) await this.core.commit((s, now) => patronSocketsGone(s, now));
  }

  // ---- lifecycle (RPC from the Worker) ------------------------------------

  /** Creates the session and offers it along its route. Safe to call twice. */
  async start(init: StartChat): Promise<{ status: SessionStatus }> {
    if (this.core.state) return { status: this.core.state.status };
    migrateStorage(this.ctx.storage.sql, SESSION_STORAGE_MIGRATIONS);
    await this.core.create(startSession(init, this.clock.now()));
    await this.offers.offerNew();
    return { status: this.core.state!.status };
  }

  async describe(): Promise<SessionDescription | null> {
    const s = this.core.state;
    return s ? { view: sessionView(s), queueIds: s.queueIds, resolution: s.resolution, filed: s.filed } : null;
  }

  /** The whole message log. */
  async transcript(): Promise<ChatMessage[]> {
    return this.core.store.messagesAfter(0);
  }

  /** Whether `token` is this chat's patron token (for patron sockets and patron HTTP requests such as the rating). */
  async patronTokenValid(token: string): Promise<boolean> {
    const hash = this.core.state?.tokenHash;
    if (!hash) return false;
    const encode = (text: string) => new TextEncoder().encode(text);
    return timingSafeEqual(encode(await digestToken(token)), encode(hash));
  }

  /** A librarian accepts: the first claim wins (rules/claim.ts). */
  async claim(librarian: LibrarianRef, allowedQueueIds: string[]): Promise<ClaimResult> {
    const result = await this.core.commit((s, now) => claim(s, librarian, allowedQueueIds, now));
    return result.ok ? { ok: true, session: sessionView(result.state) } : (result as ClaimResult);
  }

  /** The serving librarian ends the chat with its codes; the transcript is filed. The same end twice changes nothing. */
  async end(input: EndChat): Promise<EndResult> {
    const result = await this.core.commit((s, now) => endByLibrarian(s, input, now));
    return result.ok ? { ok: true, filed: result.state.filed } : result;
  }

  /** The patron, told chat is unavailable, leaves the question by e-mail instead. */
  async leaveQuestion(token: string, email: string, name: string | null, details: string | null): Promise<EndResult> {
    if (!this.core.state) return refuse("not_found", "Chat session not found.");
    if (!(await this.patronTokenValid(token))) return refuse("unauthorized", "This chat link is not valid.");
    const result = await this.core.commit((s, now) => leaveQuestion(s, { email, name, details }, now));
    return result.ok ? { ok: true, filed: result.state.filed } : result;
  }

  /** The serving librarian can no longer serve: the chat goes back to its queues (or is filed when the patron already left). */
  async handBack(librarianId: string): Promise<HandBackResult> {
    const result = await this.core.commit((s, now) => handBack(s, librarianId, now));
    if (!result.ok) return result as HandBackResult;
    if (result.state.status === "waiting") await this.offers.offerAgain();
    return { ok: true, status: this.core.state!.status };
  }

  /**
   * Past the library's retention period the privacy scrub erases the chat
   * everywhere; once it is over and filed, nothing needs this object's copy
   * (D1 holds the transcript), so all of its storage is deleted. A chat not
   * yet filed is refused (the scrub tries again on a later run).
   */
  async erase(): Promise<{ ok: boolean }> {
    const s = this.core.state;
    if (!s) return { ok: true };
    if (s.status !== "ended" || !s.filed) return { ok: false };
    this.core.sockets.close("all", CLOSE_CODES.sessionEnded, "session ended");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.core.store.forget();
    return { ok: true };
  }

  // ---- transfers (RPC from the Worker) ------------------------------------

  /** The serving librarian offers the chat to another librarian or to a queue (rules/transfer.ts). */
  async offerTransfer(input: TransferOffer): Promise<TransferResult> {
    return this.offers.offerTransfer(input);
  }

  async cancelTransfer(librarianId: string): Promise<TransferResult> {
    return viewed(await this.core.commit((s) => cancelTransfer(s, librarianId))) as TransferResult;
  }

  async declineTransfer(librarianId: string): Promise<TransferResult> {
    return viewed(await this.core.commit((s) => declineTransfer(s, librarianId))) as TransferResult;
  }

  // ---- consults (RPC from the Worker) -------------------------------------

  /** The owner invites a colleague to help in the chat (rules/consult.ts). */
  async inviteConsultant(input: ConsultInvitation): Promise<ConsultResult> {
    return this.offers.inviteConsultant(input);
  }

  async joinConsult(librarian: LibrarianRef): Promise<ConsultResult> {
    return viewed(await this.core.commit((s) => joinConsult(s, librarian))) as ConsultResult;
  }

  async declineConsult(librarianId: string): Promise<ConsultResult> {
    return viewed(await this.core.commit((s) => declineConsult(s, librarianId))) as ConsultResult;
  }

  async leaveConsult(librarianId: string): Promise<ConsultResult> {
    return viewed(await this.core.commit((s) => leaveConsult(s, librarianId))) as ConsultResult;
  }

  /** Internal notes about this chat, oldest first (librarians only: the Worker checks who asks). */
  async internalNotes(): Promise<InternalNote[]> {
    return this.core.store.notes();
  }

  // ---- cooperative routing ------------------------------------------------

  /** A queue showing this request lost its last monitor (called by RequestQueue). */
  async queueUnstaffed(queueId: string): Promise<void> {
    const s = this.core.state;
    if (!s?.route || s.status !== "waiting" || !s.queueIds.includes(queueId)) return;
    await this.offers.rollOver("unstaffed", queueId);
    await this.core.scheduleAlarm();
  }

  // ---- chat with viewport -------------------------------------------------

  /** Where the push route may open a page: the form's method, the patron's page and what their browser reported. */
  async pushTarget(): Promise<PushTargetInfo | null> {
    const s = this.core.state;
    return s ? { chatMethod: s.chatMethod ?? "chat", patronOrigin: s.patronOrigin ?? null, framingWorks: s.browser?.framing ?? null } : null;
  }

  /** The serving librarian pushes a page (already checked by the Worker); stored like a message, once per client id. */
  async pushPage(input: { librarianId: string; clientId: string; page: PushedPage; body: string }): Promise<PushResult> {
    return this.frames.push(input);
  }

  /** A file the Worker checked and stored in R2 (rules/files.ts decides whether the chat takes it). */
  async attachFile(input: { from: FileSender; clientId: string; file: SharedFile }): Promise<FileResult> {
    return this.frames.attach(input);
  }

  /** The librarian who owns the chat turns files off or back on for it. */
  async setFilesAllowed(librarianId: string, allowed: boolean): Promise<{ ok: true; session: SessionView } | Refusal> {
    return viewed(await this.core.commit((s) => setFilesAllowed(s, librarianId, allowed)));
  }

  // ---- access ---------------------------------------------------------------

  /** A librarian's sign-in ended: their sockets opened with it close at once (null: all of theirs). */
  async revokeAccess(librarianId: string, signInKeys: string[] | null): Promise<{ closed: number }> {
    if (!this.core.state) return { closed: 0 };
    return { closed: this.core.access.revoke(librarianId, signInKeys) };
  }

  // ---- the one alarm --------------------------------------------------------

  /** The one alarm: every timer that is due (chat-session/due-timers.ts). */
  override async alarm(): Promise<void> {
    await runDueTimers(this.core, this.offers);
  }
}

/** A committed decision answered with the session as it now stands (or the refusal). */
function viewed(result: Committed): { ok: true; session: SessionView } | Refusal {
  return result.ok ? { ok: true, session: sessionView(result.state) } : result;
}
