/**
 * Durable mail under failure: the queue consumer, driven with real message
 * batches, sends through the real send_email binding wrapped so that its first
 * sends throw. It retries with backoff, records every failure, sends exactly
 * once, and never again for the same event; a mail that gives up shows as
 * failed on its question and can be re-sent, once.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { composeFollowupMail, followupMailKey } from "../../src/mail/followup-mail";
import { MAX_MAIL_ATTEMPTS, retryDelaySeconds, type MailJob } from "../../src/mail/outbox";
import type { QuestionDetail, QuestionListResponse } from "../../src/shared/questions-api";
import { api, asRef, eventCount, fileQuestion, getQuestion, homeLibrary, mailReaches, type ErrorBody } from "./question-fixtures";

const home = await homeLibrary({ name: "Riverside Library", contactEmail: "ask@riverside.test" });

/** The real EMAIL binding, except that the first `failures` sends throw as a mail server would. */
function flakyEmail(failures: number) {
  const log = { attempts: 0, delivered: 0 };
  const binding = {
    async send(message: Parameters<SendEmail["send"]>[0]) {
      log.attempts += 1;
      if (log.attempts <= failures) throw new Error(`451 4.3.0 Temporary failure (attempt ${log.attempts})`);
      const result = await env.EMAIL.send(message);
      log.delivered += 1;
      return result;
    },
  } as SendEmail;
  return { binding, log };
}

/**
 * A follow-up mail as answering writes it: composed by the production code and
 * put in the outbox, but not yet on the queue — these tests deliver it by hand.
 */
async function outboxedFollowup(): Promise<{ questionId: string; eventKey: string }> {
  const { questionId } = await fileQuestion(home.library.id, { resolution: "followup_by_me", librarian: asRef(home.librarian), patronEmail: "ada@patron.test" });
  const event = await env.DB.prepare("INSERT INTO question_events (question_id, actor_id, action, detail, created_at) VALUES (?, ?, 'answer', '{}', ?) RETURNING id")
    .bind(questionId, home.librarian.id, Date.now())
    .first<{ id: number }>();
  const eventKey = followupMailKey(questionId, event!.id);
  const mail = composeFollowupMail({
    libraryName: "Riverside Library",
    timeZone: "UTC",
    librarianName: "Lisa",
    patronName: "Ada",
    question: "Where can I find census records?",
    askedAt: Date.now(),
    answer: "At the county archive.",
    transcript: [],
    canReply: true,
  });
  await env.DB.prepare(
    "INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, from_name, reply_to, subject, text_body, html_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(eventKey, home.library.id, questionId, "ada@patron.test", "Riverside Library", "ask@riverside.test", mail.subject, mail.text, mail.html)
    .run();
  return { questionId, eventKey };
}

/** Runs the Worker's queue handler on one delivery of `eventKey` (the queue counts `attempts` from 1). */
async function deliver(eventKey: string, attempts: number, email: SendEmail) {
  const batch = createMessageBatch<MailJob>("refdesk-mail", [{ id: `msg-${attempts}`, timestamp: new Date(), attempts, body: { eventKey } }]);
  // getQueueResult reports which messages were retried but not their delay: watch retry() for that.
  const retry = vi.spyOn(batch.messages[0]!, "retry");
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, EMAIL: email });
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: retry.mock.calls.map(([options]) => options?.delaySeconds) };
}

const outboxRow = async (eventKey: string) => (await env.DB.prepare("SELECT * FROM mail_outbox WHERE event_key = ?").bind(eventKey).first<Record<string, string | number | null>>())!;

