/**
 * The serving librarian's sockets close when their sign-in ends: at once when
 * the Worker says so (`revoke`), and at the latest at the next periodic
 * re-check, which runs from the alarm while librarian sockets are open.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import { liveSignIns } from "../shared/access";
import { closeSocket } from "../shared/sockets";
import type { SessionSockets } from "./sockets";
import type { SessionStore } from "./store";

const CHECK_KEY = "access_check_at";

export class SessionAccessWatch {
  constructor(
    private readonly store: SessionStore,
    private readonly sockets: SessionSockets,
    private readonly env: () => Env,
  ) {}

  /** The serving librarian's socket said hello: make sure a re-check is scheduled. */
  socketOpened(now: number): void {
    if (!this.store.meta(CHECK_KEY)) this.store.setMeta(CHECK_KEY, String(now + TIMING.accessRecheckMs));
  }

  /** When the next re-check is due (null: no librarian socket to check). */
  dueAt(): number | null {
    const at = this.store.meta(CHECK_KEY);
    return at && this.sockets.openLibrarianSockets().length > 0 ? Number(at) : null;
  }

  /** Closes one librarian's sockets opened with any of `signInKeys` (null: all of theirs). */
  revoke(librarianId: string, signInKeys: readonly string[] | null): number {
    const sockets = this.sockets.librarianSockets(librarianId, signInKeys);
    for (const ws of sockets) closeSocket(ws, CLOSE_CODES.accessEnded, "sign-in ended");
    return sockets.length;
  }

  /** The periodic re-check: every open librarian socket whose sign-in is no longer live closes. */
  async checkIfDue(now: number): Promise<void> {
    const due = this.dueAt();
    if (due === null) {
      this.store.setMeta(CHECK_KEY, null);
      return;
    }
    if (now < due) return;
    const open = this.sockets.openLibrarianSockets();
    const live = await liveSignIns(this.env(), [...new Set(open.flatMap((s) => (s.signIn ? [s.signIn] : [])))], Date.now());
    for (const s of open) if (!s.signIn || !live.has(s.signIn)) closeSocket(s.ws, CLOSE_CODES.accessEnded, "sign-in ended");
    this.store.setMeta(CHECK_KEY, String(now + TIMING.accessRecheckMs));
  }
}
