/**
 * The daily privacy scrub (cron trigger, see wrangler.toml). Past each
 * library's retention period, every ended chat loses every copy of its
 * patron's personal data: what the patron gave and wrote, what librarians
 * wrote about them, the mail sent to them (src/privacy/scrub-chats.ts; the
 * decision for each table and column is in docs/privacy.md). Codes, times,
 * libraries, librarians, ratings as numbers and every statistic stay.
 *
 * Per chat, the object goes first (ChatSession.erase deletes its whole
 * storage; it refuses while the chat is not ended and filed, so a live chat
 * is never erased), then the D1 rows, in one batch that also notes every
 * erase that did not happen. Those are tried again on every later run, and
 * when one succeeds the chat's D1 rows are scrubbed again, in case the object
 * filed the chat afresh meanwhile. History rows and cooperative feedback added
 * after the chat was scrubbed go once they are older than the period too.
 *
 * One run is one Worker invocation with a bounded number of calls
 * (src/privacy/budget.ts): each library with work gets its own fair share,
 * which library is served first rotates from run to run, and what does not
 * fit waits for the next run. Each run is recorded with counts only, per
 * library. Idempotent: a run that stops half-way leaves the rest for the next.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { database, type Database } from "../db/client";
import { errorText } from "../db/errors";
import { chatSessions, coopFeedback, libraries, scrubChanges, scrubRuns } from "../db/schema";
import { CALLS_PER_LIBRARY_TURN, CallBudget, SCRUB_CALLS_PER_RUN, shareFairly } from "./budget";
import { dropPending, eraseChatObjects, keepPending, readPending, type EraseOutcome } from "./erase-objects";
import { eventNeedsScrub, noRecords, readChats, readOpenEvents, ScrubBatch, scrubChats, scrubEvents, type ChatToScrub, type EventToScrub, type RecordCounts } from "./scrub-chats";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Chats handled per D1 batch (each id is a bound parameter; D1 allows 100 per query). */
const BATCH = 50;
/** History rows one run scrubs on their own age (notes added after their chat was scrubbed). */
const LATE_EVENTS_PER_RUN = 500;
/** D1 calls the run makes after the libraries' turns: its totals (with the records of libraries that had no turn). */
const CLOSING_CALLS = 1;
/** D1 calls each further batch of a turn costs (look-ups and the write). */
const CALLS_PER_EXTRA_BATCH = 4;
/** Chat statuses the scrub takes: filed ("ended"), or turned away and never taken up ("unavailable"). */
const SCRUBBED_STATUSES = ["ended", "unavailable"];

export interface ScrubCounts extends RecordCounts {
  objectsErased: number;
  /** Objects whose erase failed or was refused in this run (tried again on the next). */
  objectsPending: number;
}

export interface ScrubReport extends ScrubCounts {
  runId: number;
  libraries: number;
  librariesDeferred: number;
}

const noCounts = (): ScrubCounts => ({ ...noRecords(), objectsErased: 0, objectsPending: 0 });

function addCounts(into: ScrubCounts, from: Partial<ScrubCounts>): void {
  for (const key of Object.keys(into) as (keyof ScrubCounts)[]) into[key] += from[key] ?? 0;
}

/** Chats created before this are past retention. */
export function scrubCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

/** What one library has waiting: chats past retention, objects still to erase. */
interface LibraryWork {
  id: string;
  retentionDays: number;
  cutoff: number;
  due: number;
  pending: number;
}

/** The calls a library's turn with `share` objects to erase may make. */
function turnCalls(share: number): number {
  return CALLS_PER_LIBRARY_TURN + share + CALLS_PER_EXTRA_BATCH * Math.max(0, Math.ceil(share / BATCH) - 1);
}

