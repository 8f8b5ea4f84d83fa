/**
 * RequestQueue — one Durable Object per queue (a library's, or a group's).
 *
 * Coordinates: the monitoring librarians' sockets (presence) and the list of
 * waiting requests they are shown.
 *
 * Guarantees:
 * - "Is anybody monitoring?" is answered from live presence: librarian sockets
 *   that are open and not stale, plus librarians inside the grace period after
 *   their socket went away (closed, errored, or silent past TIMING.staleSocketMs
 *   — a socket can vanish without a close frame, so pings decide, not only close
 *   events). `offer` decides staffing and adds the request in one turn, so a
 *   request is never added to a queue that was empty at that instant.
 * - Every monitoring librarian sees every change (added, updated, removed) in
 *   the order it happened here.
 * - The queue shows requests; it does not decide who wins them. Accepting goes
 *   to the request's ChatSession, which tells every queue that showed it.
 * - Hibernation-safe: who is on a socket lives in its attachment; requests and
 *   grace periods live in SQLite; the alarm is the only timer.
 * - Cooperative routing (issue 6): a request offered with `watchStaffing` is
 *   watched — when this queue loses its last monitor (a grace period ends, the
 *   last monitor signs off or goes away) while it waits here, its ChatSession is
 *   told (`queueUnstaffed`) so it can roll over to a group queue. The staffed
 *   state is kept in storage, so a loss that happened silently between alarms
 *   (a grace period running out) is still noticed by the next alarm.
 */
import { DurableObject } from "cloudflare:workers";
import { MovableClock } from "../src/shared/clock";
import { TIMING } from "../src/shared/limits";
import {
  CLOSE_CODES,
  parseFrame,
  queueClientMessageSchema,
  type LibrarianStatus,
  type Monitor,
  type QueuedRequest,
  type QueueServerMessage,
} from "../src/shared/protocol";
import type { ChatSession, LibrarianRef } from "./ChatSession";

interface MonitorAttachment {
  librarian: LibrarianRef;
  status: LibrarianStatus;
  connectedAt: number;
}

type RemovalReason = "accepted" | "left" | "unavailable" | "withdrawn";

/** How a request is offered (cooperative routing, src/queues/routing-policy.ts). */
export interface OfferOptions {
  /** Add it even when nobody is monitoring (a patron's home queue keeps its requests while they roll over). */
  keepWhenUnstaffed?: boolean;
  /** Tell the request's ChatSession when this queue loses its last monitor while it waits. */
  watchStaffing?: boolean;
}

