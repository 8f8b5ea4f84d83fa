/**
 * Is the service healthy? The checks behind /healthz (for uptime monitors:
 * counts and times only, no secrets, nothing about anyone) and the fuller
 * report on the service health page (service administrators only).
 *
 * - D1 answers a query;
 * - the mail queue moves: no mail has waited longer than STALE_PENDING_MS;
 * - the daily cron runs: the last privacy scrub is under CRON_OVERDUE_MS old
 *   and finished without error, or is still running (before the first run, an
 *   installation younger than that is fine).
 */
import { and, asc, count, desc, eq, isNotNull, isNull, min, sql } from "drizzle-orm";
import { database } from "../db/client";
import { archiveExports, chatSessions, libraries, mailOutbox, scrubChanges, scrubRuns } from "../db/schema";
import { STALE_PENDING_MS } from "../mail/outbox";
import type { HealthReport, ServiceHealth } from "../shared/service-views";
import { errorSummary, maskAddresses, recentErrors } from "./log";

/** The daily cron is overdue when its last run is older than a day and two hours. */
export const CRON_OVERDUE_MS = 26 * 60 * 60 * 1000;
/** A run still going after this long has stopped without saying so. */
const RUN_STALLED_MS = 60 * 60 * 1000;

/** How many rows each list of the health page shows at most. */
const LIST_LIMIT = 100;

/** The checks /healthz answers with. Never throws: a failing D1 is an answer, not an error. */
export async function checkHealth(env: Pick<Env, "DB">, now = Date.now()): Promise<ServiceHealth> {
  const db = database(env.DB);
  const started = Date.now();
  try {
    await env.DB.prepare("SELECT 1").first();
  } catch (error) {
    return { ok: false, checkedAt: now, d1: { ok: false, latencyMs: Date.now() - started, error: errorSummary(error) }, mail: null, cron: null };
  }
  const latencyMs = Date.now() - started;
  const [waiting, failed, lastRun, installed] = await Promise.all([
    db.select({ n: count(), oldest: min(mailOutbox.createdAt) }).from(mailOutbox).where(eq(mailOutbox.status, "pending")).get(),
    db
      .select({ n: count(), deadLettered: count(mailOutbox.deadLetteredAt) })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, "failed"), isNull(mailOutbox.discardedAt)))
      .get(),
    db.select().from(scrubRuns).orderBy(desc(scrubRuns.id)).limit(1).get(),
    db.select({ at: min(libraries.createdAt) }).from(libraries).get(),
  ]);
  const oldestWaitingSeconds = waiting?.oldest ? Math.max(0, Math.round((now - waiting.oldest) / 1000)) : null;
  const mailOk = oldestWaitingSeconds === null || oldestWaitingSeconds * 1000 < STALE_PENDING_MS;
  const since = lastRun ? now - lastRun.scheduledAt : installed?.at ? now - installed.at : 0;
  // A run in progress is fine; one that never finished, or failed, is not.
  const running = lastRun !== undefined && lastRun.finishedAt === null && now - lastRun.startedAt < RUN_STALLED_MS;
  const cronOk = since < CRON_OVERDUE_MS && (!lastRun || running || (lastRun.finishedAt !== null && lastRun.error === null));
  return {
    ok: mailOk && cronOk,
    checkedAt: now,
    d1: { ok: true, latencyMs },
    mail: { ok: mailOk, waiting: waiting?.n ?? 0, oldestWaitingSeconds, failed: (failed?.n ?? 0) - (failed?.deadLettered ?? 0), deadLettered: failed?.deadLettered ?? 0 },
    cron: {
      ok: cronOk,
      lastRunAt: lastRun?.scheduledAt ?? null,
      lastRunFinished: lastRun ? lastRun.finishedAt !== null : null,
      lastRunOk: lastRun ? lastRun.error === null && lastRun.finishedAt !== null : null,
    },
  };
}

/** The kind of mail, from the event that caused it (`transcript:…`, `followup:…`, `account-link:…`). */
function mailKind(eventKey: string): string {
  return eventKey.split(":")[0] ?? "mail";
}