/** Every library's waiting work, in one query; counts are capped at `cap` (no library needs more in one run). */
async function readWork(db: Database, now: number, cap: number): Promise<LibraryWork[]> {
  // Written out: inside these subqueries the outer table must be named ("libraries".…), which drizzle leaves out in a one-table select.
  const cutoff = sql`(${now} - libraries.retention_days * ${DAY_MS})`;
  const rows = await db
    .select({
      id: libraries.id,
      retentionDays: libraries.retentionDays,
      due: sql<number>`(select count(*) from chat_sessions where rowid in (
        select rowid from chat_sessions s where s.library_id = libraries.id and s.scrubbed_at is null
          and s.created_at < ${cutoff} and ${inArray(sql`s.status`, SCRUBBED_STATUSES)} limit ${cap}))`,
      pending: sql<number>`(select count(*) from scrub_pending_objects where session_id in (
        select session_id from scrub_pending_objects p where p.library_id = libraries.id limit ${cap}))`,
    })
    .from(libraries)
    .orderBy(asc(libraries.id))
    .all();
  return rows.map((r) => ({ ...r, cutoff: scrubCutoff(now, r.retentionDays), due: Number(r.due), pending: Number(r.pending) }));
}

/** Everything one library's turn needs. */
interface Turn {
  env: Env;
  db: Database;
  budget: CallBudget;
  library: LibraryWork;
  now: number;
}

/**
 * D1 scrub of `chats` (and their history rows, read here) plus the
 * bookkeeping `extra` adds, in one batch: two D1 calls, which the caller has
 * already counted (before erasing, so an erase is never left without its write).
 */
async function scrubInBatch(t: Turn, chats: readonly ChatToScrub[], firstTime: boolean, extra: (batch: ScrubBatch) => void): Promise<RecordCounts> {
  const events = await readOpenEvents(t.db, chats.map((c) => c.id));
  const batch = new ScrubBatch();
  scrubChats(t.db, batch, chats, events, t.now, firstTime);
  extra(batch);
  return batch.run(t.db);
}

function erasedAndFailed(outcomes: readonly EraseOutcome[]) {
  return { erased: outcomes.filter((o) => o.erased).map((o) => o.sessionId), failed: outcomes.filter((o) => !o.erased) };
}

/** Objects an earlier run could not erase: tried again; each one erased has its chat's D1 rows scrubbed again. */
async function retryPending(t: Turn, share: number, counts: ScrubCounts): Promise<void> {
  let left = share;
  while (left > 0 && t.budget.spend(1)) {
    const requested = Math.min(BATCH, left);
    const pending = (await readPending(t.db, t.library.id, t.now, requested)).map((p) => p.sessionId);
    // The erases, the chats' rows, their history rows and the write.
    if (pending.length === 0 || !t.budget.spend(pending.length + 3)) return;
    left -= pending.length;
    const { erased, failed } = erasedAndFailed(await eraseChatObjects(t.env, pending));
    const chats = erased.length > 0 ? await readChats(t.db, inArray(chatSessions.id, erased), erased.length) : [];
    const changed = await scrubInBatch(t, chats, false, (batch) => {
      dropPending(t.db, batch, erased);
      keepPending(t.db, batch, t.library.id, failed, t.now);
    });
    addCounts(counts, { ...changed, objectsErased: erased.length, objectsPending: failed.length });
    if (pending.length < requested) return;
  }
}

/** Chats past retention not yet scrubbed: object erased, then D1 rows scrubbed, BATCH at a time. */
async function scrubDue(t: Turn, share: number, counts: ScrubCounts): Promise<void> {
  const due = and(
    eq(chatSessions.libraryId, t.library.id),
    isNull(chatSessions.scrubbedAt),
    lt(chatSessions.createdAt, t.library.cutoff),
    inArray(chatSessions.status, SCRUBBED_STATUSES),
  );
  let left = share;
  while (left > 0 && t.budget.spend(1)) {
    const requested = Math.min(BATCH, left);
    const chats = await readChats(t.db, due, requested);
    // The erases, the history rows and the write.
    if (chats.length === 0 || !t.budget.spend(chats.length + 2)) return;
    left -= chats.length;
    const { erased, failed } = erasedAndFailed(await eraseChatObjects(t.env, chats.map((c) => c.id)));
    const changed = await scrubInBatch(t, chats, true, (batch) => keepPending(t.db, batch, t.library.id, failed, t.now));
    addCounts(counts, { ...changed, objectsErased: erased.length, objectsPending: failed.length });
    if (chats.length < requested) return;
  }
}

