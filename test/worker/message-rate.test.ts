/**
 * Chat messages have a rate per author (MESSAGE_RATE): a flood is refused with
 * `rate_limited`, the message named and a time to send it again, and nothing of
 * it stored; what was already stored is still acknowledged; the other side's
 * allowance is its own; and the refused message goes in once time has passed.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MESSAGE_RATE } from "../../src/shared/limits";
import type { SessionServerMessage } from "../../src/shared/protocol";
import { activeChat, sessionStub, settle, transcriptOf } from "./helpers";

type Frame = SessionServerMessage;
type ErrorFrame = Extract<Frame, { type: "error" }>;

describe("a flood of chat messages", () => {
  it("is refused past the burst with the message named and a retry time; nothing refused is stored; the message goes in later", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    const before = (await transcriptOf(chat.sessionId, cookie)).length;
    const from = patron.frames.length;
    const over = 5;
    for (let i = 0; i < MESSAGE_RATE.burst + over; i++) patron.send({ type: "send", clientId: `flood-${i}`, body: `flood ${i}` });
    await patron.nextFrom((f) => f.type === "ack" && f.clientId === `flood-${MESSAGE_RATE.burst - 1}`, from);
    const lastRefused = `flood-${MESSAGE_RATE.burst + over - 1}`;
    await patron.nextFrom((f) => f.type === "error" && f.clientId === lastRefused, from);
    const frames = patron.frames.slice(from);
    const acked = frames.filter((f): f is Extract<Frame, { type: "ack" }> => f.type === "ack").map((f) => f.clientId);
    const refused = frames.filter((f): f is ErrorFrame => f.type === "error");
    expect(acked).toEqual(Array.from({ length: MESSAGE_RATE.burst }, (_, i) => `flood-${i}`));
    expect(refused.map((f) => f.clientId)).toEqual(Array.from({ length: over }, (_, i) => `flood-${MESSAGE_RATE.burst + i}`));
    for (const f of refused) {
      expect(f.code).toBe("rate_limited");
      expect(f.retryAfterMs).toBeGreaterThan(0);
      expect(f.retryAfterMs).toBeLessThanOrEqual(MESSAGE_RATE.refillMs);
    }
    await settle();
    expect((await transcriptOf(chat.sessionId, cookie)).length).toBe(before + MESSAGE_RATE.burst);

    // A resend of something already stored (a reconnect does that) is acknowledged, not refused.
    const again = patron.frames.length;
    patron.send({ type: "send", clientId: "flood-0", body: "flood 0" });
    expect(await patron.nextFrom((f) => f.type === "ack" || f.type === "error", again)).toMatchObject({ type: "ack", clientId: "flood-0", duplicate: true });

    // The librarian's allowance is theirs: the patron's flood does not stop them.
    const lib = librarian.frames.length;
    librarian.send({ type: "send", clientId: "reply-1", body: "Please slow down." });
    expect(await librarian.nextFrom((f) => f.type === "ack" || f.type === "error", lib)).toMatchObject({ type: "ack", clientId: "reply-1" });

    // Once the time has passed, the refused message goes in.
    await runInDurableObject(sessionStub(chat.sessionId), (obj) => obj.clock.advance(refused[0]!.retryAfterMs!));
    const retry = patron.frames.length;
    patron.send({ type: "send", clientId: refused[0]!.clientId!, body: `flood ${MESSAGE_RATE.burst}` });
    expect(await patron.nextFrom((f) => f.type === "ack" || f.type === "error", retry)).toMatchObject({ type: "ack", clientId: refused[0]!.clientId, duplicate: false });
  });
});
