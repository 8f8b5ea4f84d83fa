/**
 * Durable mail: every mail is first a row in `mail_outbox` keyed by the event
 * that caused it (so one event never yields two mails), then a message on the
 * mail queue. The queue consumer sends pending rows through the send_email
 * binding, records each failure and retries with backoff; a row already sent
 * is never sent again, and a row is sent by one consumer at a time: Queues
 * deliver at least once, so the same message can reach two consumers at once.
 */
import { EmailMessage } from "cloudflare:email";
import { and, asc, eq, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { database } from "../db/client";
import { mailOutbox } from "../db/schema";
import { errorSummary, recordError } from "../ops/log";
import { REDACTED_EMAIL } from "../privacy/redact";
import { buildMime } from "./mime";

export interface MailJob {
  eventKey: string;
}

/** Attempts before a mail is marked failed (it can then be re-sent by hand). */
export const MAX_MAIL_ATTEMPTS = 6;

/**
 * How long a consumer holds an outbox row while it sends it. Longer than any
 * send takes; if the consumer dies mid-send the claim lapses and a redelivery
 * sends the row.
 */
export const SEND_LEASE_SECONDS = 60;

/** Seconds to wait before attempt `attempts + 1`: 10 s, 20 s, 40 s … capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** Puts a mail on the queue. The outbox row must already exist. */
export async function enqueueMail(queue: Queue, eventKey: string): Promise<void> {
  await queue.send({ eventKey } satisfies MailJob, { contentType: "json" });
}

/** "busy": another consumer holds the row right now; try again once its lease has run out. */
export type DeliveryOutcome = "sent" | "already_sent" | "missing" | "retry" | "busy" | "failed";

/** Sends one outbox row. Records the outcome on the row; never sends a row marked sent. */
export async function deliverMail(env: Pick<Env, "DB" | "EMAIL" | "MAIL_FROM">, eventKey: string, now = Date.now()): Promise<DeliveryOutcome> {
  const db = database(env.DB);
  const row = await db.select().from(mailOutbox).where(eq(mailOutbox.eventKey, eventKey)).get();
  if (!row) return "missing";
  if (row.status === "sent") return "already_sent";
  // Scrubbed past retention (src/privacy/scrub-chats.ts): there is nobody left to send it to.
  if (row.toAddress === REDACTED_EMAIL) return "failed";
  // Claim the row before sending. Without this, two deliveries of the same
  // message both read "pending" above and both send.
  const claim = await db
    .update(mailOutbox)
    .set({ claimedUntil: now + SEND_LEASE_SECONDS * 1000 })
    .where(
      and(
        eq(mailOutbox.eventKey, eventKey),
        ne(mailOutbox.status, "sent"),
        or(isNull(mailOutbox.claimedUntil), lte(mailOutbox.claimedUntil, now)),
      ),
    )
    .run();
  if (claim.meta.changes === 0) return "busy";
  const domain = env.MAIL_FROM.split("@")[1] ?? "refdesk.invalid";
  const messageId = `<${crypto.randomUUID()}@${domain}>`;
  const raw = buildMime({
    from: { address: env.MAIL_FROM, name: row.fromName },
    to: { address: row.toAddress },
    replyTo: row.replyTo ? { address: row.replyTo } : null,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody,
    messageId,
    date: new Date(now),
    headers: { "Auto-Submitted": "auto-generated", "X-Refdesk-Event": encodeURIComponent(eventKey) },
  });
  try {
    await env.EMAIL.send(new EmailMessage(env.MAIL_FROM, row.toAddress, raw));
  } catch (error) {
    const attempts = row.attempts + 1;
    const failed = attempts >= MAX_MAIL_ATTEMPTS;
    await db
      .update(mailOutbox)
      .set({ attempts, lastError: errorSummary(error), status: failed ? "failed" : "pending", claimedUntil: null, deadLetteredAt: null, discardedAt: null })
      .where(eq(mailOutbox.eventKey, eventKey));
    const fields = { eventKey, libraryId: row.libraryId, attempts, error: errorSummary(error) };
    // The last attempt is an error the service health page shows; earlier ones are retried by themselves.
    if (failed) await recordError(env.DB, "mail_failed", fields, now);
    else console.warn(JSON.stringify({ event: "mail_send_failed", ...fields }));
    return failed ? "failed" : "retry";
  }
  await db
    .update(mailOutbox)
    .set({
      status: "sent",
      attempts: sql`${mailOutbox.attempts} + 1`,
      // Scrubbed while it was being sent: the copy is not kept either.
      rawMessage: sql`case when ${mailOutbox.toAddress} = ${REDACTED_EMAIL} then null else ${raw} end`,
      messageId,
      sentAt: now,
      lastError: null,
      claimedUntil: null,
    })
    .where(eq(mailOutbox.eventKey, eventKey));
  return "sent";
}

/** The queue consumer: one delivery per message, retrying with backoff until sent or failed. */
export async function consumeMailBatch(batch: MessageBatch<MailJob>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const eventKey = message.body?.eventKey;
    if (typeof eventKey !== "string") {
      message.ack();
      continue;
    }
    const outcome = await deliverMail(env, eventKey);
    if (outcome === "retry") message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    // Not acked: if the holder of the claim fails or dies, this delivery is the one that sends.
    else if (outcome === "busy") message.retry({ delaySeconds: SEND_LEASE_SECONDS });
    else message.ack();
  }
}

/** A pending mail untouched for this long is assumed lost on its way to the queue. */
export const STALE_PENDING_MS = 60 * 60 * 1000;