/**
 * History rows older than their library's period and not yet scrubbed (a note
 * added after its chat was scrubbed; rows of chats still waiting for their
 * turn), oldest first, for all libraries at once: two D1 calls. Returns how
 * many rows lost text, per library.
 */
async function scrubLateEvents(db: Database, now: number, shortestRetentionDays: number): Promise<Map<string, number>> {
  // CROSS JOIN keeps SQLite on the index of unscrubbed rows (question_events_unscrubbed), the
  // constant bound narrows it to rows past the shortest period, the join to each library's own.
  const rows = (await db.all(sql`
    select e.id as id, e.detail as detail, q.library_id as libraryId
      from question_events e cross join questions q on q.id = e.question_id cross join libraries l on l.id = q.library_id
     where e.scrubbed_at is null and e.created_at < ${scrubCutoff(now, shortestRetentionDays)} and e.created_at < ${now} - l.retention_days * ${DAY_MS}
     order by e.created_at limit ${LATE_EVENTS_PER_RUN}`)) as (EventToScrub & { libraryId: string })[];
  const byLibrary = new Map<string, number>();
  if (rows.length === 0) return byLibrary;
  const batch = new ScrubBatch();
  scrubEvents(db, batch, rows, now);
  await batch.run(db);
  for (const r of rows) if (eventNeedsScrub(r)) byLibrary.set(r.libraryId, (byLibrary.get(r.libraryId) ?? 0) + 1);
  return byLibrary;
}

/** One library's turn: `share` objects to erase, split fairly between earlier failures and newly due chats. */
async function scrubLibrary(t: Turn, share: number): Promise<ScrubCounts> {
  const counts = noCounts();
  const [retries = 0, fresh = 0] = shareFairly([t.library.pending, t.library.due], share);
  await retryPending(t, retries, counts);
  await scrubDue(t, fresh, counts);
  return counts;
}

/** Cooperative feedback about scrubbed chats, left after their scrub, once older than the period: one statement for all libraries. */
async function scrubLateFeedback(db: Database, now: number): Promise<Map<string, number>> {
  const rows = await db
    .update(coopFeedback)
    .set({ comment: null })
    .where(
      and(
        isNotNull(coopFeedback.comment),
        lt(coopFeedback.createdAt, sql`${now} - (select l.retention_days from libraries l where l.id = coop_feedback.library_id) * ${DAY_MS}`),
      ),
    )
    .returning({ libraryId: coopFeedback.libraryId })
    .all();
  const byLibrary = new Map<string, number>();
  for (const r of rows) byLibrary.set(r.libraryId, (byLibrary.get(r.libraryId) ?? 0) + 1);
  return byLibrary;
}

/** What one library's part of a run changed, counts only; nothing when nothing changed. */
function changesRecord(db: Database, runId: number, library: LibraryWork, c: ScrubCounts) {
  if (Object.values(c).every((n) => n === 0)) return [];
  return [
    db.insert(scrubChanges).values({
      runId,
      libraryId: library.id,
      retentionDays: library.retentionDays,
      cutoff: library.cutoff,
      sessionsScrubbed: c.sessions,
      questionsScrubbed: c.questions,
      mailsScrubbed: c.mails,
      eventsScrubbed: c.events,
      feedbackScrubbed: c.feedback,
      objectsErased: c.objectsErased,
      objectsPending: c.objectsPending,
    }),
  ];
}

