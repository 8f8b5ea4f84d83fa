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
 * - Transfers (issue 4): a chat offered to the whole queue is an ordinary
 *   request carrying `transfer`; one offered to a single librarian is kept
 *   apart and shown to that librarian's sockets only.
 * - Staff chat (issue 4): librarian-to-librarian messages among the queue's
 *   monitors, to everyone or to one of them, kept in SQLite for the rest of the
 *   shift (bounded by LIMITS.staffHistory and TIMING.staffHistoryMs), so a
 *   reload gets them back. Patrons never connect here, so never see them.
 * - Cooperative routing (issue 6): a request offered with `watchStaffing` is
 *   watched — when this queue loses its last monitor (a grace period ends, the
 *   last monitor signs off or goes away) while it waits here, its ChatSession is
 *   told (`queueUnstaffed`) so it can roll over to a group queue. The staffed
 *   state is kept in storage, so a loss that happened silently between alarms
 *   (a grace period running out) is still noticed by the next alarm.
 */
import { DurableObject } from "cloudflare:workers";
import { MovableClock } from "../src/shared/clock";
import { LIMITS, TIMING } from "../src/shared/limits";
import {
  CLOSE_CODES,
  parseFrame,
  queueClientMessageSchema,
  type LibrarianStatus,
  type Monitor,
  type QueuedRequest,
  type QueueServerMessage,
  type StaffMessage,
} from "../src/shared/protocol";
import type { ChatSession, LibrarianRef } from "./ChatSession";

interface MonitorAttachment {
  librarian: LibrarianRef;
  status: LibrarianStatus;
  connectedAt: number;
  /** Set when the service ended this monitoring on purpose (account disabled): no grace period follows. */
  dismissed?: boolean;
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
      CREATE TABLE IF NOT EXISTS targeted (session_id TEXT PRIMARY KEY, librarian_id TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS staff_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        from_id TEXT NOT NULL,
        from_name TEXT NOT NULL,
        to_id TEXT,
        to_name TEXT,
        body TEXT NOT NULL,
        client_id TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS staff_messages_client ON staff_messages (from_id, client_id) WHERE client_id IS NOT NULL;
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
    // A transfer offered to one librarian: only they were shown it.
    const targeted = this.ctx.storage.sql.exec<{ librarian_id: string }>("DELETE FROM targeted WHERE session_id = ? RETURNING librarian_id", sessionId).toArray()[0];
    if (targeted) this.sendTo(targeted.librarian_id, { type: "request.removed", queueId: this.queueId, sessionId, reason, by });
  }

