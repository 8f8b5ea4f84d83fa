/**
 * Presence: "is anybody monitoring?" is the set of librarian sockets open on
 * this queue and not silent, plus librarians inside the grace period after
 * their socket went away (closed, errored, or silent past
 * TIMING.staleSocketMs — a socket can vanish without a close frame, so pings
 * decide, not only close events). Who is on a socket lives in its attachment;
 * grace periods live in storage. So does the start of each librarian's
 * continuous stretch (for coverage): in the attachment while a socket is
 * open, in the grace row while they are away, so that opening a monitor
 * socket writes nothing durable unless it ends a grace period.
 */
import type { LibrarianRef } from "../../src/objects/contracts";
import { TIMING } from "../../src/shared/limits";
import { byMonitorName } from "../../src/shared/monitor-order";
import type { LibrarianStatus, Monitor, QueueServerMessage } from "../../src/shared/protocol";
import type { Clock } from "../../src/shared/clock";
import { isRevoked } from "../shared/access";
import { broadcastFrame, closeSocket, readAttachment, writeAttachment } from "../shared/sockets";

export interface MonitorAttachment {
  librarian: LibrarianRef;
  status: LibrarianStatus;
  connectedAt: number;
  /** The sign-in session the socket was opened with (closes when that sign-in ends). */
  signIn?: string | null;
  /** Set when the service ended this monitoring on purpose (access ended): no grace period follows. */
  dismissed?: boolean;
  /** When the librarian's continuous stretch began (reconnections within the grace period continue it). */
  since?: number;
  /** In a grace row: the stretch was already ended (signed off or dismissed on another socket); its end adds none. */
  stretchEnded?: boolean;
}

const ALL = "librarian";
const tagOf = (librarianId: string) => `librarian:${librarianId}`;

/** What presence tells the coverage record, and asks it: a stretch ended; when a stretch it still holds began (null: none). */
export interface PresenceStretches {
  ended(librarian: LibrarianRef, since: number, at: number): void;
  heldSince(librarianId: string): number | null;
}

/** Where a socket's stretch began (attachments from before stretches were kept in them: when it connected). */
const stretchOf = (att: MonitorAttachment): number => att.since ?? att.connectedAt;