/** Runs one scrub as of `now` (the cron's scheduled time) within `calls` D1 and object calls, and records it. */
export async function runPrivacyScrub(env: Env, now: number, calls = SCRUB_CALLS_PER_RUN): Promise<ScrubReport> {
  const db = database(env.DB);
  const budget = new CallBudget(calls);
  // The run's own calls: its record, the libraries' work, the sweeps of feedback and of history rows.
  budget.spend(5);
  const run = await db.insert(scrubRuns).values({ scheduledAt: now, startedAt: Date.now() }).returning({ id: scrubRuns.id }).get();
  const runId = run.id;
  const all = await readWork(db, now, calls);
  let error: string | null = null;
  const fail = (where: string, e: unknown) => {
    // One library's failure must not keep the others' patrons identifiable.
    error = `${where}: ${errorText(e).slice(0, 300)}`;
    console.error(JSON.stringify({ event: "scrub_failed", where, error: errorText(e) }));
  };
  const feedback = await scrubLateFeedback(db, now).catch((e: unknown) => (fail("coop_feedback", e), new Map<string, number>()));
  const shortest = Math.min(...all.map((w) => w.retentionDays));
  const events = all.length === 0 ? new Map<string, number>() : await scrubLateEvents(db, now, shortest).catch((e: unknown) => (fail("question_events", e), new Map<string, number>()));
  const swept = (libraryId: string): ScrubCounts => ({ ...noCounts(), feedback: feedback.get(libraryId) ?? 0, events: events.get(libraryId) ?? 0 });
  const working = all.filter((w) => w.due + w.pending > 0);

  // Which libraries get a turn: all with work, unless their turns' own calls do not fit;
  // the first served rotates with the run, so a library left out now goes early next time.
  const available = budget.remaining - CLOSING_CALLS;
  const turns = Math.min(working.length, Math.floor(available / (CALLS_PER_LIBRARY_TURN + 1)));
  const start = working.length > 0 ? runId % working.length : 0;
  const served = [...working.slice(start), ...working.slice(0, start)].slice(0, turns);
  // Each further batch of a turn costs CALLS_PER_EXTRA_BATCH more; every turn has room for one object at least.
  const forObjects = Math.max(turns, Math.floor(((available - turns * CALLS_PER_LIBRARY_TURN) * BATCH) / (BATCH + CALLS_PER_EXTRA_BATCH)));
  const shares = shareFairly(
    served.map((w) => w.due + w.pending),
    forObjects,
  );

  const totals = noCounts();
  for (const [i, library] of served.entries()) {
    // A turn spends what its share costs, never more than is left before the run's closing call.
    const turnBudget = new CallBudget(Math.min(turnCalls(shares[i]!), budget.remaining - CLOSING_CALLS));
    const counts = swept(library.id);
    try {
      addCounts(counts, await scrubLibrary({ env, db, budget: turnBudget, library, now }, shares[i]!));
    } catch (e) {
      fail(library.id, e);
    }
    addCounts(totals, counts);
    // Recorded as soon as the turn is over, so a run cut short still says what it did.
    const [record] = changesRecord(db, runId, library, counts);
    if (record && turnBudget.spend(1)) await record.catch((e: unknown) => fail(library.id, e));
    budget.spend(turnBudget.limit - turnBudget.remaining);
  }

  // Libraries whose only changes were the sweeps', and the run's totals.
  const servedIds = new Set(served.map((w) => w.id));
  const unserved = all.filter((w) => !servedIds.has(w.id));
  for (const w of unserved) addCounts(totals, swept(w.id));
  const sweptOnly = unserved.flatMap((w) => changesRecord(db, runId, w, swept(w.id)));
  const librariesDeferred = working.length - served.length;
  const finish = db
    .update(scrubRuns)
    .set({
      finishedAt: Date.now(),
      librariesChecked: all.length,
      librariesDeferred,
      sessionsScrubbed: totals.sessions,
      questionsScrubbed: totals.questions,
      mailsScrubbed: totals.mails,
      eventsScrubbed: totals.events,
      feedbackScrubbed: totals.feedback,
      objectsErased: totals.objectsErased,
      objectsPending: totals.objectsPending,
      error,
    })
    .where(eq(scrubRuns.id, runId));
  await db.batch([finish, ...sweptOnly]);
  const report = { runId, libraries: all.length, librariesDeferred, ...totals };
  console.log(JSON.stringify({ event: "scrub_run", ...report }));
  return report;
}
