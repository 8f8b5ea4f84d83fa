/**
 * The one alarm and the rate buckets: the alarm is due at the earliest timer
 * the state holds; a bucket allows its burst, then refills evenly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fileRetryDelayMs, nextAlarmAt } from "../../../durable-objects/chat-session/rules/timers";
import { offerTransfer } from "../../../durable-objects/chat-session/rules/transfer";
import { MESSAGE_RATE } from "../../../src/shared/limits";
import { RateBucket } from "../../../src/shared/rate-bucket";
import { active, HOME, lisa, marge, route, COOP, T0, waiting } from "./fixtures";

const none = { helloDeadlines: [], mirrorDueAt: null };

describe("the one alarm", () => {
  it("is due at the earliest of the wait limit, the roll-over, a hello deadline and a pending mirror", () => {
    const s = { ...waiting({ route: route([HOME, COOP]) }), rolloverAt: T0 + 45_000 };
    expect(nextAlarmAt(s, none)).toBe(T0 + 45_000);
    expect(nextAlarmAt(s, { helloDeadlines: [T0 + 10_000], mirrorDueAt: null })).toBe(T0 + 10_000);
    expect(nextAlarmAt(s, { helloDeadlines: [], mirrorDueAt: T0 + 1 })).toBe(T0 + 1);
  });

  it("follows a transfer offer's expiry while the chat is active, and nothing when there is nothing to wait for", () => {
    const r = offerTransfer(active(lisa), { from: lisa, to: { kind: "librarian", librarian: marge }, queueId: HOME, note: null }, "t", T0 + 100);
    if (!r.ok) throw new Error(r.message);
    expect(nextAlarmAt(r.next, none)).toBe(r.transfer.expiresAt);
    expect(nextAlarmAt(active(lisa), none)).toBeNull();
    expect(nextAlarmAt(null, none)).toBeNull();
  });

  it("retries filing with doubling waits, capped at ten minutes", () => {
    expect([1, 2, 3].map(fileRetryDelayMs)).toEqual([4_000, 8_000, 16_000]);
    expect(fileRetryDelayMs(30)).toBe(600_000);
  });
});

describe("a rate bucket", () => {
  it("allows the burst at once, refuses the next, and says when it may go", () => {
    const bucket = new RateBucket(MESSAGE_RATE.burst, MESSAGE_RATE.refillMs, T0);
    for (let i = 0; i < MESSAGE_RATE.burst; i++) expect(bucket.take(1, T0)).toBe(true);
    expect(bucket.take(1, T0)).toBe(false);
    const wait = bucket.waitMs(1, T0);
    expect(wait).toBe(Math.ceil(MESSAGE_RATE.refillMs / MESSAGE_RATE.burst));
    expect(bucket.take(1, T0 + wait - 1)).toBe(false);
    expect(bucket.take(1, T0 + wait)).toBe(true);
  });

  it("never allows more than the burst plus what the elapsed time refilled", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const bucket = new RateBucket(5, 1_000, 0);
        let now = 0;
        let taken = 0;
        for (const gap of gaps) {
          now += gap;
          if (bucket.take(1, now)) taken++;
        }
        expect(taken).toBeLessThanOrEqual(5 + Math.floor((now / 1_000) * 5) + 1);
      }),
    );
  });
});