export class QueuePresence {
  /**
   * Who is monitoring, as last worked out, until a change here or the first
   * grace period running out: a statewide queue answers "is anybody
   * monitoring?" for every page view of every member's site, and working it
   * out reads every socket's attachment.
   */
  private known: { monitors: Monitor[]; until: number } | null = null;
  /** Who the monitors were last told is here (null: not told since this object started). */
  private shown: Map<string, string> | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly clock: Clock,
    private readonly stretches: PresenceStretches,
  ) {}

  /**
   * Takes a monitor's socket in, identity attached in the same turn; their
   * grace period (if any) ends. Their stretch continues from another open
   * socket of theirs or from their grace period, else begins now.
   */
  accept(server: WebSocket, librarian: LibrarianRef, signIn: string | null): void {
    const now = this.clock.now();
    const open = this.ctx.getWebSockets(tagOf(librarian.id)).map((ws) => this.attachment(ws)).find((att) => att !== null);
    const graceBody = this.ctx.storage.sql.exec<{ body: string }>("SELECT body FROM grace WHERE librarian_id = ?", librarian.id).toArray()[0]?.body;
    const inGrace = graceBody ? (JSON.parse(graceBody) as MonitorAttachment) : null;
    const since = open ? stretchOf(open) : inGrace && !inGrace.stretchEnded ? stretchOf(inGrace) : (this.stretches.heldSince(librarian.id) ?? now);
    this.known = null;
    this.ctx.acceptWebSocket(server, [ALL, tagOf(librarian.id)]);
    writeAttachment<MonitorAttachment>(server, { librarian, status: "online", connectedAt: now, signIn, since });
    if (graceBody) this.ctx.storage.sql.exec("DELETE FROM grace WHERE librarian_id = ?", librarian.id);
  }

  attachment(ws: WebSocket): MonitorAttachment | null {
    return readAttachment<MonitorAttachment>(ws);
  }

  /** The open monitor sockets, with who is on each. */
  open(): { ws: WebSocket; att: MonitorAttachment }[] {
    const out: { ws: WebSocket; att: MonitorAttachment }[] = [];
    for (const ws of this.ctx.getWebSockets(ALL)) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const att = this.attachment(ws);
      if (att) out.push({ ws, att });
    }
    return out;
  }

  /** Everyone monitoring now, one entry per librarian, including those inside their grace period. */
  monitors(): Monitor[] {
    const now = this.clock.now();
    if (this.known && now < this.known.until) return this.known.monitors;
    const byId = new Map<string, Monitor>();
    for (const { att } of this.open()) {
      byId.set(att.librarian.id, { librarianId: att.librarian.id, name: att.librarian.name, libraryId: att.librarian.libraryId, status: att.status, reconnecting: false });
    }
    let until = Number.POSITIVE_INFINITY;
    for (const g of this.ctx.storage.sql.exec<{ librarian_id: string; until: number; body: string }>("SELECT * FROM grace").toArray()) {
      if (g.until <= now || byId.has(g.librarian_id)) continue;
      until = Math.min(until, g.until);
      const att = JSON.parse(g.body) as MonitorAttachment;
      byId.set(g.librarian_id, { librarianId: att.librarian.id, name: att.librarian.name, libraryId: att.librarian.libraryId, status: att.status, reconnecting: true });
    }
    const monitors = [...byId.values()].sort(byMonitorName);
    this.known = { monitors, until };
    return monitors;
  }

  /**
   * What to tell the monitors after a change: the whole list the first time
   * since this object started, then only who joined, changed or left (nothing
   * when nobody did).
   */
  presenceFrame(queueId: string): QueueServerMessage | null {
    const monitors = this.monitors();
    const shown = new Map(monitors.map((m) => [m.librarianId, JSON.stringify(m)]));
    const was = this.shown;
    this.shown = shown;
    if (!was) return { type: "presence", queueId, monitors };
    const changed = monitors.filter((m) => was.get(m.librarianId) !== shown.get(m.librarianId));
    const gone = [...was.keys()].filter((id) => !shown.has(id));
    return changed.length || gone.length ? { type: "presence.changed", queueId, monitors: changed, gone } : null;
  }

  /** Somebody who can take a chat is monitoring (online or busy; "away" does not count). */
  isStaffed(): boolean {
    return this.monitors().some((m) => m.status !== "away");
  }

  /** One status per librarian: every socket of theirs on this queue follows. */
  setStatus(librarianId: string, status: LibrarianStatus): void {
    this.known = null;
    for (const ws of this.ctx.getWebSockets(tagOf(librarianId))) {
      const att = this.attachment(ws);
      if (att) writeAttachment<MonitorAttachment>(ws, { ...att, status });
    }
  }

  /**
   * A monitor's socket went away: they still count for the grace period,
   * unless another socket of theirs is open, they signed off on purpose (a
   * normal close), or the service dismissed them.
   */
  socketGone(ws: WebSocket, att: MonitorAttachment, signedOff: boolean): void {
    this.known = null;
    const stillHere = this.open().some((s) => s.ws !== ws && s.att.librarian.id === att.librarian.id);
    if (stillHere || att.dismissed) return;
    if (signedOff) this.endStretch(att.librarian, stretchOf(att), this.clock.now());
    else this.startGrace(att);
  }

  /**
   * Ends a librarian's monitoring at once — on the sockets opened with any of
   * `signInKeys`, or all of theirs (null): those close, and no grace period
   * keeps them counted.
   */
  dismiss(librarianId: string, signInKeys: readonly string[] | null, reason: string, code: number): number {
    this.known = null;
    const sockets = this.ctx
      .getWebSockets(tagOf(librarianId))
      .filter((ws) => isRevoked({ librarianId, signIn: this.attachment(ws)?.signIn ?? null }, librarianId, signInKeys));
    const stretches: { librarian: LibrarianRef; since: number }[] = [];
    for (const ws of sockets) {
      const att = this.attachment(ws);
      if (att) {
        writeAttachment<MonitorAttachment>(ws, { ...att, dismissed: true });
        stretches.push({ librarian: att.librarian, since: stretchOf(att) });
      }
      closeSocket(ws, code, reason);
    }
    if (signInKeys === null) {
      const grace = this.ctx.storage.sql.exec<{ body: string }>("DELETE FROM grace WHERE librarian_id = ? RETURNING body", librarianId).toArray()[0];
      if (grace) {
        const att = JSON.parse(grace.body) as MonitorAttachment;
        stretches.push({ librarian: att.librarian, since: stretchOf(att) });
      }
    }
    const stillHere = this.open().some((s) => s.att.librarian.id === librarianId && !sockets.includes(s.ws));
    const first = stretches.sort((a, b) => a.since - b.since)[0];
    if (!stillHere && first) this.endStretch(first.librarian, first.since, this.clock.now());
    return sockets.length;
  }

  /** Closes sockets that stopped pinging (their librarians enter the grace period) and ends grace periods that ran out. */
  sweep(closeCode: number): void {
    this.known = null;
    const now = this.clock.now();
    for (const { ws, att } of this.open()) {
      const lastPing = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      if (now - Math.max(lastPing, att.connectedAt) > TIMING.staleSocketMs) {
        this.startGrace(att);
        closeSocket(ws, closeCode, "no ping");
      }
    }
    // A grace period that ran out ends the stretch when the socket went away, not now.
    const expired = this.ctx.storage.sql.exec<{ until: number; body: string }>("DELETE FROM grace WHERE until <= ? RETURNING until, body", now).toArray();
    for (const g of expired) {
      const att = JSON.parse(g.body) as MonitorAttachment;
      if (!att.stretchEnded) this.stretches.ended(att.librarian, stretchOf(att), g.until - TIMING.presenceGraceMs);
    }
  }

  /** When the presence sweep should next run (null: nobody to watch). */
  nextSweepAt(): number | null {
    const due: number[] = [];
    const graceEnds = this.ctx.storage.sql.exec<{ m: number | null }>("SELECT MIN(until) AS m FROM grace").one().m;
    if (graceEnds !== null) due.push(graceEnds);
    // While anyone is connected, look for silent sockets a little more often than they can go stale.
    if (this.open().length > 0) due.push(this.clock.now() + TIMING.staleSocketMs / 2);
    return due.length > 0 ? Math.min(...due) : null;
  }

  broadcast(frame: QueueServerMessage): void {
    broadcastFrame(this.ctx.getWebSockets(ALL), frame);
  }

  /** To every open socket of one librarian on this queue. */
  sendTo(librarianId: string, frame: QueueServerMessage): void {
    broadcastFrame(this.ctx.getWebSockets(tagOf(librarianId)), frame);
  }

  /** Ends a stretch now; a grace row of the same librarian (a stale socket of theirs) then ends none. */
  private endStretch(librarian: LibrarianRef, since: number, at: number): void {
    this.stretches.ended(librarian, since, at);
    this.ctx.storage.sql.exec("UPDATE grace SET body = json_set(body, '$.stretchEnded', json('true')) WHERE librarian_id = ?", librarian.id);
  }

  private startGrace(att: MonitorAttachment): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO grace (librarian_id, until, body) VALUES (?, ?, ?)",
      att.librarian.id,
      this.clock.now() + TIMING.presenceGraceMs,
      JSON.stringify(att),
    );
  }
}
