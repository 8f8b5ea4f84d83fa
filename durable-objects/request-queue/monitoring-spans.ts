/**
 * Coverage for statistics: each continuous stretch a librarian monitors this
 * queue (reconnections within the grace period do not split it) becomes one
 * row of D1's monitoring_spans when it ends. When an open stretch began is
 * kept by presence (socket attachments, grace rows: nothing durable to write
 * when a monitor connects); the rows not yet written live in the queue's
 * storage, so a failed write is retried (from the alarm) and nothing is
 * counted twice (each row has its own id). The `monitoring` table held open
 * stretches before presence did: a stretch still in it continues and ends
 * from there.
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
  /**
   * Rows D1 has taken, still in the outbox: they are deleted with the next
   * write the queue makes anyway rather than in a storage commit of their
   * own. Lost with memory, they are sent again, and D1 ignores them (same ids).
   */
  private written: string[] = [];

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: () => Env,
    private readonly queueId: () => string,
  ) {}

  /** When a stretch still held in the `monitoring` table began (null: none). */
  heldSince(librarianId: string): number | null {
    return this.sql.exec<{ since: number }>("SELECT since FROM monitoring WHERE librarian_id = ?", librarianId).toArray()[0]?.since ?? null;
  }

  /** A librarian's stretch from `since` ended at `at` (when their last socket went away, or when they signed off). */
  ended(librarian: LibrarianRef, since: number, at: number): void {
    // A row left from before stretches were kept by presence is the same stretch: it ends now.
    this.sql.exec("DELETE FROM monitoring WHERE librarian_id = ?", librarian.id);
    this.sql.exec(
      "INSERT INTO span_outbox (id, librarian_id, library_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
      crypto.randomUUID(),
      librarian.id,
      librarian.libraryId,
      since,
      Math.max(since, at),
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
    for (const id of this.written) this.sql.exec("DELETE FROM span_outbox WHERE id = ?", id);
    this.written = [];
    // D1 takes at most 100 bound values a statement: 15 rows of 6.
    const rows = this.sql.exec<{ id: string; librarian_id: string; library_id: string; started_at: number; ended_at: number }>("SELECT * FROM span_outbox LIMIT 15").toArray();
    if (rows.length === 0) return;
    if (rows.length === 15) this.writeAgain = true;
    try {
      await database(this.env().DB)
        .insert(monitoringSpans)
        .values(rows.map((r) => ({ id: r.id, queueId: this.queueId(), librarianId: r.librarian_id, libraryId: r.library_id, startedAt: r.started_at, endedAt: r.ended_at })))
        .onConflictDoNothing();
      this.written.push(...rows.map((r) => r.id));
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
