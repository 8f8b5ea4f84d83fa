/**
 * Coverage for statistics: each continuous stretch a librarian monitors this
 * queue (reconnections within the grace period do not split it) becomes one
 * row of D1's monitoring_spans when it ends. The open stretches and the rows
 * not yet written live in the queue's storage, so a failed write is retried
 * (from the alarm) and nothing is counted twice (each row has its own id).
 */
import { database } from "../../src/db/client";
import { monitoringSpans } from "../../src/db/schema";
import type { LibrarianRef } from "../../src/objects/contracts";
import { logEvent } from "../shared/log";
import type { StorageMigration } from "../shared/storage-schema";

export const MONITORING_SPANS_STORAGE: StorageMigration = (sql) =>
  sql.exec(`
    CREATE TABLE IF NOT EXISTS monitoring (librarian_id TEXT PRIMARY KEY, library_id TEXT NOT NULL, since INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS span_outbox (id TEXT PRIMARY KEY, librarian_id TEXT NOT NULL, library_id TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL);
  `);

/** How soon a span that could not be written is tried again. */
const RETRY_MS = 30_000;

export class MonitoringSpans {
  private retryAt: number | null = null;
  /** The write to D1 under way, if any: stretches that end meanwhile go in the next one. */
  private writing: Promise<void> | null = null;
  private writeAgain = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: () => Env,
    private readonly queueId: () => string,
  ) {}

  /** A librarian began monitoring (nothing changes if their stretch is still open). */
  started(librarian: LibrarianRef, now: number): void {
    this.sql.exec("INSERT OR IGNORE INTO monitoring (librarian_id, library_id, since) VALUES (?, ?, ?)", librarian.id, librarian.libraryId, now);
  }

  /** A librarian's stretch ended at `at` (when their last socket went away, or when they signed off). */
  ended(librarianId: string, at: number): void {
    const open = this.sql.exec<{ library_id: string; since: number }>("DELETE FROM monitoring WHERE librarian_id = ? RETURNING library_id, since", librarianId).toArray()[0];
    if (!open) return;
    this.sql.exec(
      "INSERT INTO span_outbox (id, librarian_id, library_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
      crypto.randomUUID(),
      librarianId,
      open.library_id,
      open.since,
      Math.max(open.since, at),
    );
  }

  /**
   * Writes the ended stretches to D1; what fails stays for the next try.
   * One write at a time: on a busy queue the stretches that end during a
   * write go together in the next, so sign-offs do not each cost a D1 write
   * and a storage commit.
   */
  flush(now: number): Promise<void> {
    if (this.writing) {
      this.writeAgain = true;
      return this.writing;
    }
    const run = async () => {
      do {
        this.writeAgain = false;
        await this.writeOutbox(now);
      } while (this.writeAgain && this.retryAt === null);
    };
    this.writing = run().finally(() => (this.writing = null));
    return this.writing;
  }

  private async writeOutbox(now: number): Promise<void> {
    // D1 takes at most 100 bound values a statement: 15 rows of 6.
    const rows = this.sql.exec<{ id: string; librarian_id: string; library_id: string; started_at: number; ended_at: number }>("SELECT * FROM span_outbox LIMIT 15").toArray();
    if (rows.length === 0) return;
    if (rows.length === 15) this.writeAgain = true;
    try {
      await database(this.env().DB)
        .insert(monitoringSpans)
        .values(rows.map((r) => ({ id: r.id, queueId: this.queueId(), librarianId: r.librarian_id, libraryId: r.library_id, startedAt: r.started_at, endedAt: r.ended_at })))
        .onConflictDoNothing();
      for (const r of rows) this.sql.exec("DELETE FROM span_outbox WHERE id = ?", r.id);
      this.retryAt = null;
    } catch (error) {
      this.retryAt = now + RETRY_MS;
      logEvent("error", "monitoring_span_write_failed", { queueId: this.queueId(), spans: rows.length }, error);
    }
  }

  /** When the alarm should try the write again (null: nothing waiting). */
  retryDueAt(): number | null {
    return this.retryAt;
  }
}
