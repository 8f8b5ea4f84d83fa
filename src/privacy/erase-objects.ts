/**
 * Erasing chats' Durable Objects (and their files in R2) past retention, and keeping a note of every
 * erase that did not happen so a later run tries it again. The object itself
 * refuses while its chat is not ended and filed (ChatSession.erase): a live
 * chat is never erased, whatever D1 says about it.
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { errorText } from "../db/errors";
import { scrubPendingObjects } from "../db/schema";
import { deleteChatFiles } from "../files/store";
import { chatSession } from "../objects";
import type { ScrubBatch } from "./scrub-chats";

export interface EraseOutcome {
  sessionId: string;
  erased: boolean;
  /** Why not: the object's refusal or the call's error. */
  error: string | null;
}

/** The refusal recorded when an object will not erase yet. */
export const NOT_YET_FILED = "refused: the chat is not ended and filed yet";

/**
 * The chat's object, then its files in R2. The object goes first: it refuses
 * while the chat is live, and then the files must stay too. An object already
 * erased answers yes, so a chat whose files could not be deleted is simply
 * tried again, files and all.
 */
async function eraseChat(env: Env, sessionId: string): Promise<{ ok: boolean }> {
  const erased = await chatSession(env, sessionId).erase();
  if (erased.ok) await deleteChatFiles(env, sessionId);
  return erased;
}

/** Asks each chat's object to delete its storage, and deletes the chat's files, all at once; never throws. */
export async function eraseChatObjects(env: Env, sessionIds: readonly string[]): Promise<EraseOutcome[]> {
  const settled = await Promise.allSettled(sessionIds.map((id) => eraseChat(env, id)));
  return settled.map((r, i) => {
    const sessionId = sessionIds[i]!;
    const outcome =
      r.status === "rejected" ? { sessionId, erased: false, error: errorText(r.reason).slice(0, 300) } : { sessionId, erased: r.value.ok, error: r.value.ok ? null : NOT_YET_FILED };
    if (!outcome.erased) console.error(JSON.stringify({ event: "scrub_object_failed", sessionId, error: outcome.error }));
    return outcome;
  });
}

/** Notes each erase that did not happen, for the next run (a second failure counts another attempt). */
export function keepPending(db: Database, batch: ScrubBatch, libraryId: string, failed: readonly EraseOutcome[], now: number): void {
  for (const f of failed) {
    batch.add(
      db
        .insert(scrubPendingObjects)
        .values({ sessionId: f.sessionId, libraryId, attempts: 1, lastError: f.error, createdAt: now, lastAttemptAt: now })
        .onConflictDoUpdate({
          target: scrubPendingObjects.sessionId,
          set: { attempts: sql`${scrubPendingObjects.attempts} + 1`, lastError: f.error, lastAttemptAt: now },
        }),
    );
  }
}

/** Forgets the notes of objects now erased. */
export function dropPending(db: Database, batch: ScrubBatch, erased: readonly string[]): void {
  if (erased.length > 0) batch.add(db.delete(scrubPendingObjects).where(inArray(scrubPendingObjects.sessionId, [...erased])));
}

/** The library's objects still to erase and not yet tried as of `now`, those tried longest ago first. */
export function readPending(db: Database, libraryId: string, now: number, limit: number): Promise<{ sessionId: string }[]> {
  return db
    .select({ sessionId: scrubPendingObjects.sessionId })
    .from(scrubPendingObjects)
    .where(and(eq(scrubPendingObjects.libraryId, libraryId), lt(scrubPendingObjects.lastAttemptAt, now)))
    .orderBy(scrubPendingObjects.lastAttemptAt)
    .limit(limit)
    .all();
}
