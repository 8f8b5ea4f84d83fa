/**
 * RequestQueue — one Durable Object per queue (a library's, or a group's).
 *
 * Coordinates: the monitoring librarians' sockets (presence), the requests
 * they are shown, staff chat among them, and — for cooperative routing —
 * telling waiting requests when nobody is left to take them.
 *
 * Guarantees:
 * - "Is anybody monitoring?" is answered from live presence with a grace
 *   period (request-queue/presence.ts). `offer` decides staffing and adds the
 *   request in one turn, so a request is never added to a queue that was
 *   empty at that instant.
 * - Every monitor sees every change (added, updated, removed) in the order it
 *   happened here.
 * - The queue shows requests; it does not decide who wins them. Accepting
 *   goes to the request's ChatSession, which tells every queue that showed it.
 * - Hibernation-safe: who is on a socket lives in its attachment; requests
 *   and grace periods live in SQLite; the alarm is the only timer.
 *
 * This class is the entry points only; each concern lives in request-queue/.
 */
import { DurableObject } from "cloudflare:workers";
import { IDENTITY_HEADERS, type LibrarianRef, type OfferOptions, type RemovalReason, type RequestQueueApi } from "../src/objects/contracts";
import { MovableClock } from "../src/shared/clock";
import { CLOSE_CODES } from "../src/shared/close-codes";
import { parseFrame, queueClientMessageSchema, type DirectMessage, type Monitor, type QueuedRequest } from "../src/shared/protocol";
import { FrameBudget, tooManyFrames } from "./shared/frame-budget";
import { answeringFaults, closeGoneSocket, ERRORED_SOCKET_CODE, sendFrame } from "./shared/sockets";
import { migrateStorage } from "./shared/storage-schema";
import { QueuePresence } from "./request-queue/presence";
import { QUEUE_STORAGE_MIGRATIONS, QueueMeta } from "./request-queue/queue-store";
import { StaffChat } from "./request-queue/staff-chat";
import { QueueAccessWatch } from "./request-queue/access-watch";
import { MonitoringSpans } from "./request-queue/monitoring-spans";
import { QueuePruning } from "./request-queue/pruning";
import { StaffingWatch } from "./request-queue/staffing-watch";
import { WaitingList } from "./request-queue/waiting-list";