/**
 * Puts pending mails back on the queue when nothing has happened to them for
 * STALE_PENDING_MS (say, the queue send failed right after the outbox row was
 * written). Safe to repeat: delivery never sends a row twice. Returns how many.
 */
export async function requeueStalePendingMail(env: Pick<Env, "DB" | "MAIL_QUEUE">, now: number, limit = 500): Promise<number> {
  const stale = await database(env.DB)
    .select({ eventKey: mailOutbox.eventKey })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.status, "pending"),
        lt(mailOutbox.createdAt, now - STALE_PENDING_MS),
        or(isNull(mailOutbox.claimedUntil), lt(mailOutbox.claimedUntil, now)),
      ),
    )
    .orderBy(asc(mailOutbox.createdAt))
    .limit(limit)
    .all();
  for (const row of stale) await enqueueMail(env.MAIL_QUEUE, row.eventKey);
  return stale.length;
}

/**
 * The dead-letter queue's consumer: a mail the queue gave up on (every retry
 * spent without the row being sent — a consumer that kept failing or dying) is
 * marked failed and dead-lettered, so it shows on the service health page,
 * where it can be retried or discarded. A row already sent stays sent.
 */
export async function consumeDeadLetters(batch: MessageBatch<MailJob>, env: Pick<Env, "DB">, now = Date.now()): Promise<void> {
  const db = database(env.DB);
  for (const message of batch.messages) {
    const eventKey = message.body?.eventKey;
    if (typeof eventKey === "string") {
      const marked = await db
        .update(mailOutbox)
        .set({ status: "failed", deadLetteredAt: now, claimedUntil: null })
        .where(and(eq(mailOutbox.eventKey, eventKey), ne(mailOutbox.status, "sent")))
        .returning({ libraryId: mailOutbox.libraryId, attempts: mailOutbox.attempts });
      if (marked[0]) await recordError(env.DB, "mail_dead_lettered", { eventKey, libraryId: marked[0].libraryId, attempts: marked[0].attempts }, now);
    }
    message.ack();
  }
}

/** Why a mail cannot be retried or discarded, or null when it can (it failed, and was not scrubbed past retention). */
export type MailActionRefusal = "missing" | "sent" | "in_flight" | "scrubbed";

/** Statements to run in the same batch as a change to a mail, right after it (e.g. its audit entry, guarded by previousChangedOneRow). */
export type Alongside = (libraryId: string) => BatchItem<"sqlite">[];

export type MailActionResult = { ok: true; libraryId: string } | { ok: false; refusal: MailActionRefusal };

/**
 * Sends a failed (or dead-lettered, or discarded) mail again: attempts start
 * over and it goes back on the queue. A sent mail never goes twice; a mail
 * whose patron data was scrubbed past retention has nobody to go to.
 */
export async function retryMail(env: Pick<Env, "DB" | "MAIL_QUEUE">, eventKey: string, alongside: Alongside = () => []): Promise<MailActionResult> {
  const db = database(env.DB);
  const row = await db.select({ libraryId: mailOutbox.libraryId }).from(mailOutbox).where(eq(mailOutbox.eventKey, eventKey)).get();
  if (!row) return { ok: false, refusal: "missing" };
  const [reopened] = await db.batch([
    db
      .update(mailOutbox)
      .set({ status: "pending", attempts: 0, lastError: null, deadLetteredAt: null, discardedAt: null, claimedUntil: null })
      .where(and(eq(mailOutbox.eventKey, eventKey), eq(mailOutbox.status, "failed"), ne(mailOutbox.toAddress, REDACTED_EMAIL))),
    ...alongside(row.libraryId),
  ]);
  if (reopened.meta.changes !== 1) return { ok: false, refusal: await whyNot(env.DB, eventKey) };
  await enqueueMail(env.MAIL_QUEUE, eventKey);
  return { ok: true, libraryId: row.libraryId };
}

/** Gives up on a failed mail for good: it stays failed (its library still sees it), no longer listed as needing attention. Discarding twice changes nothing. */
export async function discardMail(env: Pick<Env, "DB">, eventKey: string, alongside: Alongside = () => [], now = Date.now()): Promise<MailActionResult> {
  const db = database(env.DB);
  const row = await db.select({ libraryId: mailOutbox.libraryId, discardedAt: mailOutbox.discardedAt, status: mailOutbox.status }).from(mailOutbox).where(eq(mailOutbox.eventKey, eventKey)).get();
  if (!row) return { ok: false, refusal: "missing" };
  if (row.status === "failed" && row.discardedAt !== null) return { ok: true, libraryId: row.libraryId };
  const [discarded] = await db.batch([
    db
      .update(mailOutbox)
      .set({ discardedAt: now })
      .where(and(eq(mailOutbox.eventKey, eventKey), eq(mailOutbox.status, "failed"), isNull(mailOutbox.discardedAt))),
    ...alongside(row.libraryId),
  ]);
  if (discarded.meta.changes !== 1) return { ok: false, refusal: await whyNot(env.DB, eventKey) };
  return { ok: true, libraryId: row.libraryId };
}

async function whyNot(d1: D1Database, eventKey: string): Promise<MailActionRefusal> {
  const row = await database(d1).select({ status: mailOutbox.status, toAddress: mailOutbox.toAddress }).from(mailOutbox).where(eq(mailOutbox.eventKey, eventKey)).get();
  if (!row) return "missing";
  if (row.status === "sent") return "sent";
  if (row.status === "pending") return "in_flight";
  return row.toAddress === REDACTED_EMAIL ? "scrubbed" : "in_flight";
}
