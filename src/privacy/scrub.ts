/**
 * The daily privacy scrub (cron trigger, see wrangler.toml): for each library,
 * every ended chat older than the library's retention period loses what
 * identifies its patron — name, e-mail, form answers, IP, browser, referring
 * page, and the name and e-mail addresses inside the transcript and the
 * question — along with the body of any mail sent about it. Codes, times,
 * librarians, ratings and statistics stay. Each run is recorded with counts
 * only, per library.
 *
 * Each chat's Durable Object forgets the patron too (ChatSession.forgetPatron),
 * so the live copy of the conversation does not outlast the retention period.
 * Those calls count against the Worker's subrequest limit, so one run handles
 * at most MAX_SESSIONS_PER_RUN chats; the rest wait for the next run.
 *
 * Idempotent: a scrubbed chat is marked (scrubbed_at) and never touched again;
 * a run that stops half-way leaves the rest for tomorrow.
 */
import type { ChatMessage } from "../shared/protocol";
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

interface Candidate {
  id: string;
  question: string;
  patron_name: string | null;
  patron_email: string | null;
  transcript: string | null;
}

/** Ended chats of `libraryId` created before `cutoff` and not yet scrubbed. */
export function scrubCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

async function scrubLibrary(env: Env, libraryId: string, cutoff: number, now: number, budget: number): Promise<ScrubCounts> {
  const db = env.DB;
  const counts: ScrubCounts = { sessions: 0, questions: 0, mails: 0 };
  while (counts.sessions < budget) {
    const { results } = await db
      .prepare(
        `SELECT id, question, patron_name, patron_email, transcript FROM chat_sessions
         WHERE library_id = ? AND scrubbed_at IS NULL AND created_at < ? AND status IN ('ended', 'unavailable')
         ORDER BY created_at LIMIT ?`,
      )
      .bind(libraryId, cutoff, Math.min(BATCH, budget - counts.sessions))
      .all<Candidate>();
    if (results.length === 0) break;
    const statements: D1PreparedStatement[] = [];
    for (const s of results) {
      const who = { name: s.patron_name, email: s.patron_email };
      const transcript = s.transcript === null ? null : JSON.stringify(redactTranscript(JSON.parse(s.transcript) as ChatMessage[], who));
      statements.push(
        db
          .prepare(
            `UPDATE chat_sessions SET patron_name = NULL, patron_email = NULL, patron_details = '{}', patron_ip = NULL, user_agent = NULL,
               referrer = NULL, question = ?, transcript = ?, scrubbed_at = ? WHERE id = ? AND scrubbed_at IS NULL`,
          )
          .bind(redactText(s.question, who), transcript, now, s.id),
        db
          .prepare("UPDATE questions SET patron_name = NULL, patron_email = NULL, question = ? WHERE session_id = ?")
          .bind(redactText(s.question, who), s.id),
        db
          .prepare(
            `UPDATE mail_outbox SET to_address = ?, text_body = '', html_body = '', raw_message = NULL
             WHERE question_id = ? AND (text_body <> '' OR raw_message IS NOT NULL OR to_address <> ?)`,
          )
          .bind(REDACTED_EMAIL, questionIdFor(s.id), REDACTED_EMAIL),
      );
    }
    const done = await db.batch(statements);
    for (let i = 0; i < done.length; i += 3) {
      counts.sessions += done[i]!.meta.changes;
      counts.questions += done[i + 1]!.meta.changes;
      counts.mails += done[i + 2]!.meta.changes;
    }
    const forgotten = await Promise.allSettled(results.map((s) => chatSession(env, s.id).forgetPatron()));
    forgotten.forEach((r, i) => {
      if (r.status === "rejected" || !r.value.ok) console.error(JSON.stringify({ event: "scrub_object_failed", sessionId: results[i]!.id, error: r.status === "rejected" ? String(r.reason) : "not ended" }));
    });
  }
  return counts;
}

/** Runs one scrub as of `now` (the cron's scheduled time) and records it. */
export async function runPrivacyScrub(env: Env, now: number): Promise<ScrubReport> {
  const db = env.DB;
  const startedAt = Date.now();
  const run = await db.prepare("INSERT INTO scrub_runs (scheduled_at, started_at) VALUES (?, ?) RETURNING id").bind(now, startedAt).first<{ id: number }>();
  const runId = run!.id;
  const totals: ScrubCounts = { sessions: 0, questions: 0, mails: 0 };
  const { results: libs } = await db.prepare("SELECT id, retention_days FROM libraries ORDER BY id").all<{ id: string; retention_days: number }>();
  let error: string | null = null;
  for (const lib of libs) {
    const cutoff = scrubCutoff(now, lib.retention_days);
    try {
      const counts = await scrubLibrary(env, lib.id, cutoff, now, MAX_SESSIONS_PER_RUN - totals.sessions);
      totals.sessions += counts.sessions;
      totals.questions += counts.questions;
      totals.mails += counts.mails;
      if (counts.sessions + counts.questions + counts.mails > 0) {
        await db
          .prepare(
            "INSERT INTO scrub_changes (run_id, library_id, retention_days, cutoff, sessions_scrubbed, questions_scrubbed, mails_scrubbed) VALUES (?, ?, ?, ?, ?, ?, ?)",
          )
          .bind(runId, lib.id, lib.retention_days, cutoff, counts.sessions, counts.questions, counts.mails)
          .run();
      }
    } catch (e) {
      // One library's failure must not keep the others' patrons identifiable.
      error = `${lib.id}: ${String(e).slice(0, 300)}`;
      console.error(JSON.stringify({ event: "scrub_failed", libraryId: lib.id, error: String(e) }));
    }
  }
  await db
    .prepare("UPDATE scrub_runs SET finished_at = ?, libraries_checked = ?, sessions_scrubbed = ?, questions_scrubbed = ?, mails_scrubbed = ?, error = ? WHERE id = ?")
    .bind(Date.now(), libs.length, totals.sessions, totals.questions, totals.mails, error, runId)
    .run();
  console.log(JSON.stringify({ event: "scrub_run", runId, libraries: libs.length, ...totals }));
  return { runId, libraries: libs.length, ...totals };
}