export class RequestQueue extends DurableObject<Env> implements RequestQueueApi {
  readonly clock = new MovableClock();
  private readonly meta: QueueMeta;
  private readonly presence: QueuePresence;
  private readonly spans: MonitoringSpans;
  private readonly waiting: WaitingList;
  private readonly staffChat: StaffChat;
  private readonly watch: StaffingWatch;
  private readonly access: QueueAccessWatch;
  private readonly pruning: QueuePruning;
  private readonly budget = new FrameBudget(() => this.clock.now());
  /** The due time the alarm was last set for (undefined: unknown). */
  private alarmSetFor: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrateStorage(sql, QUEUE_STORAGE_MIGRATIONS);
    this.meta = new QueueMeta(sql);
    this.spans = new MonitoringSpans(sql, () => this.env, () => this.meta.queueId);
    this.presence = new QueuePresence(ctx, this.clock, this.spans);
    this.waiting = new WaitingList(sql, this.presence);
    this.staffChat = new StaffChat(sql, this.presence, this.clock, () => this.meta.queueId);
    this.watch = new StaffingWatch(sql, this.presence, this.meta, () => this.env);
    this.access = new QueueAccessWatch(this.presence, () => this.env);
    this.pruning = new QueuePruning(sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- requests (RPC from chat sessions) ------------------------------------

  /** Adds a request if anybody is monitoring (or, with keepWhenUnstaffed, in any case); says whether anybody is. */
  async offer(request: QueuedRequest, options: OfferOptions = {}): Promise<{ staffed: boolean }> {
    this.meta.rememberQueueId(request.queueId);
    const staffed = this.presence.isStaffed();
    if (!staffed && !options.keepWhenUnstaffed) return { staffed: false };
    if (options.watchStaffing) this.watch.watch(request.sessionId);
    if (staffed) this.meta.rememberStaffed(true);
    this.waiting.put(request);
    // Kept with nobody monitoring: the alarm must still come to prune it if its removal never arrives.
    if (!staffed) await this.scheduleAlarm();
    return { staffed };
  }

  async staffing(): Promise<{ staffed: boolean }> {
    return { staffed: this.presence.isStaffed() };
  }

  async updateRequest(request: QueuedRequest): Promise<void> {
    this.waiting.update(request);
  }

  async removeRequest(sessionId: string, reason: RemovalReason, by: { id: string; name: string } | null): Promise<void> {
    this.watch.unwatch(sessionId);
    this.waiting.remove(this.meta.queueId, sessionId, reason, by);
  }

  /**
   * Offers a chat to one librarian when `toLibrarianId` is set (a transfer to
   * them, or an invitation to consult), else to every monitor (a transfer). Says whether anybody who could take it — other
   * than the librarian transferring it — is here; when nobody is, nothing is
   * stored or shown.
   */
  async offerTransfer(request: QueuedRequest, opts: { fromLibrarianId: string; toLibrarianId: string | null }): Promise<{ staffed: boolean }> {
    this.meta.rememberQueueId(request.queueId);
    const takers = this.presence.monitors().filter((m) => m.status !== "away" && m.librarianId !== opts.fromLibrarianId);
    if (opts.toLibrarianId !== null) {
      if (!takers.some((m) => m.librarianId === opts.toLibrarianId)) return { staffed: false };
      this.waiting.putFor(opts.toLibrarianId, request);
      return { staffed: true };
    }
    if (takers.length === 0) return { staffed: false };
    this.waiting.put(request);
    return { staffed: true };
  }

  /** Passes a direct message to one librarian's sockets here, if they are monitoring (src/staff/direct-messages.ts). */
  async tellLibrarian(librarianId: string, message: DirectMessage): Promise<void> {
    this.presence.sendTo(librarianId, { type: "direct.message", message });
  }

  /** Who is monitoring, without the requests (a colleague's presence). */
  async monitors(): Promise<Monitor[]> {
    return this.presence.monitors();
  }

  /** The queue as a monitor sees it. */
  async snapshot(): Promise<{ requests: QueuedRequest[]; monitors: Monitor[]; staffed: boolean }> {
    return { requests: this.waiting.all(), monitors: this.presence.monitors(), staffed: this.presence.isStaffed() };
  }

  /** Ends a librarian's monitoring at once (their access ended): sockets close, no grace period. */
  async disconnectLibrarian(librarianId: string): Promise<{ closed: number }> {
    return this.revokeAccess(librarianId, null);
  }

  /** A librarian's sign-in ended: their monitoring on it ends at once (null: on every sign-in of theirs). */
  async revokeAccess(librarianId: string, signInKeys: string[] | null): Promise<{ closed: number }> {
    const closed = this.presence.dismiss(librarianId, signInKeys, "sign-in ended", CLOSE_CODES.accessEnded);
    await this.presenceChanged();
    return { closed };
  }

  // ---- monitor sockets ------------------------------------------------------

  /** A librarian starts monitoring. The Worker has checked they may staff this queue. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const librarian = JSON.parse(request.headers.get(IDENTITY_HEADERS.librarian) ?? "null") as LibrarianRef | null;
    const queueId = request.headers.get(IDENTITY_HEADERS.queue);
    if (!librarian || !queueId) return new Response("Missing identity", { status: 400 });
    // A monitor who flooded a moment ago waits before a new socket (fair share).
    if (this.budget.isCooling(`librarian:${librarian.id}`)) {
      return Response.json({ error: { code: "rate_limited", message: "Too many frames from you a moment ago; reconnect shortly." } }, { status: 429 });
    }
    this.meta.rememberQueueId(queueId);
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.presence.accept(server, librarian, request.headers.get(IDENTITY_HEADERS.signIn));
    sendFrame(server, { type: "queue.snapshot", queueId, requests: this.waiting.for(librarian.id), monitors: this.presence.monitors() });
    sendFrame(server, { type: "staff.history", queueId, messages: this.staffChat.historyFor(librarian.id) });
    await this.presenceChanged();
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> | void {
    // Fair share first, synchronously: a flood is thousands of frames, and most of them end here.
    if (!this.budget.admit(ws, this.authorOn)) return;
    return answeringFaults(ws, { queueId: this.meta.queueId }, () => this.onFrame(ws, raw));
  }

  private async onFrame(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const att = this.presence.attachment(ws);
    if (!att) return;
    const author = `librarian:${att.librarian.id}`;
    const parsed = parseFrame(queueClientMessageSchema, raw);
    if (!parsed.ok) return sendFrame(ws, parsed.error);
    const msg = parsed.value;
    const allowed = this.budget.authorFrame(author, msg.type);
    if (!allowed.ok) return allowed.notify ? sendFrame(ws, tooManyFrames(allowed.retryAfterMs, msg.type)) : undefined;
    switch (msg.type) {
      case "set_status":
        this.presence.setStatus(att.librarian.id, msg.status);
        return this.presenceChanged();
      case "staff.send":
        return this.staffChat.send(ws, att.librarian, msg);
      default:
        return assertNever(msg);
    }
  }

  /** Who is on a socket, for rates: read only when needed (a flood is thousands of frames). */
  private readonly authorOn = (ws: WebSocket): string | null => {
    const att = this.presence.attachment(ws);
    return att ? `librarian:${att.librarian.id}` : null;
  };

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.onSocketGone(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.onSocketGone(ws, ERRORED_SOCKET_CODE);
  }

  private async onSocketGone(ws: WebSocket, code: number): Promise<void> {
    const att = this.presence.attachment(ws);
    closeGoneSocket(ws, code);
    if (!att) return;
    // A monitor who signs off on purpose (close code 1000) stops counting at once.
    this.presence.socketGone(ws, att, code === CLOSE_CODES.normal);
    await this.presenceChanged();
  }

  // ---- the one alarm ----------------------------------------------------------

  /** Closes sockets that stopped pinging or whose sign-in ended, and ends grace periods that ran out. */
  override async alarm(): Promise<void> {
    this.alarmSetFor = undefined;
    await this.access.checkIfDue(this.clock.now());
    this.presence.sweep(CLOSE_CODES.goingAway);
    this.pruning.prune(this.clock.now());
    await this.presenceChanged();
  }

  /** After anything that changes who is here: everyone sees it, routing hears of a lost last monitor, the alarm follows. */
  private async presenceChanged(): Promise<void> {
    const frame = this.presence.presenceFrame(this.meta.queueId);
    if (frame) this.presence.broadcast(frame);
    await this.watch.note();
    await this.spans.flush(this.clock.now());
    await this.scheduleAlarm();
  }

  /**
   * The alarm serves presence (sweeps while monitors are connected, grace
   * periods), pruning and the coverage record's writes. It is moved only
   * earlier: an alarm already due sooner stays (when it runs it sets the next
   * one), so the joins and leaves of a busy queue do not each pay a durable
   * alarm write. Memory only: after hibernation, or once the alarm ran, it is
   * set again.
   */
  private async scheduleAlarm(): Promise<void> {
    const now = this.clock.now();
    const due = [this.presence.nextSweepAt(), this.pruning.nextDueAt(), this.spans.retryDueAt()].filter((t): t is number => t !== null);
    const at = due.length > 0 ? Math.min(...due) : null;
    if (at === this.alarmSetFor) return;
    if (at !== null && typeof this.alarmSetFor === "number" && this.alarmSetFor <= at) return;
    this.alarmSetFor = at;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Date.now() + Math.max(0, at - now));
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
