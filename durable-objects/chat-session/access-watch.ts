/**
 * The serving librarian's sockets close when their sign-in ends: at once when
 * the Worker says so (`revoke`), and at the latest at the next periodic
 * re-check, which the alarm runs while librarian sockets are open. When the
 * last check ran is kept in memory, not storage (a check is bookkeeping, not
 * a change to the chat): after the object wakes, the first alarm checks.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import { liveSignIns } from "../shared/access";
import { closeSocket } from "../shared/sockets";
import type { SessionSockets } from "./sockets";

export class SessionAccessWatch {
  /** When the sign-ins were last checked in this wake (undefined: not yet). */
  private checkedAt: number | undefined;

  constructor(
    private readonly sockets: SessionSockets,
    private readonly env: () => Env,
  ) {}

  /** The serving librarian's socket said hello: it counts as checked now (the Worker checked its sign-in). */
  socketOpened(now: number): void {
    this.checkedAt ??= now;
  }

  /** When the next re-check is due (null: no librarian socket to check). */
  dueAt(now: number): number | null {
    if (this.sockets.openLibrarianSockets().length === 0) return null;
    return (this.checkedAt ?? now) + TIMING.accessRecheckMs;
  }

  /** Closes one librarian's sockets opened with any of `signInKeys` (null: all of theirs). */
  revoke(librarianId: string, signInKeys: readonly string[] | null): number {
    const sockets = this.sockets.librarianSockets(librarianId, signInKeys);
    for (const ws of sockets) closeSocket(ws, CLOSE_CODES.accessEnded, "sign-in ended");
    return sockets.length;
  }

  /** The periodic re-check (from the alarm): every open librarian socket whose sign-in is no longer live closes. */
  async checkIfDue(now: number): Promise<void> {
    const open = this.sockets.openLibrarianSockets();
    if (open.length === 0) return;
    if (this.checkedAt !== undefined && now < this.checkedAt + TIMING.accessRecheckMs) return;
    this.checkedAt = now;
    const live = await liveSignIns(this.env(), [...new Set(open.flatMap((s) => (s.signIn ? [s.signIn] : [])))], Date.now());
    for (const s of open) if (!s.signIn || !live.has(s.signIn)) closeSocket(s.ws, CLOSE_CODES.accessEnded, "sign-in ended");
  }
}
