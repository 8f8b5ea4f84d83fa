/**
 * Monitors' sign-ins, re-checked from the presence alarm at most every
 * TIMING.accessRecheckMs (the Worker closes revoked sockets at once; this
 * catches a notice that never arrived). A monitor whose sign-in ended stops
 * counting at once, without a grace period.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import { liveSignIns } from "../shared/access";
import type { QueuePresence } from "./presence";

export class QueueAccessWatch {
  /** Memory only: after hibernation the next alarm checks at once, which is the safe side. */
  private nextCheckAt = 0;

  constructor(
    private readonly presence: QueuePresence,
    private readonly env: () => Env,
  ) {}

  async checkIfDue(now: number): Promise<void> {
    if (now < this.nextCheckAt) return;
    this.nextCheckAt = now + TIMING.accessRecheckMs;
    const open = this.presence.open();
    if (open.length === 0) return;
    const live = await liveSignIns(this.env(), [...new Set(open.flatMap((s) => (s.att.signIn ? [s.att.signIn] : [])))], Date.now());
    for (const { att } of open) {
      if (!att.signIn || !live.has(att.signIn)) this.presence.dismiss(att.librarian.id, att.signIn ? [att.signIn] : null, "sign-in ended", CLOSE_CODES.accessEnded);
    }
  }
}
