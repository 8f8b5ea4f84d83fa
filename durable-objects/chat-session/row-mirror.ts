/**
 * Mirrors the live session into its D1 row, so lists and lookups outside the
 * object see it while the chat lives. The object's own state is the truth; a
 * mirror is a copy of a decision already stored and announced, so a failed
 * write never fails that decision: it is kept (in the object's storage, so it
 * outlives hibernation), logged, and retried by the alarm with backoff.
 *
 * Writes go out one after another, each carrying everything not yet written,
 * so D1 never sees an older copy after a newer one. Filing writes the whole
 * row, so whatever was still pending is dropped when filing begins.
 */
import { eq } from "drizzle-orm";
import { database } from "../../src/db/client";
import { chatSessions } from "../../src/db/schema";
import { TIMING } from "../../src/shared/limits";
import { logEvent } from "../shared/log";
import type { SessionRowPatch } from "./rules/decision";
import type { SessionStore } from "./store";

const MIRROR_KEY = "d1_mirror";

interface PendingMirror {
  patch: SessionRowPatch;
  dueAt: number;
  attempts: number;
}

export interface MirrorHost {
  readonly store: SessionStore;
  env(): Env;
  now(): number;
}

export class SessionRowMirror {
  /** The tail of the writes in flight: each waits for the one before. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly host: MirrorHost) {}

  /** Keeps `patch` (merged with anything not yet written) and writes it now, or within TIMING.rowMirrorDelayMs. Never throws. */
  async record(patch: SessionRowPatch, urgency: "now" | "soon"): Promise<void> {
    const now = this.host.now();
    const pending = this.pending();
    const dueAt = urgency === "now" ? now : Math.min(pending?.dueAt ?? Infinity, now + TIMING.rowMirrorDelayMs);
    this.keep({ patch: { ...pending?.patch, ...patch }, dueAt, attempts: pending?.attempts ?? 0 });
    if (urgency === "now") await this.flush();
  }

  /** When the alarm should write what is pending (null: nothing is). */
  dueAt(): number | null {
    return this.pending()?.dueAt ?? null;
  }

  /** Writes what is pending, after any write already in flight. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  /** Filing is about to write the whole row: let writes in flight finish, and drop what is pending. */
  async supersede(): Promise<void> {
    await this.writing;
    this.keep(null);
  }

  private async writePending(): Promise<void> {
    const sent = this.pending();
    const sessionId = this.host.store.state?.sessionId;
    if (!sent || !sessionId) return;
    try {
      await database(this.host.env().DB).update(chatSessions).set(sent.patch).where(eq(chatSessions.id, sessionId));
      // Something newer recorded meanwhile stays pending (its own write is queued behind this one).
      if (JSON.stringify(this.pending()?.patch) === JSON.stringify(sent.patch)) this.keep(null);
    } catch (error) {
      const attempts = (this.pending()?.attempts ?? 0) + 1;
      logEvent("error", "session_mirror_failed", { sessionId, attempts }, error);
      const latest = this.pending();
      if (latest) this.keep({ ...latest, attempts, dueAt: this.host.now() + Math.min(300_000, 1_000 * 2 ** attempts) });
    }
  }

  private pending(): PendingMirror | null {
    const raw = this.host.store.meta(MIRROR_KEY);
    return raw ? (JSON.parse(raw) as PendingMirror) : null;
  }

  private keep(value: PendingMirror | null): void {
    this.host.store.setMeta(MIRROR_KEY, value ? JSON.stringify(value) : null);
  }
}
