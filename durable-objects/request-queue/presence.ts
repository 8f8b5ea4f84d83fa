/**
 * Presence: "is anybody monitoring?" is the set of librarian sockets open on
 * this queue and not silent, plus librarians inside the grace period after
 * their socket went away (closed, errored, or silent past
 * TIMING.staleSocketMs — a socket can vanish without a close frame, so pings
 * decide, not only close events). Who is on a socket lives in its attachment;
 * grace periods live in storage.
 */
import type { LibrarianRef } from "../../src/objects/contracts";
import { TIMING } from "../../src/shared/limits";
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
}

const ALL = "librarian";
const tagOf = (librarianId: string) => `librarian:${librarianId}`;

/** What presence tells the coverage record: a librarian's continuous stretch began, or ended at a time. */
export interface PresenceStretches {
  started(librarian: LibrarianRef, now: number): void;
  ended(librarianId: string, at: number): void;
}

export class QueuePresence {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly clock: Clock,
    private readonly stretches: PresenceStretches,
  ) {}

  /** Takes a monitor's socket in, identity attached in the same turn; their grace period (if any) ends. */
  accept(server: WebSocket, librarian: LibrarianRef, signIn: string | null): void {
    this.ctx.acceptWebSocket(server, [ALL, tagOf(librarian.id)]);
    writeAttachment<MonitorAttachment>(server, { librarian, status: "online", connectedAt: this.clock.now(), signIn });
    this.ctx.storage.sql.exec("DELETE FROM grace WHERE librarian_id = ?", librarian.id);
    this.stretches.started(librarian, this.clock.now());
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
    const byId = new Map<string, Monitor>();
    for (const { att } of this.open()) {
      byId.set(att.librarian.id, { librarianId: att.librarian.id, name: att.librarian.name, libraryId: att.librarian.libraryId, status: att.status, reconnecting: false });
    }
    for (const g of this.ctx.storage.sql.exec<{ librarian_id: string; until: number; body: string }>("SELECT * FROM grace").toArray()) {
      if (g.until <= now || byId.has(g.librarian_id)) continue;
      const att = JSON.parse(g.body) as MonitorAttachment;
      byId.set(g.librarian_id, { librarianId: att.librarian.id, name: att.librarian.name, libraryId: att.librarian.libraryId, status: att.status, reconnecting: true });
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Somebody who can take a chat is monitoring (online or busy; "away" does not count). */
  isStaffed(): boolean {
    return this.monitors().some((m) => m.status !== "away");
  }

  /** One status per librarian: every socket of theirs on this queue follows. */
  setStatus(librarianId: string, status: LibrarianStatus): void {
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
    const stillHere = this.open().some((s) => s.ws !== ws && s.att.librarian.id === att.librarian.id);
    if (stillHere || att.dismissed) return;
    if (signedOff) this.stretches.ended(att.librarian.id, this.clock.now());
    else this.startGrace(att);
  }

  /**
   * Ends a librarian's monitoring at once — on the sockets opened with any of
   * `signInKeys`, or all of theirs (null): those close, and no grace period
   * keeps them counted.
   */
  dismiss(librarianId: string, signInKeys: readonly string[] | null, reason: string, code: number): number {
    const sockets = this.ctx
      .getWebSockets(tagOf(librarianId))
      .filter((ws) => isRevoked({ librarianId, signIn: this.attachment(ws)?.signIn ?? null }, librarianId, signInKeys));
    for (const ws of sockets) {
      const att = this.attachment(ws);
      if (att) writeAttachment<MonitorAttachment>(ws, { ...att, dismissed: true });
      closeSocket(ws, code, reason);
    }
    if (signInKeys === null) this.ctx.storage.sql.exec("DELETE FROM grace WHERE librarian_id = ?", librarianId);
    const stillHere = this.open().some((s) => s.att.librarian.id === librarianId && !sockets.includes(s.ws));
    if (!stillHere) this.stretches.ended(librarianId, this.clock.now());
    return sockets.length;
  }

  /** Closes sockets that stopped pinging (their librarians enter the grace period) and ends grace periods that ran out. */
  sweep(closeCode: number): void {
    const now = this.clock.now();
    for (const { ws, att } of this.open()) {
      const lastPing = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      if (now - Math.max(lastPing, att.connectedAt) > TIMING.staleSocketMs) {
        this.startGrace(att);
        closeSocket(ws, closeCode, "no ping");
      }
    }
    // A grace period that ran out ends the stretch when the socket went away, not now.
    const expired = this.ctx.storage.sql.exec<{ librarian_id: string; until: number }>("DELETE FROM grace WHERE until <= ? RETURNING librarian_id, until", now).toArray();
    for (const g of expired) this.stretches.ended(g.librarian_id, g.until - TIMING.presenceGraceMs);
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

  private startGrace(att: MonitorAttachment): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO grace (librarian_id, until, body) VALUES (?, ?, ?)",
      att.librarian.id,
      this.clock.now() + TIMING.presenceGraceMs,
      JSON.stringify(att),
    );
  }
}
