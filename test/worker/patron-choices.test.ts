/**
 * The patron's choices during and after a chat: whether the transcript is
 * e-mailed (a patron-only frame, respected when the chat is filed), and the
 * rating with a comment (stored with the session, shown to the library).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { transcriptMailKey } from "../../src/questions/file-session";
import { LIMITS, RATING, TIMING } from "../../src/shared/limits";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import type { SessionServerMessage } from "../../src/shared/protocol";
import { activeChat, advanceSession, call, countRows, createLibrarian, createLibrary, endChat, patronSocket, settle, signIn, startChat, createForm } from "./helpers";

type Frame<T extends SessionServerMessage["type"]> = Extract<SessionServerMessage, { type: T }>;
const mailsFor = (sessionId: string) => countRows("SELECT 1 FROM mail_outbox WHERE event_key = ?", transcriptMailKey(sessionId));

describe("the transcript choice", () => {
  it("is in the patron's welcome, not the librarian's", async () => {
    const { patron, librarian } = await activeChat({ patron: { email: "pat@patron.test" } });
    expect((patron.frames[0] as Frame<"welcome">).transcript).toEqual({ send: true, email: "pat@patron.test" });
    expect((librarian.frames[0] as Frame<"welcome">).transcript).toBeUndefined();
  });

  it("turned off during the chat, keeps the transcript out of the patron's inbox", async () => {
    const { chat, patron, cookie } = await activeChat({ patron: { email: "pat@patron.test" } });
    const from = patron.frames.length;
    patron.send({ type: "transcript", send: false });
    expect(await patron.nextFrom((f) => f.type === "transcript", from)).toEqual({ type: "transcript", send: false, email: "pat@patron.test" });
    // The D1 row follows within TIMING.rowMirrorDelayMs.
    await advanceSession(chat.sessionId, TIMING.rowMirrorDelayMs);
    expect(await env.DB.prepare("SELECT transcript_opt_out FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual({ transcript_opt_out: 1 });

    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    expect(await mailsFor(chat.sessionId)).toBe(0);
  });

  it("turned on with an address by a patron who gave none, sends it there — and every tab of the patron hears of it", async () => {
    const { chat, patron, cookie } = await activeChat();
    const secondTab = await patronSocket(chat.sessionId, chat.token);
    expect((patron.frames[0] as Frame<"welcome">).transcript).toEqual({ send: false, email: null });

    let from = patron.frames.length;
    patron.send({ type: "transcript", send: true });
    expect(await patron.nextFrom((f) => f.type === "error", from)).toMatchObject({ code: "validation_failed", field: "email" });

    from = patron.frames.length;
    patron.send({ type: "transcript", send: true, email: "not-an-address" });
    expect(await patron.nextFrom((f) => f.type === "error", from)).toMatchObject({ code: "bad_frame", field: "email" });
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND patron_email IS NULL", chat.sessionId)).toBe(1);

    const secondFrom = secondTab.frames.length;
    patron.send({ type: "transcript", send: true, email: "Late@Patron.test" });
    expect(await secondTab.nextFrom((f) => f.type === "transcript", secondFrom)).toEqual({ type: "transcript", send: true, email: "late@patron.test" });
    await advanceSession(chat.sessionId, TIMING.rowMirrorDelayMs);
    expect(await env.DB.prepare("SELECT patron_email, transcript_opt_out FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual({
      patron_email: "late@patron.test",
      transcript_opt_out: 0,
    });

    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    expect(await env.DB.prepare("SELECT to_address FROM mail_outbox WHERE event_key = ?").bind(transcriptMailKey(chat.sessionId)).first()).toEqual({ to_address: "late@patron.test" });
  });

  it("is the patron's alone, and fixed once the chat has ended", async () => {
    const { chat, patron, librarian, cookie } = await activeChat({ patron: { email: "pat@patron.test", noTranscript: true } });
    const from = librarian.frames.length;
    librarian.send({ type: "transcript", send: true });
    expect(await librarian.nextFrom((f) => f.type === "error", from)).toMatchObject({ code: "forbidden" });
    await settle();
    expect(patron.frames.some((f) => f.type === "transcript")).toBe(false);

    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    // A patron coming back to the ended chat is told it ended and the socket closes: nothing can change the choice now.
    const back = await patronSocket(chat.sessionId, chat.token, 1000);
    expect(back.frames[0]).toMatchObject({ type: "welcome", transcript: { send: false } });
    expect((await back.closed).code).toBe(CLOSE_CODES.sessionEnded);
    expect(await mailsFor(chat.sessionId)).toBe(0);
  });
});

describe("the rating", () => {
  const rate = (sessionId: string, token: string | null, json: unknown, origin?: string) =>
    call(`/api/chats/${sessionId}/rating`, {
      method: "POST",
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(origin ? { Origin: origin } : {}) },
      json,
    });
  const stored = (sessionId: string) => env.DB.prepare("SELECT rating, rating_comment FROM chat_sessions WHERE id = ?").bind(sessionId).first();

  it("is stored with the session once the chat has ended, shown to the library, and replaced by a second rating", async () => {
    const { chat, cookie, library } = await activeChat();
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);

    const res = await rate(chat.sessionId, chat.token, { rating: RATING.highest, comment: "Found the directory, thanks!" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ rating: { score: RATING.highest, comment: "Found the directory, thanks!" }, message: "Thank you for your feedback." });
    expect(await stored(chat.sessionId)).toEqual({ rating: RATING.highest, rating_comment: "Found the directory, thanks!" });

    const colleague = await signIn(await createLibrarian(library.id, "Colleague"));
    const seen = await call(`/api/chats/${chat.sessionId}`, { cookie: colleague });
    expect(((await seen.json()) as { rating: unknown }).rating).toEqual({ score: RATING.highest, comment: "Found the directory, thanks!" });
    const outsider = await signIn(await createLibrarian((await createLibrary({ name: "Elsewhere" })).id, "Outsider"));
    expect((await call(`/api/chats/${chat.sessionId}`, { cookie: outsider })).status).toBe(403);

    expect((await rate(chat.sessionId, chat.token, { rating: RATING.lowest })).status).toBe(200);
    expect(await stored(chat.sessionId)).toEqual({ rating: RATING.lowest, rating_comment: null });
  });

  it("can be given after the patron left and before the librarian filed the chat", async () => {
    const { chat, patron } = await activeChat();
    patron.send({ type: "leave" });
    await patron.next((f) => f.type === "status" && f.session.status === "patron_left");
    expect((await rate(chat.sessionId, chat.token, { rating: 4 })).status).toBe(200);
    expect(await stored(chat.sessionId)).toEqual({ rating: 4, rating_comment: null });
  });

  it("refuses bad ratings, wrong tokens, chats still going and chats nobody answered — changing nothing", async () => {
    const { chat, cookie } = await activeChat();
    expect((await rate(chat.sessionId, chat.token, { rating: 3 })).status).toBe(409);
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);

    const bad: [unknown, string][] = [
      [{}, "rating"],
      [{ rating: RATING.lowest - 1 }, "rating"],
      [{ rating: RATING.highest + 1 }, "rating"],
      [{ rating: 2.5 }, "rating"],
      [{ rating: "5" }, "rating"],
      [{ rating: 3, comment: "c".repeat(LIMITS.ratingCommentChars + 1) }, "comment"],
      [{ rating: 3, comment: "bell\u0007" }, "comment"],
    ];
    for (const [json, field] of bad) {
      const res = await rate(chat.sessionId, chat.token, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field, JSON.stringify(json)).toBe(field);
    }
    const noToken = await rate(chat.sessionId, null, { rating: 3 });
    expect(noToken.status).toBe(401);
    expect((await rate(chat.sessionId, `${chat.token}x`, { rating: 3 })).status).toBe(401);
    expect((await rate(crypto.randomUUID(), chat.token, { rating: 3 })).status).toBe(404);
    expect(await stored(chat.sessionId)).toEqual({ rating: null, rating_comment: null });

    // A request nobody answered (left by e-mail instead) has no chat to rate.
    const library = await createLibrary({ name: "Unstaffed" });
    const unanswered = await startChat(await createForm(library.id));
    expect(
      (await call(`/api/chats/${unanswered.sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${unanswered.token}` }, json: { email: "a@b.test" } })).status,
    ).toBe(200);
    const none = await rate(unanswered.sessionId, unanswered.token, { rating: 5 });
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("not_active");
    expect(await stored(unanswered.sessionId)).toEqual({ rating: null, rating_comment: null });
  });

  it("is refused from a site the library does not allow", async () => {
    const { chat, cookie } = await activeChat();
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    const res = await rate(chat.sessionId, chat.token, { rating: 5 }, "https://copycat.test");
    expect(res.status).toBe(403);
    expect(await stored(chat.sessionId)).toEqual({ rating: null, rating_comment: null });
  });
});