export class RequestQueue extends DurableObject<Env> {
  readonly clock = new MovableClock();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS requests (session_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS grace (librarian_id TEXT PRIMARY KEY, until INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS watched (session_id TEXT PRIMARY KEY);
    `);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  private get queueId(): string {
    return this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'queue_id'").toArray()[0]?.value ?? "";
  }

  private rememberQueueId(queueId: string): void {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('queue_id', ?)", queueId);
  }

  // ---- presence ---------------------------------------------------------

  private openSockets(): { ws: WebSocket; att: MonitorAttachment }[] {
    const out: { ws: WebSocket; att: MonitorAttachment }[] = [];
    for (const ws of this.ctx.getWebSockets("librarian")) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const att = ws.deserializeAttachment() as MonitorAttachment | null;
      if (att) out.push({ ws, att });
    }
    return out;
  }

  /** Everyone monitoring now, one entry per librarian, including those inside their grace period. */
  monitors(): Monitor[] {
    const now = this.clock.now();
    const byId = new Map<string, Monitor>();
    for (const { att } of this.openSockets()) {
      byId.set(att.librarian.id, {
        librarianId: att.librarian.id,
        name: att.librarian.name,
        libraryId: att.librarian.libraryId,
        status: att.status,
        reconnecting: false,
      });
    }
    for (const g of this.ctx.storage.sql.exec<{ librarian_id: string; until: number; body: string }>("SELECT * FROM grace").toArray()) {
      if (g.until <= now || byId.has(g.librarian_id)) continue;
      const att = JSON.parse(g.body) as MonitorAttachment;
      byId.set(g.librarian_id, { librarianId: att.librarian.id, name: att.librarian.name, libraryId: att.librarian.libraryId, status: att.status, reconnecting: true });
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Somebody who can take a chat is monitoring (online or busy; "away" does not count). */
  private isStaffed(): boolean {
    return this.monitors().some((m) => m.status !== "away");
  }

  // ---- requests ---------------------------------------------------------

  private requests(): QueuedRequest[] {
    return this.ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM requests ORDER BY created_at, session_id")
      .toArray()
      .map((r) => JSON.parse(r.body) as QueuedRequest);
  }

  /**
   * Adds a request if anybody is monitoring (or, with keepWhenUnstaffed, in any
   * case); says whether anybody is. Deciding and adding happen in one turn.
   */
  async offer(request: QueuedRequest, options: OfferOptions = {}): Promise<{ staffed: boolean }> {
    this.rememberQueueId(request.queueId);
    const staffed = this.isStaffed();
    if (!staffed && !options.keepWhenUnstaffed) return { staffed: false };
    if (options.watchStaffing) this.ctx.storage.sql.exec("INSERT OR IGNORE INTO watched (session_id) VALUES (?)", request.sessionId);
    if (staffed) this.rememberStaffed(true);
    const exists = this.ctx.storage.sql.exec("SELECT 1 FROM requests WHERE session_id = ?", request.sessionId).toArray().length > 0;
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO requests (session_id, created_at, body) VALUES (?, ?, ?)",
      request.sessionId,
      request.createdAt,
      JSON.stringify(request),
    );
    this.broadcast({ type: exists ? "request.updated" : "request.added", request });
    return { staffed };
  }

  /** Whether anybody who can take a chat is monitoring now. */
  async staffing(): Promise<{ staffed: boolean }> {
    return { staffed: this.isStaffed() };
  }

  /** Replaces a waiting request's details (e.g. the preview of what the patron typed). No-op once it is gone. */
  async updateRequest(request: QueuedRequest): Promise<void> {
    const cursor = this.ctx.storage.sql.exec("UPDATE requests SET body = ? WHERE session_id = ?", JSON.stringify(request), request.sessionId);
    if (cursor.rowsWritten > 0) this.broadcast({ type: "request.updated", request });
  }

  /** Takes a request off the queue and tells every monitor why. Idempotent. */
  async removeRequest(sessionId: string, reason: RemovalReason, by: { id: string; name: string } | null): Promise<void> {
    const cursor = this.ctx.storage.sql.exec("DELETE FROM requests WHERE session_id = ?", sessionId);
    this.ctx.storage.sql.exec("DELETE FROM watched WHERE session_id = ?", sessionId);
    if (cursor.rowsWritten > 0) this.broadcast({ type: "request.removed", queueId: this.queueId, sessionId, reason, by });
  }

  /** The queue as a monitor sees it. */
  async snapshot(): Promise<{ requests: QueuedRequest[]; monitors: Monitor[]; staffed: boolean }> {
    return { requests: this.requests(), monitors: this.monitors(), staffed: this.isStaffed() };
  }

  // ---- sockets ----------------------------------------------------------

  private broadcast(frame: QueueServerMessage): void {
    const text = JSON.stringify(frame);
    for (const { ws } of this.openSockets()) {
      try {
        ws.send(text);
      } catch {
        // Closed between the check and the send.
      }
    }
  }

  private broadcastPresence(): void {
    this.broadcast({ type: "presence", queueId: this.queueId, monitors: this.monitors() });
  }

  /** A librarian starts monitoring. The Worker has checked they may staff this queue. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const librarian = JSON.parse(request.headers.get("X-Refdesk-Librarian") ?? "null") as LibrarianRef | null;
    const queueId = request.headers.get("X-Refdesk-Queue");
    if (!librarian || !queueId) return new Response("Missing identity", { status: 400 });
    this.rememberQueueId(queueId);
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, ["librarian", `librarian:${librarian.id}`]);
    server.serializeAttachment({ librarian, status: "online", connectedAt: this.clock.now() } satisfies MonitorAttachment);
    this.ctx.storage.sql.exec("DELETE FROM grace WHERE librarian_id = ?", librarian.id);
    server.send(JSON.stringify({ type: "queue.snapshot", queueId, requests: this.requests(), monitors: this.monitors() } satisfies QueueServerMessage));
    this.broadcastPresence();
    await this.noteStaffing();
    await this.scheduleAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseFrame(queueClientMessageSchema, raw);
    if (!parsed.ok) {
      ws.send(JSON.stringify(parsed.error));
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case "set_status": {
        const att = ws.deserializeAttachment() as MonitorAttachment;
        // One status per librarian: every socket of theirs on this queue follows.
        for (const other of this.ctx.getWebSockets(`librarian:${att.librarian.id}`)) {
          const a = other.deserializeAttachment() as MonitorAttachment;
          other.serializeAttachment({ ...a, status: msg.status } satisfies MonitorAttachment);
        }
        this.broadcastPresence();
        await this.noteStaffing();
        return;
      }
      default:
        return assertNever(msg.type);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.onSocketGone(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.onSocketGone(ws, CLOSE_CODES.goingAway);
  }

  /** A monitor's socket went away: they still count for the grace period, unless another socket of theirs is open. */
  private async onSocketGone(ws: WebSocket, code: number): Promise<void> {
    const att = ws.deserializeAttachment() as MonitorAttachment | null;
    try {
      ws.close(code === 1005 || code === 1006 ? CLOSE_CODES.normal : code, "closing");
    } catch {
      // Already closed.
    }
    if (!att) return;
    const stillHere = this.openSockets().some((s) => s.ws !== ws && s.att.librarian.id === att.librarian.id);
    if (!stillHere) {
      // A monitor who signs off on purpose (close code 1000) stops counting at once.
      if (code !== CLOSE_CODES.normal) {
        this.ctx.storage.sql.exec(
          "INSERT OR REPLACE INTO grace (librarian_id, until, body) VALUES (?, ?, ?)",
          att.librarian.id,
          this.clock.now() + TIMING.presenceGraceMs,
          JSON.stringify(att),
        );
      }
    }
    this.broadcastPresence();
    await this.noteStaffing();
    await this.scheduleAlarm();
  }

  /** Closes sockets that stopped pinging and ends grace periods that ran out. */
  override async alarm(): Promise<void> {
    const now = this.clock.now();
    for (const { ws, att } of this.openSockets()) {
      const lastPing = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null;
      const lastSign = Math.max(lastPing ?? 0, att.connectedAt);
      if (now - lastSign > TIMING.staleSocketMs) {
        this.ctx.storage.sql.exec(
          "INSERT OR REPLACE INTO grace (librarian_id, until, body) VALUES (?, ?, ?)",
          att.librarian.id,
          now + TIMING.presenceGraceMs,
          JSON.stringify(att),
        );
        try {
          ws.close(CLOSE_CODES.goingAway, "no ping");
        } catch {
          // Already gone.
        }
      }
    }
    this.ctx.storage.sql.exec("DELETE FROM grace WHERE until <= ?", now);
    this.broadcastPresence();
    await this.noteStaffing();
    await this.scheduleAlarm();
  }

  // ---- staffing changes (cooperative routing) ------------------------------

  private rememberStaffed(staffed: boolean): boolean {
    const before = this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'staffed'").toArray()[0]?.value === "1";
    if (before !== staffed) this.ctx.storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('staffed', ?)", staffed ? "1" : "0");
    return before;
  }

  /**
   * Records whether anybody is monitoring; on the change from staffed to not,
   * tells every watched waiting request's session, so it can roll over.
   */
  private async noteStaffing(): Promise<void> {
    const staffed = this.isStaffed();
    const wasStaffed = this.rememberStaffed(staffed);
    if (staffed || !wasStaffed) return;
    const waiting = this.ctx.storage.sql
      .exec<{ session_id: string }>("SELECT w.session_id FROM watched w JOIN requests r ON r.session_id = w.session_id")
      .toArray()
      .map((r) => r.session_id);
    const queueId = this.queueId;
    await Promise.all(
      waiting.map((sessionId) =>
        (this.env.CHAT_SESSION.getByName(sessionId) as unknown as DurableObjectStub<ChatSession>)
          .queueUnstaffed(queueId)
          .catch((error: unknown) => console.error(JSON.stringify({ event: "unstaffed_notice_failed", queueId, sessionId, error: String(error) }))),
      ),
    );
  }

  private async scheduleAlarm(): Promise<void> {
    const now = this.clock.now();
    const due: number[] = [];
    const graceEnds = this.ctx.storage.sql.exec<{ m: number | null }>("SELECT MIN(until) AS m FROM grace").one().m;
    if (graceEnds !== null) due.push(graceEnds);
    // While anyone is connected, look for silent sockets a little more often than they can go stale.
    if (this.openSockets().length > 0) due.push(now + TIMING.staleSocketMs / 2);
    if (due.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, Math.min(...due) - now));
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
