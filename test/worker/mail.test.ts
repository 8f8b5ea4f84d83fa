/**
 * Mail leaves through the queue consumer: a failed send is recorded and
 * retried with backoff, a mail is sent exactly once however often its message
 * is delivered, and after MAX_MAIL_ATTEMPTS failures the row is "failed".
 * Failures are injected around the real send_email binding (each send that is
 * let through reaches it). The sent message is read back with postal-mime.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { MAX_MAIL_ATTEMPTS, SEND_LEASE_SECONDS, deliverMail, retryDelaySeconds, type MailJob } from "../../src/mail/outbox";
import { transcriptMailKey } from "../../src/questions/file-session";
import { activeChat, createLibrary, endChat, eventually, sendMessage, uniqueId } from "./helpers";

interface OutboxRow {
  event_key: string;
  status: string;
  attempts: number;
  last_error: string | null;
  raw_message: string | null;
  message_id: string | null;
  sent_at: number | null;
  claimed_until: number | null;
  to_address: string;
}

const outboxRow = (eventKey: string) => env.DB.prepare("SELECT * FROM mail_outbox WHERE event_key = ?").bind(eventKey).first<OutboxRow>();

/** The real EMAIL binding, wrapped so that chosen sends throw before reaching it. */
function faultyEmail(shouldFail: (message: EmailMessage, call: number) => boolean) {
  const stats = { calls: 0, delivered: [] as string[] };
  const binding = {
    async send(message: EmailMessage): Promise<EmailSendResult> {
      stats.calls += 1;
      if (shouldFail(message, stats.calls)) throw new Error(`451 4.3.0 Temporary local problem (injected failure ${stats.calls})`);
      const result = await env.EMAIL.send(message);
      stats.delivered.push(message.to);
      return result;
    },
  };
  return { env: { ...env, EMAIL: binding as unknown as SendEmail } satisfies Env, stats };
}

