/**
 * A queue keeps nothing about people longer than it needs: staff messages
 * for a shift (TIMING.staffHistoryMs), and a waiting request only while its
 * chat session has not taken it back — which it always does when the request
 * is answered or withdrawn; an entry left by a removal that never arrived is
 * dropped after TIMING.queueEntryMaxAgeMs. The alarm comes back for these
 * even when nobody is monitoring.
 */
import { TIMING } from "../../src/shared/limits";

export class QueuePruning {
  constructor(private readonly sql: SqlStorage) {}

  prune(now: number): void {
    this.sql.exec("DELETE FROM staff_messages WHERE at <= ?", now - TIMING.staffHistoryMs);
    const cutoff = now - TIMING.queueEntryMaxAgeMs;
    this.sql.exec("DELETE FROM watched WHERE session_id IN (SELECT session_id FROM requests WHERE created_at <= ?)", cutoff);
    this.sql.exec("DELETE FROM requests WHERE created_at <= ?", cutoff);
    this.sql.exec("DELETE FROM targeted WHERE created_at <= ?", cutoff);
  }

  /** When the oldest kept item falls due (null: nothing kept). */
  nextDueAt(): number | null {
    const dueAfter = (query: string, keepMs: number) => {
      const oldest = this.sql.exec<{ m: number | null }>(query).one().m;
      return oldest === null ? [] : [oldest + keepMs];
    };
    const due = [
      ...dueAfter("SELECT MIN(at) AS m FROM staff_messages", TIMING.staffHistoryMs),
      ...dueAfter("SELECT MIN(created_at) AS m FROM requests", TIMING.queueEntryMaxAgeMs),
      ...dueAfter("SELECT MIN(created_at) AS m FROM targeted", TIMING.queueEntryMaxAgeMs),
    ];
    return due.length > 0 ? Math.min(...due) : null;
  }
}
