/**
 * Staff chat: librarian-to-librarian messages among a queue's monitors, to
 * everyone or to one of them, kept for the rest of the shift (bounded by
 * LIMITS.staffHistory and TIMING.staffHistoryMs) so a reload gets them back.
 * Patrons never connect to a queue, so never see them.
 */
import type { LibrarianRef } from "../../src/objects/contracts";
import type { Clock } from "../../src/shared/clock";
import { LIMITS, TIMING } from "../../src/shared/limits";
import type { QueueServerMessage, StaffMessage } from "../../src/shared/protocol";
import { sendFrame } from "../shared/sockets";
import type { QueuePresence } from "./presence";

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

export class StaffChat {
  constructor(
    private readonly sql: SqlStorage,
    private readonly presence: QueuePresence,
    private readonly clock: Clock,
    private readonly queueId: () => string,
  ) {}

  /** This shift's staff messages one librarian may read: to everyone, from them, or to them. */
  historyFor(librarianId: string): StaffMessage[] {
    const since = this.clock.now() - TIMING.staffHistoryMs;
    return this.sql
      .exec<StaffRow>("SELECT * FROM staff_messages WHERE at > ? AND (to_id IS NULL OR to_id = ? OR from_id = ?) ORDER BY id", since, librarianId, librarianId)
      .toArray()
      .map((r) => this.toMessage(r));
  }

  /** Stores a message once per client id, then sends it to everyone, or to the sender and the one it is for. */
  send(ws: WebSocket, from: LibrarianRef, msg: { clientId: string; body: string; to: string | null }): void {
    const reply = (frame: QueueServerMessage) => sendFrame(ws, frame);
    const existing = this.sql.exec<StaffRow>("SELECT * FROM staff_messages WHERE from_id = ? AND client_id = ?", from.id, msg.clientId).toArray()[0];
    // A retry: confirm the stored message to the sender again, store nothing.
    if (existing) return reply({ type: "staff.message", message: this.toMessage(existing) });
    let to: { id: string; name: string } | null = null;
    if (msg.to !== null) {
      if (msg.to === from.id) return reply({ type: "error", code: "validation_failed", message: "Choose someone other than yourself.", field: "to" });
      const monitor = this.presence.monitors().find((m) => m.librarianId === msg.to);
      if (!monitor) return reply({ type: "error", code: "not_found", message: "That librarian is not monitoring this queue now.", field: "to" });
      to = { id: monitor.librarianId, name: monitor.name };
    }
    const now = this.clock.now();
    const row = this.sql
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
    this.sql.exec("DELETE FROM staff_messages WHERE at <= ? OR id <= ?", now - TIMING.staffHistoryMs, row.id - LIMITS.staffHistory);
    const frame: QueueServerMessage = { type: "staff.message", message: this.toMessage(row) };
    if (to === null) return this.presence.broadcast(frame);
    this.presence.sendTo(from.id, frame);
    this.presence.sendTo(to.id, frame);
  }

  private toMessage(r: StaffRow): StaffMessage {
    return {
      id: r.id,
      queueId: this.queueId(),
      from: { id: r.from_id, name: r.from_name },
      to: r.to_id ? { id: r.to_id, name: r.to_name ?? "" } : null,
      body: r.body,
      at: r.at,
      clientId: r.client_id,
    };
  }
}
