/**
 * When nobody can take a chat: the patron is told at once and shown the
 * library's alternatives, may leave the question by e-mail; presence counts a
 * dropped librarian for a grace period only; a request nobody accepts within
 * the library's wait limit becomes unavailable and leaves the queue.
 */
import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TIMING } from "../../src/shared/limits";
import type { QueueServerMessage } from "../../src/shared/protocol";
import {
  accept,
  advanceQueue,
  advanceSession,
  call,
  closeSocket,
  countRows,
  createForm,
  createLibrarian,
  createLibrary,
  monitorQueue,
  patronSocket,
  queueStub,
  sessionView,
  settle,
  signIn,
  staffedLibrary,
  startChat,
  monitorsShown,
} from "./helpers";

const FALLBACK = {
  name: "Riverside Public Library",
  contactEmail: "help@riverside.test",
  phone: "+1 555 0100",
  hoursText: "Mon–Fri 9–17",
  unavailableMessage: "Our librarians are away. Leave your question and we will e-mail you.",
  fallbackLinks: [{ label: "FAQ", url: "https://riverside.test/faq" }],
};

function leaveQuestion(sessionId: string, token: string, body: unknown) {
  return call(`/api/chats/${sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, json: body });
}

/** A library with a form and one librarian who is signed in but not monitoring. */
async function unstaffedLibrary() {
  const library = await createLibrary(FALLBACK);
  const formId = await createForm(library.id);
  const librarian = await createLibrarian(library.id, "Off Duty");
  return { library, formId, librarian, cookie: await signIn(librarian) };
}

describe("nobody monitoring", () => {
  it("answers unavailable with the library's own alternatives", async () => {
    const { library, formId } = await unstaffedLibrary();
    const chat = await startChat(formId);
    expect(chat.res.status).toBe(201);
    expect(chat.status).toBe("unavailable");
    expect(chat.alternatives).toEqual({
      message: FALLBACK.unavailableMessage,
      email: FALLBACK.contactEmail,
      phone: FALLBACK.phone,
      hours: FALLBACK.hoursText,
      links: FALLBACK.fallbackLinks,
    });
    expect((await queueStub(library.queueId).snapshot()).requests).toEqual([]);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'unavailable'", chat.sessionId)).toBe(1);
  });

  it("lets the patron leave the question by e-mail: a new question with source 'email'", async () => {
    const { library, formId, cookie } = await unstaffedLibrary();
    const chat = await startChat(formId, { name: "Grace" });

    const res = await leaveQuestion(chat.sessionId, chat.token, { email: "Grace@Patron.test", details: "I need the 1950 city directory." });
    expect(res.status, await res.clone().text()).toBe(200);

    const question = await env.DB.prepare("SELECT * FROM questions WHERE session_id = ?").bind(chat.sessionId).first<Record<string, unknown>>();
    expect(question).toMatchObject({ library_id: library.id, source: "email", status: "new", assigned_to: null, patron_email: "grace@patron.test", patron_name: "Grace" });
    expect(await countRows("SELECT 1 FROM question_events WHERE question_id = ? AND action = 'filed'", question!.id)).toBe(1);
    const transcript = JSON.parse((await env.DB.prepare("SELECT transcript FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ transcript: string }>())!.transcript) as { body: string }[];
    expect(transcript.map((m) => m.body)).toContain("I need the 1950 city directory.");
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "ended" });
  });

  it("lets a patron who is still waiting leave the question instead, taking the request off the queue", async () => {
    const { library, formId, monitors, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId);
    expect(chat.status).toBe("waiting");
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);

    expect((await leaveQuestion(chat.sessionId, chat.token, { email: "impatient@patron.test", details: "Call me back" })).status).toBe(200);

    expect(await monitors[0]!.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId)).toMatchObject({ reason: "withdrawn", by: null });
    expect(await env.DB.prepare("SELECT source, status FROM questions WHERE session_id = ?").bind(chat.sessionId).first()).toEqual({ source: "email", status: "new" });
    expect((await queueStub(library.queueId).snapshot()).requests).toEqual([]);
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(409);
  });

  it("refuses a wrong token with 401 and changes nothing", async () => {
    const { formId, cookie } = await unstaffedLibrary();
    const chat = await startChat(formId);
    const questionsBefore = await countRows("SELECT 1 FROM questions");

    const wrong = await leaveQuestion(chat.sessionId, `${chat.token}x`, { email: "someone@patron.test", details: "Hi" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const missing = await call(`/api/chats/${chat.sessionId}/leave-question`, { method: "POST", json: { email: "someone@patron.test" } });
    expect(missing.status).toBe(401);

    expect(await countRows("SELECT 1 FROM questions")).toBe(questionsBefore);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "unavailable" });
    // The right token still works afterwards.
    expect((await leaveQuestion(chat.sessionId, chat.token, { email: "someone@patron.test" })).status).toBe(200);
  });
});

describe("presence grace", () => {
  it("keeps counting a librarian whose socket dropped until the grace period has passed", async () => {
    const { library, formId, monitors } = await staffedLibrary(1);
    // 1001 "going away": a dropped tab, not a sign-off.
    await closeSocket(monitors[0]!, 1001);

    const during = await startChat(formId);
    expect(during.status).toBe("waiting");
    expect((await queueStub(library.queueId).snapshot()).monitors).toMatchObject([{ name: "Librarian 1", reconnecting: true }]);

    // Not yet: just short of the grace period.
    await advanceQueue(library.queueId, TIMING.presenceGraceMs - 1_000);
    expect((await startChat(formId)).status).toBe("waiting");

    expect(await advanceQueue(library.queueId, 1_001)).toBe(true);
    const after = await startChat(formId);
    expect(after.status).toBe("unavailable");
    expect((await queueStub(library.queueId).snapshot()).monitors).toEqual([]);
  });

  it("counts a socket that goes silent (no close frame, no pings) as dropped, then gone after the grace period", async () => {
    const { library, formId, monitors } = await staffedLibrary(1);
    // No pings for longer than a socket may stay silent: the queue's alarm closes it.
    expect(await advanceQueue(library.queueId, TIMING.staleSocketMs + 1_000)).toBe(true);
    expect((await monitors[0]!.closed).code).toBe(1001);
    expect((await startChat(formId)).status).toBe("waiting");

    await advanceQueue(library.queueId, TIMING.presenceGraceMs + 1);
    expect((await startChat(formId)).status).toBe("unavailable");
  });

  it("a librarian who reconnects within the grace period is simply back", async () => {
    const { library, formId, monitors, cookies } = await staffedLibrary(1);
    await closeSocket(monitors[0]!, 1001);
    await monitorQueue(library.queueId, cookies[0]!);
    await advanceQueue(library.queueId, TIMING.presenceGraceMs + 1);
    expect((await queueStub(library.queueId).snapshot()).monitors).toMatchObject([{ name: "Librarian 1", reconnecting: false }]);
    expect((await startChat(formId)).status).toBe("waiting");
  });

  it("keeps counting monitors across hibernation of the queue object", async () => {
    const { library, formId, monitors } = await staffedLibrary(1);
    await evictDurableObject(queueStub(library.queueId));

    const chat = await startChat(formId);
    expect(chat.status).toBe("waiting");
    // The hibernated socket still receives the queue's news.
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
  });

  it("stops counting a librarian who closes with code 1000 at once", async () => {
    const { library, formId, monitors } = await staffedLibrary(1);
    await closeSocket(monitors[0]!, 1000);
    expect((await queueStub(library.queueId).snapshot()).monitors).toEqual([]);
    expect((await startChat(formId)).status).toBe("unavailable");
  });

  it("does not count a librarian whose status is away", async () => {
    const { formId, monitors } = await staffedLibrary(1);
    monitors[0]!.send({ type: "set_status", status: "away" });
    await monitors[0]!.next(() => monitorsShown(monitors[0]!)[0]?.status === "away");
    expect((await startChat(formId)).status).toBe("unavailable");
  });
});

describe("wait limit", () => {
  it("makes a request nobody accepted within the library's wait limit unavailable and takes it off the queue", async () => {
    const library = await createLibrary({ ...FALLBACK, waitLimitSeconds: 90 });
    const formId = await createForm(library.id);
    const librarian = await createLibrarian(library.id, "Slow Responder");
    const cookie = await signIn(librarian);
    const monitor = await monitorQueue(library.queueId, cookie);
    const chat = await startChat(formId);
    expect(chat.status).toBe("waiting");
    await monitor.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    const patron = await patronSocket(chat.sessionId, chat.token);

    // Just short of the limit nothing happens.
    await advanceSession(chat.sessionId, 89_000);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "waiting" });

    expect(await advanceSession(chat.sessionId, 1_001)).toBe(true);
    const removed = await monitor.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId);
    expect(removed).toMatchObject({ reason: "unavailable", by: null } satisfies Partial<QueueServerMessage>);
    await patron.next((f) => f.type === "status" && f.session.status === "unavailable");
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "unavailable" });
    expect((await queueStub(library.queueId).snapshot()).requests).toEqual([]);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'unavailable'", chat.sessionId)).toBe(1);

    // It can no longer be accepted; the patron can still leave the question.
    const late = await accept(chat.sessionId, cookie);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("session_ended");
    expect((await leaveQuestion(chat.sessionId, chat.token, { email: "late@patron.test" })).status).toBe(200);
    await settle();
    expect(monitor.frames.filter((f) => f.type === "request.removed" && f.sessionId === chat.sessionId)).toHaveLength(1);
  });
});