/** Everything the service health page shows. */
export async function healthReport(env: Pick<Env, "DB">, now = Date.now()): Promise<HealthReport> {
  const db = database(env.DB);
  const checks = await checkHealth(env, now);
  const [totals, attention, filings, lastRun, exports, errors] = await Promise.all([
    db
      .select({
        waiting: sql<number>`coalesce(sum(${mailOutbox.status} = 'pending'), 0)`,
        sent: sql<number>`coalesce(sum(${mailOutbox.status} = 'sent'), 0)`,
        failed: sql<number>`coalesce(sum(${mailOutbox.status} = 'failed' AND ${mailOutbox.deadLetteredAt} IS NULL AND ${mailOutbox.discardedAt} IS NULL), 0)`,
        deadLettered: sql<number>`coalesce(sum(${mailOutbox.status} = 'failed' AND ${mailOutbox.deadLetteredAt} IS NOT NULL AND ${mailOutbox.discardedAt} IS NULL), 0)`,
        discarded: sql<number>`coalesce(sum(${mailOutbox.status} = 'failed' AND ${mailOutbox.discardedAt} IS NOT NULL), 0)`,
      })
      .from(mailOutbox)
      .get(),
    db
      .select({
        eventKey: mailOutbox.eventKey,
        libraryId: mailOutbox.libraryId,
        libraryName: libraries.name,
        questionId: mailOutbox.questionId,
        attempts: mailOutbox.attempts,
        lastError: mailOutbox.lastError,
        createdAt: mailOutbox.createdAt,
        deadLetteredAt: mailOutbox.deadLetteredAt,
      })
      .from(mailOutbox)
      .leftJoin(libraries, eq(libraries.id, mailOutbox.libraryId))
      .where(and(eq(mailOutbox.status, "failed"), isNull(mailOutbox.discardedAt)))
      .orderBy(desc(mailOutbox.createdAt))
      .limit(LIST_LIMIT)
      .all(),
    db
      .select({
        sessionId: chatSessions.id,
        libraryId: chatSessions.libraryId,
        libraryName: libraries.name,
        status: chatSessions.status,
        attempts: chatSessions.filingAttempts,
        failedAt: chatSessions.filingFailedAt,
        endedAt: chatSessions.endedAt,
      })
      .from(chatSessions)
      .leftJoin(libraries, eq(libraries.id, chatSessions.libraryId))
      .where(isNotNull(chatSessions.filingAttempts))
      .orderBy(asc(chatSessions.filingFailedAt))
      .limit(LIST_LIMIT)
      .all(),
    db.select().from(scrubRuns).orderBy(desc(scrubRuns.id)).limit(1).get(),
    db.select().from(archiveExports).orderBy(desc(archiveExports.id)).limit(20).all(),
    recentErrors(env.DB),
  ]);
  const changes = lastRun
    ? await db
        .select({ libraryId: scrubChanges.libraryId, libraryName: libraries.name, sessionsScrubbed: scrubChanges.sessionsScrubbed, questionsScrubbed: scrubChanges.questionsScrubbed, mailsScrubbed: scrubChanges.mailsScrubbed })
        .from(scrubChanges)
        .leftJoin(libraries, eq(libraries.id, scrubChanges.libraryId))
        .where(eq(scrubChanges.runId, lastRun.id))
        .orderBy(asc(scrubChanges.libraryId))
        .all()
    : [];
  return {
    checks,
    mail: {
      waiting: totals?.waiting ?? 0,
      sent: totals?.sent ?? 0,
      failed: totals?.failed ?? 0,
      deadLettered: totals?.deadLettered ?? 0,
      discarded: totals?.discarded ?? 0,
      // A recipient's server may quote the address in its refusal: masked here, as in the logs.
      needingAttention: attention.map((m) => ({ ...m, lastError: m.lastError === null ? null : maskAddresses(m.lastError), kind: mailKind(m.eventKey), deadLettered: m.deadLetteredAt !== null })),
    },
    filings,
    lastScrub: lastRun
      ? {
          id: lastRun.id,
          scheduledAt: lastRun.scheduledAt,
          startedAt: lastRun.startedAt,
          finishedAt: lastRun.finishedAt,
          error: lastRun.error,
          librariesChecked: lastRun.librariesChecked,
          sessionsScrubbed: lastRun.sessionsScrubbed,
          questionsScrubbed: lastRun.questionsScrubbed,
          mailsScrubbed: lastRun.mailsScrubbed,
          changes,
        }
      : null,
    exports,
    errors,
  };
}