describe("the mail queue consumer under failures", () => {
  it("retries with backoff after forced failures, records each one, then sends exactly once", async () => {
    const { eventKey } = await outboxedFollowup();
    const email = flakyEmail(2);

    for (const attempt of [1, 2]) {
      const result = await deliver(eventKey, attempt, email.binding);
      expect(result.retryMessages).toEqual([{ msgId: `msg-${attempt}` }]);
      expect(result.delays).toEqual([retryDelaySeconds(attempt)]);
      expect(result.explicitAcks).toEqual([]);
      expect(await outboxRow(eventKey)).toMatchObject({ status: "pending", attempts: attempt, sent_at: null });
      expect(String((await outboxRow(eventKey)).last_error)).toContain(`451 4.3.0 Temporary failure (attempt ${attempt})`);
    }
    expect(retryDelaySeconds(2)).toBeGreaterThan(retryDelaySeconds(1));

    const third = await deliver(eventKey, 3, email.binding);
    expect(third.explicitAcks).toEqual(["msg-3"]);
    expect(third.retryMessages).toEqual([]);
    const sent = await outboxRow(eventKey);
    expect(sent).toMatchObject({ status: "sent", attempts: 3, last_error: null });
    expect(email.log).toEqual({ attempts: 3, delivered: 1 });
    const parsed = await PostalMime.parse(String(sent.raw_message));
    expect(parsed.to?.[0]?.address).toBe("ada@patron.test");
    expect(parsed.text).toContain("At the county archive.");

    // The queue delivers at least once: a duplicate message sends nothing more.
    const duplicate = await deliver(eventKey, 4, email.binding);
    expect(duplicate.explicitAcks).toEqual(["msg-4"]);
    expect(email.log).toEqual({ attempts: 3, delivered: 1 });
    expect(await outboxRow(eventKey)).toEqual(sent);
  });

  it("gives up after MAX_MAIL_ATTEMPTS; the question shows the failure, and a re-send goes out once", async () => {
    const { questionId, eventKey } = await outboxedFollowup();
    const email = flakyEmail(Number.POSITIVE_INFINITY);
    for (let attempt = 1; attempt < MAX_MAIL_ATTEMPTS; attempt++) {
      expect((await deliver(eventKey, attempt, email.binding)).retryMessages).toHaveLength(1);
    }
    const last = await deliver(eventKey, MAX_MAIL_ATTEMPTS, email.binding);
    expect(last.explicitAcks).toEqual([`msg-${MAX_MAIL_ATTEMPTS}`]);
    expect(await outboxRow(eventKey)).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS });
    expect(email.log.delivered).toBe(0);

    // The question and its list row show the failure and its last error.
    const detail = await getQuestion(questionId, home.cookie);
    expect(detail.body.mails.find((m) => m.eventKey === eventKey)).toMatchObject({
      status: "failed",
      attempts: MAX_MAIL_ATTEMPTS,
      lastError: expect.stringContaining(`Temporary failure (attempt ${MAX_MAIL_ATTEMPTS})`),
    });
    const list = await api<QuestionListResponse>("/api/questions?list=mine", home.cookie);
    expect(list.body.questions.find((q) => q.id === questionId)?.failedMails).toBe(1);

    // Re-send: attempts start over, it goes back on the real queue and the real consumer sends it.
    const events = await eventCount(questionId);
    const resent = await api<QuestionDetail>(`/api/questions/${questionId}/mails/resend`, home.cookie, { json: { eventKey } });
    expect(resent.status).toBe(200);
    expect(resent.body.events.at(-1)).toMatchObject({ action: "mail_resent", actor: { id: home.librarian.id } });
    expect(await eventCount(questionId)).toBe(events + 1);
    const sent = await mailReaches(eventKey, "sent");
    expect(sent).toMatchObject({ attempts: 1, last_error: null });

    // Sent is final: no second re-send, nothing changes.
    const again = await api<ErrorBody>(`/api/questions/${questionId}/mails/resend`, home.cookie, { json: { eventKey } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "invalid_transition", field: "eventKey" });
    expect(again.body.error.message).toContain("never sent twice");
    expect(await outboxRow(eventKey)).toEqual(sent);
    expect(await eventCount(questionId)).toBe(events + 1);
  });

  it("re-sends only failed mails: a pending one is refused and an unknown one is not found", async () => {
    const { questionId, eventKey } = await outboxedFollowup();
    const before = await outboxRow(eventKey);
    const pending = await api<ErrorBody>(`/api/questions/${questionId}/mails/resend`, home.cookie, { json: { eventKey } });
    expect(pending.status).toBe(409);
    expect(pending.body.error.message).toContain("still being sent");
    const unknown = await api<ErrorBody>(`/api/questions/${questionId}/mails/resend`, home.cookie, { json: { eventKey: `${eventKey}9` } });
    expect(unknown.status).toBe(404);
    expect(await outboxRow(eventKey)).toEqual(before);
  });
});
