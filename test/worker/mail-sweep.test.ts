/**
 * The daily cron puts pending mails that never reached the queue back on it;
 * the real consumer then sends them. Fresh pending mails are left alone.
 */
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { STALE_PENDING_MS } from "../../src/mail/outbox";
import { createLibrary } from "./helpers";

async function outboxRow(eventKey: string, createdAt: number) {
  const library = await createLibrary();
  await env.DB.prepare(
    `INSERT INTO mail_outbox (event_key, library_id, to_address, subject, text_body, html_body, status, created_at)
     VALUES (?, ?, 'patron@example.test', 'Your chat', 'Hello', '<p>Hello</p>', 'pending', ?)`,
  )
    .bind(eventKey, library.id, createdAt)
    .run();
}

const statusOf = async (eventKey: string) =>
  (await env.DB.prepare("SELECT status FROM mail_outbox WHERE event_key = ?").bind(eventKey).first<{ status: string }>())?.status;

describe("the cron's mail sweep", () => {
  it("re-queues a pending mail older than STALE_PENDING_MS and leaves a fresh one pending", async () => {
    const now = Date.now();
    await outboxRow("sweep:stale", now - STALE_PENDING_MS - 60_000);
    await outboxRow("sweep:fresh", now - 1_000);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 3 * * *" }), env);
    await expect.poll(() => statusOf("sweep:stale"), { timeout: 15_000, interval: 200 }).toBe("sent");
    expect(await statusOf("sweep:fresh")).toBe("pending");
  });
});