/** A pending outbox row, as filing a session writes it (not put on the real queue: the test delivers it). */
async function pendingMail(to = `patron-${crypto.randomUUID().slice(0, 8)}@patron.test`): Promise<string> {
  const library = await createLibrary();
  const eventKey = `test:${uniqueId("mail")}`;
  await env.DB.prepare(
    `INSERT INTO mail_outbox (event_key, library_id, to_address, from_name, reply_to, subject, text_body, html_body, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  )
    .bind(eventKey, library.id, to, library.name, library.contactEmail ?? null, "Your chat", "Hello", "<p>Hello</p>", Date.now())
    .run();
  return eventKey;
}

/**
 * getQueueResult reports which messages were retried but not the delay asked
 * for, so record each message's retry options on the way through.
 */
function recordRetryDelays(batch: MessageBatch<MailJob>): Map<string, number | undefined> {
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  return delays;
}

let messageCounter = 0;
/** Runs the Worker's queue handler on one delivery of each event; returns the queue's verdict. */
async function deliver(testEnv: Env, deliveries: { eventKey: string; attempts: number }[]) {
  const batch = createMessageBatch<MailJob>(
    "refdesk-mail",
    deliveries.map((d) => ({ id: `msg-${++messageCounter}`, timestamp: new Date(), attempts: d.attempts, body: { eventKey: d.eventKey } })),
  );
  const delays = recordRetryDelays(batch);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv);
  const result = await getQueueResult(batch, ctx);
  return { result, ids: batch.messages.map((m) => m.id), delays };
}

describe("the mail consumer", () => {
  it("records each failure, retries with growing backoff, then sends exactly once", async () => {
    const FAILURES = 3;
    const eventKey = await pendingMail();
    const faulty = faultyEmail((_m, call) => call <= FAILURES);
    const delays: number[] = [];

    for (let attempt = 1; attempt <= FAILURES; attempt++) {
      const { result, ids, delays: asked } = await deliver(faulty.env, [{ eventKey, attempts: attempt }]);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((r) => r.msgId)).toEqual(ids);
      expect(asked.get(ids[0]!)).toBe(retryDelaySeconds(attempt));
      delays.push(asked.get(ids[0]!)!);
      const row = await outboxRow(eventKey);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, raw_message: null, sent_at: null });
      expect(row!.last_error).toContain(`injected failure ${attempt}`);
    }
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(new Set(delays).size).toBe(FAILURES);

    const { result, ids } = await deliver(faulty.env, [{ eventKey, attempts: FAILURES + 1 }]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const sent = await outboxRow(eventKey);
    expect(sent).toMatchObject({ status: "sent", attempts: FAILURES + 1, last_error: null });
    expect(sent!.raw_message).toContain("Message-ID:");

    // A late duplicate delivery of the same message sends nothing more.
    const again = await deliver(faulty.env, [{ eventKey, attempts: FAILURES + 2 }]);
    expect(again.result.explicitAcks).toEqual(again.ids);
    expect(faulty.stats.delivered).toEqual([sent!.to_address]);
    expect(faulty.stats.calls).toBe(FAILURES + 1);
    expect(await outboxRow(eventKey)).toEqual(sent);
  });

  it(`marks the row failed after ${MAX_MAIL_ATTEMPTS} failures and stops retrying`, async () => {
    const eventKey = await pendingMail();
    const faulty = faultyEmail(() => true);
    for (let attempt = 1; attempt <= MAX_MAIL_ATTEMPTS; attempt++) {
      const { result, ids } = await deliver(faulty.env, [{ eventKey, attempts: attempt }]);
      const last = attempt === MAX_MAIL_ATTEMPTS;
      expect(result.retryMessages.map((r) => r.msgId)).toEqual(last ? [] : ids);
      expect(result.explicitAcks).toEqual(last ? ids : []);
      expect(await outboxRow(eventKey)).toMatchObject({ status: last ? "failed" : "pending", attempts: attempt });
    }
    expect(faulty.stats.delivered).toEqual([]);
    expect((await outboxRow(eventKey))!.last_error).toContain("injected failure");
  });

  it("retries only the failed message of a batch", async () => {
    const good = await pendingMail("good@patron.test");
    const bad = await pendingMail("bad@patron.test");
    const faulty = faultyEmail((m) => m.to === "bad@patron.test");
    const { result, ids } = await deliver(faulty.env, [
      { eventKey: good, attempts: 1 },
      { eventKey: bad, attempts: 1 },
    ]);
    expect(result.explicitAcks).toEqual([ids[0]]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([ids[1]]);
    expect((await outboxRow(good))!.status).toBe("sent");
    expect(await outboxRow(bad)).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("sends once when the same message is delivered twice at the same time", async () => {
    // Queues deliver at least once: two consumers may hold the same message at once.
    const eventKey = await pendingMail();
    const faulty = faultyEmail(() => false);
    const outcomes = await Promise.all([deliver(faulty.env, [{ eventKey, attempts: 1 }]), deliver(faulty.env, [{ eventKey, attempts: 1 }])]);
    expect(faulty.stats.delivered).toHaveLength(1);
    expect(await outboxRow(eventKey)).toMatchObject({ status: "sent", attempts: 1, claimed_until: null });
    // Neither delivery is left hanging: each is acked, or retried to look again later.
    for (const { result, ids } of outcomes) expect([...result.explicitAcks, ...result.retryMessages.map((r) => r.msgId)]).toEqual(ids);
    // The retried one finds the row sent next time.
    const retried = outcomes.find((o) => o.result.retryMessages.length > 0)!;
    expect(retried.delays.get(retried.ids[0]!)).toBe(SEND_LEASE_SECONDS);
    const later = await deliver(faulty.env, [{ eventKey, attempts: 2 }]);
    expect(later.result.explicitAcks).toEqual(later.ids);
    expect(faulty.stats.delivered).toHaveLength(1);
  });

  it("sends a row whose sender died mid-send once its lease has run out", async () => {
    const eventKey = await pendingMail();
    // A consumer claimed the row and then vanished without a word.
    const claimedAt = Date.now();
    await env.DB.prepare("UPDATE mail_outbox SET claimed_until = ? WHERE event_key = ?").bind(claimedAt + SEND_LEASE_SECONDS * 1000, eventKey).run();
    const faulty = faultyEmail(() => false);

    const during = await deliver(faulty.env, [{ eventKey, attempts: 2 }]);
    expect(during.result.retryMessages.map((r) => r.msgId)).toEqual(during.ids);
    expect(faulty.stats.calls).toBe(0);

    expect(await deliverMail(faulty.env, eventKey, claimedAt + SEND_LEASE_SECONDS * 1000 + 1)).toBe("sent");
    expect(faulty.stats.delivered).toHaveLength(1);
    expect((await outboxRow(eventKey))!.status).toBe("sent");
  });

  it("acks messages it cannot act on: an unknown event, a malformed body", async () => {
    const faulty = faultyEmail(() => false);
    const { result, ids } = await deliver(faulty.env, [{ eventKey: "transcript:no-such-session", attempts: 1 }]);
    expect(result.explicitAcks).toEqual(ids);
    const batch = createMessageBatch<MailJob>("refdesk-mail", [{ id: "malformed", timestamp: new Date(), attempts: 1, body: { nope: true } as unknown as MailJob }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, faulty.env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["malformed"]);
    expect(faulty.stats.calls).toBe(0);
  });
});

describe("the transcript mail as sent", () => {
  it("is a well-formed multipart message: headers, non-ASCII text, escaped HTML", async () => {
    const libraryName = "Bibliothèque Ville-Marie — 図書館";
    const senderName = 'Ville-Marie "Ask" Desk';
    const patronName = "Zoë Ünal-Øberg";
    const { chat, patron, librarian, library, cookie } = await activeChat({ patron: { name: patronName, email: "zoe@patron.test" } });
    await env.DB.prepare("UPDATE libraries SET name = ?, mail_sender_name = ?, contact_email = ? WHERE id = ?")
      .bind(libraryName, senderName, "desk@villemarie.test", library.id)
      .run();
    const hostile = `<script>alert("x")</script> & <b>bold</b> 'quoted'`;
    await sendMessage(patron, "p-1", hostile);
    await sendMessage(librarian, "l-1", "Voilà: ½ price — ça marche? 😀");
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);

    // The real queue consumer sends it through the real binding.
    const row = await eventually(async () => {
      const r = await outboxRow(transcriptMailKey(chat.sessionId));
      return r?.status === "sent" ? r : undefined;
    }, 10_000, "the transcript mail to be sent");
    const mail = await PostalMime.parse(row.raw_message!);

    expect(mail.from).toMatchObject({ address: env.MAIL_FROM, name: senderName });
    expect(mail.to).toEqual([expect.objectContaining({ address: "zoe@patron.test" })]);
    expect(mail.replyTo).toEqual([expect.objectContaining({ address: "desk@villemarie.test" })]);
    expect(mail.subject).toContain(`Your chat with ${libraryName}`);
    expect(mail.messageId).toBe(row.message_id);
    expect(Math.abs(new Date(mail.date!).getTime() - row.sent_at!)).toBeLessThan(1000);
    expect(mail.headers.find((h) => h.key === "mime-version")?.value).toBe("1.0");
    // Every header line is ASCII, as RFC 5322 requires (non-ASCII goes in encoded words).
    const head = row.raw_message!.split("\r\n\r\n")[0]!;
    expect(head).toMatch(/^[\x00-\x7f]*$/);
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?/m);

    // Plain text keeps the words as typed.
    expect(mail.text).toContain(`Hello ${patronName}`);
    expect(mail.text).toContain(hostile);
    expect(mail.text).toContain("Voilà: ½ price — ça marche? 😀");
    expect(mail.text).toContain(libraryName);
    // HTML escapes everything the patron (or anyone) typed.
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>bold</b>");
    expect(mail.html).toContain(patronName);
    expect(mail.html).toContain("Voilà: ½ price — ça marche? 😀");
    expect(mail.html).toContain(libraryName);
  });
});