  /**
   * Offers a chat being transferred (its request carries `transfer`): to one
   * librarian when `toLibrarianId` is set, else to every monitor. Says whether
   * anybody who could take it — other than the librarian transferring it — is
   * here (online or busy); when nobody is, nothing is stored or shown.
   */
  async offerTransfer(request: QueuedRequest, opts: { fromLibrarianId: string; toLibrarianId: string | null }): Promise<{ staffed: boolean }> {
    this.rememberQueueId(request.queueId);
    const takers = this.monitors().filter((m) => m.status !== "away" && m.librarianId !== opts.fromLibrarianId);
    if (opts.toLibrarianId !== null) {
      if (!takers.some((m) => m.librarianId === opts.toLibrarianId)) return { staffed: false };
      this.ctx.storage.sql.exec(
        "INSERT OR REPLACE INTO targeted (session_id, librarian_id, created_at, body) VALUES (?, ?, ?, ?)",
        request.sessionId,
        opts.toLibrarianId,
        request.createdAt,
        JSON.stringify(request),
      );
      this.sendTo(opts.toLibrarianId, { type: "request.added", request });
      return { staffed: true };
    }
    if (takers.length === 0) return { staffed: false };
    const exists = this.ctx.storage.sql.exec("SELECT 1 FROM requests WHERE session_id = ?", request.sessionId).toArray().length > 0;
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO requests (session_id, created_at, body) VALUES (?, ?, ?)",
      request.sessionId,
      request.createdAt,
      JSON.stringify(request),
    );
    this.broadcast({ type: exists ? "request.updated" : "request.added", request });
    return { staffed: true };
  }

  /** What one librarian's screen shows: the queue's requests plus transfers offered to them alone. */
  private requestsFor(librarianId: string): QueuedRequest[] {
    const mine = this.ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM targeted WHERE librarian_id = ? ORDER BY created_at, session_id", librarianId)
      .toArray()
      .map((r) => JSON.parse(r.body) as QueuedRequest);
    return [...this.requests(), ...mine];
  }

  // ---- staff chat -------------------------------------------------------

  private staffRow(r: StaffRow): StaffMessage {
    return {
      id: r.id,
      queueId: this.queueId,
      from: { id: r.from_id, name: r.from_name },
      to: r.to_id ? { id: r.to_id, name: r.to_name ?? "" } : null,
      body: r.body,
      at: r.at,
      clientId: r.client_id,
    };
  }

  /** This shift's staff messages one librarian may read: to everyone, from them, or to them. */
  private staffHistoryFor(librarianId: string): StaffMessage[] {
    const since = this.clock.now() - TIMING.staffHistoryMs;
    return this.ctx.storage.sql
      .exec<StaffRow>(
        "SELECT * FROM staff_messages WHERE at > ? AND (to_id IS NULL OR to_id = ? OR from_id = ?) ORDER BY id",
        since,
        librarianId,
        librarianId,
      )
      .toArray()
      .map((r) => this.staffRow(r));
  }

  private onStaffSend(ws: WebSocket, from: LibrarianRef, msg: { clientId: string; body: string; to: string | null }): void {
    const existing = this.ctx.storage.sql.exec<StaffRow>("SELECT * FROM staff_messages WHERE from_id = ? AND client_id = ?", from.id, msg.clientId).toArray()[0];
    if (existing) {
      // A retry: confirm the stored message to the sender again, store nothing.
      this.sendOne(ws, { type: "staff.message", message: this.staffRow(existing) });
      return;
    }
    let to: { id: string; name: string } | null = null;
    if (msg.to !== null) {
      if (msg.to === from.id) {
        this.sendOne(ws, { type: "error", code: "validation_failed", message: "Choose someone other than yourself.", field: "to" });
        return;
      }
      const monitor = this.monitors().find((m) => m.librarianId === msg.to);
      if (!monitor) {
        this.sendOne(ws, { type: "error", code: "not_found", message: "That librarian is not monitoring this queue now.", field: "to" });
        return;
      }
      to = { id: monitor.librarianId, name: monitor.name };
    }
    const now = this.clock.now();
    const row = this.ctx.storage.sql
      .exec<StaffRow>(
        "INSERT INTO staff_messages (at, from_id, from_name, to_id, to_name, body, client_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        now,
        from.id,
        from.name,
        to?.id ?? null,
        to?.name ?? null,
        msg.body,
        msg.clientId,
      )
      .one();
    // Bounded: a shift's worth, and never more than LIMITS.staffHistory messages.
    this.ctx.storage.sql.exec("DELETE FROM staff_messages WHERE at <= ? OR id <= ?", now - TIMING.staffHistoryMs, row.id - LIMITS.staffHistory);
    const frame: QueueServerMessage = { type: "staff.message", message: this.staffRow(row) };
    if (to === null) {
      this.broadcast(frame);
    } else {
      this.sendTo(from.id, frame);
      this.sendTo(to.id, frame);
    }
  }

  /** The queue as a monitor sees it. */
  async snapshot(): Promise<{ requests: QueuedRequest[]; monitors: Monitor[]; staffed: boolean }> {
    return { requests: this.requests(), monitors: this.monitors(), staffed: this.isStaffed() };
  }

  /**
   * Ends a librarian's monitoring at once (their account was disabled): their
   * sockets close and no grace period keeps them counted as present.
   */
  async disconnectLibrarian(librarianId: string): Promise<{ closed: number }> {
    const sockets = this.ctx.getWebSockets(`librarian:${librarianId}`);
    for (const ws of sockets) {
      try {
        const att = ws.deserializeAttachment() as MonitorAttachment;
        ws.serializeAttachment({ ...att, dismissed: true } satisfies MonitorAttachment);
        ws.close(CLOSE_CODES.policy, "account disabled");
      } catch {
        // Already closed.
      }
    }
    this.ctx.storage.sql.exec("DELETE FROM grace WHERE librarian_id = ?", librarianId);
    this.broadcastPresence();
    await this.scheduleAlarm();
    return { closed: sockets.length };
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

  /** Sends to every open socket of one librarian on this queue. */
  private sendTo(librarianId: string, frame: QueueServerMessage): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets(`librarian:${librarianId}`)) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      try {
        ws.send(text);
      } catch {
        // Closed between the check and the send.
      }
    }
  }

  private sendOne(ws: WebSocket, frame: QueueServerMessage): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // Closed under us.
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
    server.send(JSON.stringify({ type: "queue.snapshot", queueId, requests: this.requestsFor(librarian.id), monitors: this.monitors() } satisfies QueueServerMessage));
    server.send(JSON.stringify({ type: "staff.history", queueId, messages: this.staffHistoryFor(librarian.id) } satisfies QueueServerMessage));
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
    const att = ws.deserializeAttachment() as MonitorAttachment;
    switch (msg.type) {
      case "set_status": {
        // One status per librarian: every socket of theirs on this queue follows.
        for (const other of this.ctx.getWebSockets(`librarian:${att.librarian.id}`)) {
          const a = other.deserializeAttachment() as MonitorAttachment;
          other.serializeAttachment({ ...a, status: msg.status } satisfies MonitorAttachment);
        }
        this.broadcastPresence();
        await this.noteStaffing();
        return;
      }
      case "staff.send":
        return this.onStaffSend(ws, att.librarian, msg);
      default:
        return assertNever(msg);
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
    if (!stillHere && !att.dismissed) {
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

interface StaffRow extends Record<string, SqlStorageValue> {
  id: number;
  at: number;
  from_id: string;
  from_name: string;
  to_id: string | null;
  to_name: string | null;
  body: string;
  client_id: string | null;
}

function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
