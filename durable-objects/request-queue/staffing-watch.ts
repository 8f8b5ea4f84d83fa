/**
 * Cooperative routing's part in a queue: a request offered with
 * `watchStaffing` is watched, and when this queue loses its last monitor (a
 * grace period ends, the last monitor signs off or goes away) while the
 * request waits here, its chat session is told so it can roll over. Whether
 * the queue was staffed is kept in storage, so a loss that happened silently
 * between alarms (a grace period running out) is still noticed.
 */
import { chatSession } from "../../src/objects/index";
import { logEvent } from "../shared/log";
import type { QueuePresence } from "./presence";
import type { QueueMeta } from "./queue-store";

export class StaffingWatch {
  constructor(
    private readonly sql: SqlStorage,
    private readonly presence: QueuePresence,
    private readonly meta: QueueMeta,
    private readonly env: () => Env,
  ) {}

  watch(sessionId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO watched (session_id) VALUES (?)", sessionId);
  }

  unwatch(sessionId: string): void {
    this.sql.exec("DELETE FROM watched WHERE session_id = ?", sessionId);
  }

  /** Records whether anybody is monitoring; on the change from staffed to not, tells every watched waiting request's session. */
  async note(): Promise<void> {
    const staffed = this.presence.isStaffed();
    const wasStaffed = this.meta.rememberStaffed(staffed);
    if (staffed || !wasStaffed) return;
    const waiting = this.sql
      .exec<{ session_id: string }>("SELECT w.session_id FROM watched w JOIN requests r ON r.session_id = w.session_id")
      .toArray()
      .map((r) => r.session_id);
    const queueId = this.meta.queueId;
    await Promise.all(
      waiting.map((sessionId) =>
        chatSession(this.env(), sessionId)
          .queueUnstaffed(queueId)
          .catch((error: unknown) => logEvent("error", "unstaffed_notice_failed", { queueId, sessionId }, error)),
      ),
    );
  }
}
