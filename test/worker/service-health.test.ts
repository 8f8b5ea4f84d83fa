/**
 * Seeing that the service is healthy: /healthz for uptime monitors (D1, the
 * mail queue, the cron; 200 or 503; counts and times, nothing personal), the
 * service health report (mail by state, failed and dead-lettered mail with
 * retry and discard, filings being retried, the last scrub, the last errors),
 * the dead-letter consumer, and errors kept as structured events.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { renderError } from "../../src/http/errors";
import type { AppEnv } from "../../src/http/app-env";
import { deliverMail, STALE_PENDING_MS, type MailJob } from "../../src/mail/outbox";
import { CRON_OVERDUE_MS } from "../../src/ops/health";
import { errorSummary, OPS_EVENTS_KEPT, recordError } from "../../src/ops/log";
import { REDACTED_EMAIL } from "../../src/privacy/redact";
import { fileEndedSession } from "../../src/questions/file-session";
import type { HealthReport, ServiceHealth } from "../../src/shared/service-views";
import { call, countRows, createLibrary } from "./helpers";
import { admin, expectError, json, signedIn, type SignedIn } from "./admin-helpers";

const PATRON_ADDRESS = "patron.person@example.test";
let library: string;
let svc: SignedIn;

async function mail(eventKey: string, status: string, extra: { createdAt?: number; to?: string; attempts?: number } = {}) {
  await env.DB.prepare(
    "INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, subject, text_body, html_body, status, attempts, last_error, created_at) VALUES (?, ?, NULL, ?, 'Your chat', 'Hello', '<p>Hello</p>', ?, ?, ?, ?)",
  )
    .bind(eventKey, library, extra.to ?? PATRON_ADDRESS, status, extra.attempts ?? 0, status === "failed" ? `550 mailbox ${PATRON_ADDRESS} unknown` : null, extra.createdAt ?? Date.now())
    .run();
}

const healthz = async () => {
  const res = await call("/healthz");
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as ServiceHealth, text };
};
const report = async () => json<HealthReport>(await admin("/service/health", svc.cookie));
const statusOf = async (eventKey: string) => env.DB.prepare("SELECT status, attempts, dead_lettered_at, discarded_at FROM mail_outbox WHERE event_key = ?").bind(eventKey).first<Record<string, unknown>>();

beforeEach(async () => {
  for (const table of ["mail_outbox", "scrub_changes", "scrub_runs", "ops_events"]) await env.DB.prepare(`DELETE FROM ${table}`).run();
  library = (await createLibrary({ name: "Health Library" })).id;
  svc ??= await signedIn(library, "service_admin");
});

describe("/healthz", () => {
  it("answers 200 with every check on a healthy installation, and nothing personal", async () => {
    await mail("ok:1", "sent");
    await mail("ok:2", "pending");
    const { status, body, text } = await healthz();
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, d1: { ok: true }, mail: { ok: true, waiting: 1, failed: 0, deadLettered: 0 }, cron: { ok: true, lastRunAt: null } });
    expect(text).not.toContain("@");
  });

  it("answers 503 when a mail has waited longer than an hour, and 200 again once it is sent", async () => {
    await mail("stuck:1", "pending", { createdAt: Date.now() - STALE_PENDING_MS - 60_000 });
    const stuck = await healthz();
    expect(stuck.status).toBe(503);
    expect(stuck.body.mail).toMatchObject({ ok: false, waiting: 1 });
    expect(stuck.body.mail!.oldestWaitingSeconds).toBeGreaterThan(3600);
    expect(await deliverMail(env, "stuck:1")).toBe("sent");
    expect((await healthz()).status).toBe(200);
  });

  it("answers 503 when the daily cron is overdue or its last run failed", async () => {
    const now = Date.now();
    await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at, finished_at) VALUES (?, ?, ?)").bind(now - CRON_OVERDUE_MS - 60_000, now - CRON_OVERDUE_MS - 60_000, now - CRON_OVERDUE_MS).run();
    const overdue = await healthz();
    expect(overdue.status).toBe(503);
    expect(overdue.body.cron).toMatchObject({ ok: false, lastRunOk: true });
    await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at, finished_at) VALUES (?, ?, ?)").bind(now, now, now).run();
    expect((await healthz()).status).toBe(200);
    await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at, finished_at, error) VALUES (?, ?, ?, 'lib: boom')").bind(now, now, now).run();
    const failed = await healthz();
    expect(failed.status).toBe(503);
    expect(failed.body.cron).toMatchObject({ ok: false, lastRunOk: false });
    // A run in progress is no alarm; one stalled for over an hour is.
    await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at) VALUES (?, ?)").bind(now, now).run();
    expect((await healthz()).status).toBe(200);
    await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at) VALUES (?, ?)").bind(now, now - 2 * 60 * 60 * 1000).run();
    expect((await healthz()).status).toBe(503);
  });
});

describe("failed mail on the health page", () => {
  it("counts mail by state and lists the failed and dead-lettered ones without their addresses", async () => {
    await mail("sent:1", "sent");
    await mail("wait:1", "pending");
    await mail("transcript:failed-1", "failed", { attempts: 6 });
    await mail("followup:dead-1", "pending", { attempts: 2 });
    // The queue gave up on this one: its dead-letter queue hands it back.
    const batch = createMessageBatch<MailJob>("refdesk-mail-dead", [{ id: "m1", timestamp: new Date(), attempts: 9, body: { eventKey: "followup:dead-1" } }, { id: "m2", timestamp: new Date(), attempts: 9, body: { eventKey: "sent:1" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    expect(await statusOf("followup:dead-1")).toMatchObject({ status: "failed" });
    // A sent mail stays sent.
    expect(await statusOf("sent:1")).toMatchObject({ status: "sent", dead_lettered_at: null });

    const r = await report();
    expect(r.mail).toMatchObject({ waiting: 1, sent: 1, failed: 1, deadLettered: 1, discarded: 0 });
    expect(r.mail.needingAttention.map((m) => [m.eventKey, m.kind, m.deadLettered])).toEqual(
      expect.arrayContaining([
        ["transcript:failed-1", "transcript", false],
        ["followup:dead-1", "followup", true],
      ]),
    );
    expect(JSON.stringify(r.mail)).not.toContain(PATRON_ADDRESS);
    expect(r.errors.map((e) => e.event)).toContain("mail_dead_lettered");
  });

  it("retries a failed mail (sent once, audited) and discards another (kept failed, no longer listed)", async () => {
    await mail("transcript:retry-me", "failed", { attempts: 6 });
    await mail("transcript:drop-me", "failed", { attempts: 6 });
    const retried = await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "transcript:retry-me" } });
    expect(retried.status).toBe(200);
    expect(await statusOf("transcript:retry-me")).toMatchObject({ status: "pending", attempts: 0 });
    // It went back on the real queue, whose consumer sends it.
    await expect.poll(async () => (await statusOf("transcript:retry-me"))?.status, { timeout: 15_000, interval: 200 }).toBe("sent");

    const discarded = await admin("/service/mail/discard", svc.cookie, { method: "POST", json: { eventKey: "transcript:drop-me" } });
    expect(discarded.status).toBe(200);
    expect(await statusOf("transcript:drop-me")).toMatchObject({ status: "failed" });
    // Discarding again changes nothing.
    expect((await admin("/service/mail/discard", svc.cookie, { method: "POST", json: { eventKey: "transcript:drop-me" } })).status).toBe(200);
    const r = await report();
    expect(r.mail.needingAttention).toEqual([]);
    expect(r.mail.discarded).toBe(1);
    expect(await countRows("SELECT 1 FROM audit_log WHERE library_id = ? AND action = 'mail.retried' AND target_id = 'transcript:retry-me'", library)).toBe(1);
    expect(await countRows("SELECT 1 FROM audit_log WHERE library_id = ? AND action = 'mail.discarded' AND target_id = 'transcript:drop-me'", library)).toBe(1);
    // A discarded mail can still be retried.
    expect((await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "transcript:drop-me" } })).status).toBe(200);
  });

  it("refuses clearly what cannot be retried or discarded, changing nothing", async () => {
    await mail("sent:2", "sent");
    await mail("wait:2", "pending");
    await mail("scrubbed:1", "failed", { to: REDACTED_EMAIL });
    const audit = await countRows("SELECT 1 FROM audit_log");
    await expectError(await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "sent:2" } }), 409, "eventKey");
    await expectError(await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "wait:2" } }), 409, "eventKey");
    await expectError(await admin("/service/mail/discard", svc.cookie, { method: "POST", json: { eventKey: "sent:2" } }), 409, "eventKey");
    const scrubbed = await expectError(await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "scrubbed:1" } }), 409, "eventKey");
    expect(scrubbed.message).toContain("retention");
    await expectError(await admin("/service/mail/retry", svc.cookie, { method: "POST", json: { eventKey: "no-such-mail" } }), 404, "eventKey");
    await expectError(await admin("/service/mail/retry", svc.cookie, { method: "POST", json: {} }), 400, "eventKey");
    expect(await countRows("SELECT 1 FROM audit_log")).toBe(audit);
    expect(await statusOf("sent:2")).toMatchObject({ status: "sent" });
    expect(await statusOf("wait:2")).toMatchObject({ status: "pending", attempts: 0 });
  });
});

describe("filings being retried", () => {
  it("lists a chat whose filing the object is retrying, until the filing batch succeeds", async () => {
    const sessionId = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, filing_attempts, filing_failed_at, created_at) VALUES (?, ?, ?, 'active', 'Where?', 3, ?, ?)")
      .bind(sessionId, library, `lib:${library}`, now, now - 60_000)
      .run();
    expect((await report()).filings).toEqual([expect.objectContaining({ sessionId, libraryId: library, attempts: 3, failedAt: now })]);
    await fileEndedSession(env, {
      sessionId,
      libraryId: library,
      question: "Where?",
      patronName: null,
      patronEmail: null,
      transcriptOptOut: true,
      librarian: null,
      resolution: "lost_call",
      descriptiveCodes: [],
      note: null,
      source: "chat",
      messages: [],
      createdAt: now - 60_000,
      acceptedAt: null,
      endedAt: now,
    });
    expect((await report()).filings).toEqual([]);
    expect(await env.DB.prepare("SELECT filing_attempts, filing_failed_at FROM chat_sessions WHERE id = ?").bind(sessionId).first()).toEqual({ filing_attempts: null, filing_failed_at: null });
  });
});

describe("errors as structured events", () => {
  it("keeps an unhandled error as an event with the route and D1's words, never the request's data or an address", async () => {
    const app = new Hono<AppEnv>();
    app.post("/boom/:token", () => {
      throw new Error(`failed for ${PATRON_ADDRESS}`);
    });
    app.onError(renderError);
    const token = "A".repeat(43);
    const res = await app.request(`/boom/${token}`, { method: "POST", body: "name=Pat" }, env);
    expect(res.status).toBe(500);
    await expect.poll(async () => (await report()).errors.length).toBe(1);
    const [event] = (await report()).errors;
    expect(event).toMatchObject({ event: "unhandled_error", detail: { method: "POST", path: "/boom/[token]", error: "Error: failed for [address]" } });
    expect(JSON.stringify(event)).not.toContain(PATRON_ADDRESS);
  });

  it("keeps only the newest events", async () => {
    for (let i = 0; i < OPS_EVENTS_KEPT + 5; i += 1) await recordError(env.DB, "test_event", { n: i });
    expect(await countRows("SELECT 1 FROM ops_events")).toBe(OPS_EVENTS_KEPT);
    const newest = await env.DB.prepare("SELECT detail FROM ops_events ORDER BY id DESC LIMIT 1").first<{ detail: string }>();
    expect(JSON.parse(newest!.detail)).toEqual({ n: OPS_EVENTS_KEPT + 4 });
  });

  it("masks addresses and keeps D1's own words in error summaries", () => {
    expect(errorSummary(new Error("to <someone@place.test>: rejected"))).toBe("Error: to <[address]>: rejected");
    expect(errorSummary(new Error("wrapped", { cause: new Error("D1_ERROR: no such table") }))).toBe("Error: D1_ERROR: no such table");
  });
});

describe("the last scrub", () => {
  it("shows what the last privacy scrub did, per library", async () => {
    const now = Date.now();
    const run = await env.DB.prepare("INSERT INTO scrub_runs (scheduled_at, started_at, finished_at, libraries_checked, sessions_scrubbed) VALUES (?, ?, ?, 3, 2) RETURNING id").bind(now, now, now).first<{ id: number }>();
    await env.DB.prepare("INSERT INTO scrub_changes (run_id, library_id, retention_days, cutoff, sessions_scrubbed) VALUES (?, ?, 30, ?, 2)").bind(run!.id, library, now).run();
    const { lastScrub } = await report();
    expect(lastScrub).toMatchObject({ id: run!.id, librariesChecked: 3, sessionsScrubbed: 2, error: null, changes: [{ libraryId: library, libraryName: "Health Library", sessionsScrubbed: 2 }] });
  });
});
