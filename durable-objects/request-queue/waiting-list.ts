/**
 * The requests a queue shows: waiting requests (and chats offered to the
 * whole queue for transfer), in the order they were made, plus transfers
 * offered to one librarian, shown to that librarian only. Every change is
 * sent to the monitors in the order it happened here.
 */
import type { RemovalReason } from "../../src/objects/contracts";
import type { QueuedRequest } from "../../src/shared/protocol";
import type { QueuePresence } from "./presence";

export class WaitingList {
  constructor(
    private readonly sql: SqlStorage,
    private readonly presence: QueuePresence,
  ) {}

  /** Every request the whole queue sees, oldest first. */
  all(): QueuedRequest[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM requests ORDER BY created_at, session_id")
      .toArray()
      .map((r) => JSON.parse(r.body) as QueuedRequest);
  }

  /** What one librarian's screen shows: the queue's requests plus transfers offered to them alone. */
  for(librarianId: string): QueuedRequest[] {
    const mine = this.sql
      .exec<{ body: string }>("SELECT body FROM targeted WHERE librarian_id = ? ORDER BY created_at, session_id", librarianId)
      .toArray()
      .map((r) => JSON.parse(r.body) as QueuedRequest);
    return [...this.all(), ...mine];
  }

  /** Adds or replaces a request the whole queue sees. */
  put(request: QueuedRequest): void {
    const exists = this.sql.exec("SELECT 1 FROM requests WHERE session_id = ?", request.sessionId).toArray().length > 0;
    this.sql.exec("INSERT OR REPLACE INTO requests (session_id, created_at, body) VALUES (?, ?, ?)", request.sessionId, request.createdAt, JSON.stringify(request));
    this.presence.broadcast({ type: exists ? "request.updated" : "request.added", request });
  }

  /** Shows a transfer to one librarian only. */
  putFor(librarianId: string, request: QueuedRequest): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO targeted (session_id, librarian_id, created_at, body) VALUES (?, ?, ?, ?)",
      request.sessionId,
      librarianId,
      request.createdAt,
      JSON.stringify(request),
    );
    this.presence.sendTo(librarianId, { type: "request.added", request });
  }

  /** Replaces a waiting request's details (e.g. the preview). No-op once it is gone. */
  update(request: QueuedRequest): void {
    const cursor = this.sql.exec("UPDATE requests SET body = ? WHERE session_id = ?", JSON.stringify(request), request.sessionId);
    if (cursor.rowsWritten > 0) this.presence.broadcast({ type: "request.updated", request });
  }

  /** Takes a request off the queue and tells whoever saw it why. Idempotent. */
  remove(queueId: string, sessionId: string, reason: RemovalReason, by: { id: string; name: string } | null): void {
    const frame = { type: "request.removed" as const, queueId, sessionId, reason, by };
    const cursor = this.sql.exec("DELETE FROM requests WHERE session_id = ?", sessionId);
    if (cursor.rowsWritten > 0) this.presence.broadcast(frame);
    const targeted = this.sql.exec<{ librarian_id: string }>("DELETE FROM targeted WHERE session_id = ? RETURNING librarian_id", sessionId).toArray()[0];
    if (targeted) this.presence.sendTo(targeted.librarian_id, frame);
  }
}
