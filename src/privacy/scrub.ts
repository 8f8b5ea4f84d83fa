/**
 * The daily privacy scrub (cron trigger, see wrangler.toml): for each library,
 * every ended chat older than the library's retention period loses what
 * identifies its patron — name, e-mail, form answers, IP, browser, referring
 * page, and the name and e-mail addresses inside the transcript and the
 * question — along with the body of any mail sent about it. Codes, times,
 * librarians, ratings and statistics stay. Each run is recorded with counts
 * only, per library.
 *
 * Each chat's Durable Object is erased too (ChatSession.erase: its whole
 * storage), so the live copy of the conversation does not outlast the retention period.
 * Those calls count against the Worker's subrequest limit, so one run handles
 * at most MAX_SESSIONS_PER_RUN chats; the rest wait for the next run.
 *
 * Idempotent: a scrubbed chat is marked (scrubbed_at) and never touched again;
 * a run that stops half-way leaves the rest for tomorrow.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { database } from "../db/client";
import { errorText } from "../db/errors";
import { chatSessions, libraries, mailOutbox, questions, scrubChanges, scrubRuns } from "../db/schema";
import { chatSession } from "../objects";
import { questionIdFor } from "../questions/file-session";
import { redactText, redactTranscript, REDACTED_EMAIL } from "./redact";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Chats handled per D1 batch. */
const BATCH = 50;
/** Chats scrubbed per run at most (each costs a Durable Object call); the rest waits for the next run. */
export const MAX_SESSIONS_PER_RUN = 900;

export interface ScrubCounts {
  sessions: number;
  questions: number;
  mails: number;
}

export interface ScrubReport extends ScrubCounts {
  runId: number;
  libraries: number;
}

/** Ended chats of `libraryId` created before `cutoff` and not yet scrubbed. */
export function scrubCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

async function scrubLibrary(env: Env, libraryId: string, cutoff: number, now: number, budget: number): Promise<ScrubCounts> {
  const db = database(env.DB);
  const counts: ScrubCounts = { sessions: 0, questions: 0, mails: 0 };
  while (counts.sessions < budget) {
    const results = await db
      .select({
        id: chatSessions.id,
        question: chatSessions.question,
        patronName: chatSessions.patronName,
        patronEmail: chatSessions.patronEmail,
        transcript: chatSessions.transcript,
      })
      .from(chatSessions)
      .where(
        and(
          eq(chatSessions.libraryId, libraryId),
          isNull(chatSessions.scrubbedAt),
          lt(chatSessions.createdAt, cutoff),
          inArray(chatSessions.status, ["ended", "unavailable"]),
        ),
      )
      .orderBy(asc(chatSessions.createdAt))
      .limit(Math.min(BATCH, budget - counts.sessions))
      .all();
    const [first, ...rest] = results.flatMap((s) => {
      const who = { name: s.patronName, email: s.patronEmail };
      const question = redactText(s.question, who);
      return [
        db
          .update(chatSessions)
          .set({
            patronName: null,
            patronEmail: null,
            patronDetails: {},
            patronIp: null,
            userAgent: null,
            referrer: null,
            question,
            // Stored back as JSON, whatever shape it had (redactTranscript leaves a non-list as it is).
            transcript: s.transcript === null ? null : (redactTranscript(s.transcript, who) as unknown[]),
            scrubbedAt: now,
          })
          .where(and(eq(chatSessions.id, s.id), isNull(chatSessions.scrubbedAt))),
        db.update(questions).set({ patronName: null, patronEmail: null, question }).where(eq(questions.sessionId, s.id)),
        db
          .update(mailOutbox)
          .set({ toAddress: REDACTED_EMAIL, textBody: "", htmlBody: "", rawMessage: null })
          .where(
            and(
              eq(mailOutbox.questionId, questionIdFor(s.id)),
              or(ne(mailOutbox.textBody, ""), isNotNull(mailOutbox.rawMessage), ne(mailOutbox.toAddress, REDACTED_EMAIL)),
            ),
          ),
      ];
    });
    if (!first) break;
    const done = await db.batch([first, ...rest]);
    for (let i = 0; i < done.length; i += 3) {
      counts.sessions += done[i]!.meta.changes;
      counts.questions += done[i + 1]!.meta.changes;
      counts.mails += done[i + 2]!.meta.changes;
    }
    const forgotten = await Promise.allSettled(results.map((s) => chatSession(env, s.id).erase()));
    forgotten.forEach((r, i) => {
      if (r.status === "rejected" || !r.value.ok) console.error(JSON.stringify({ event: "scrub_object_failed", sessionId: results[i]!.id, error: r.status === "rejected" ? String(r.reason) : "not ended" }));
    });
  }
  return counts;
}

/** Runs one scrub as of `now` (the cron's scheduled time) and records it. */
export async function runPrivacyScrub(env: Env, now: number): Promise<ScrubReport> {
  const db = database(env.DB);
  const startedAt = Date.now();
  const run = await db.insert(scrubRuns).values({ scheduledAt: now, startedAt }).returning({ id: scrubRuns.id }).get();
  const runId = run.id;
  const totals: ScrubCounts = { sessions: 0, questions: 0, mails: 0 };
  const libs = await db.select({ id: libraries.id, retentionDays: libraries.retentionDays }).from(libraries).orderBy(asc(libraries.id)).all();
  let error: string | null = null;
  for (const lib of libs) {
    const cutoff = scrubCutoff(now, lib.retentionDays);
    try {
      const counts = await scrubLibrary(env, lib.id, cutoff, now, MAX_SESSIONS_PER_RUN - totals.sessions);
      totals.sessions += counts.sessions;
      totals.questions += counts.questions;
      totals.mails += counts.mails;
      if (counts.sessions + counts.questions + counts.mails > 0) {
        await db.insert(scrubChanges).values({
          runId,
          libraryId: lib.id,
          retentionDays: lib.retentionDays,
          cutoff,
          sessionsScrubbed: counts.sessions,
          questionsScrubbed: counts.questions,
          mailsScrubbed: counts.mails,
        });
      }
    } catch (e) {
      // One library's failure must not keep the others' patrons identifiable.
      error = `${lib.id}: ${errorText(e).slice(0, 300)}`;
      console.error(JSON.stringify({ event: "scrub_failed", libraryId: lib.id, error: errorText(e) }));
    }
  }
  await db
    .update(scrubRuns)
    .set({
      finishedAt: Date.now(),
      librariesChecked: libs.length,
      sessionsScrubbed: totals.sessions,
      questionsScrubbed: totals.questions,
      mailsScrubbed: totals.mails,
      error,
    })
    .where(eq(scrubRuns.id, runId));
  console.log(JSON.stringify({ event: "scrub_run", runId, libraries: libs.length, ...totals }));
  return { runId, libraries: libs.length, ...totals };
}
