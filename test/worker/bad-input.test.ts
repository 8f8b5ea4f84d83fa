/**
 * Every bad input gets a clear error — HTTP `{error:{code,message,field?}}` with
 * the right status, or a WebSocket `{type:"error",code,message}` frame — and
 * changes nothing.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTIVE_CODES, DEFAULT_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES } from "../../src/shared/codes";
import { LIMITS, TIMING } from "../../src/shared/limits";
import { CLOSE_CODES, type ErrorCode, type QueueServerMessage, type SessionServerMessage } from "../../src/shared/protocol";
import {
  accept,
  activeChat,
  advanceSession,
  call,
  connect,
  countRows,
  createForm,
  createLibrarian,
  createLibrary,
  endChat,
  librarianSocket,
  messagesOn,
  patronIp,
  patronSocket,
  sendMessage,
  sessionView,
  settle,
  signIn,
  staffedLibrary,
  transcriptOf,
  upgrade,
  type SessionSocket,
} from "./helpers";

type ErrorBody = { error: { code: ErrorCode; message: string; field?: string } };
type ErrorFrame = Extract<SessionServerMessage, { type: "error" }>;

async function expectError(res: Response, status: number, code: ErrorCode, field?: string): Promise<ErrorBody["error"]> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.message).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  if (field === undefined) expect(body.error.field).toBeUndefined();
  else expect(body.error.field).toBe(field);
  return body.error;
}

/** Everything a refused request must leave untouched. */
async function d1Counts() {
  return {
    sessions: await countRows("SELECT 1 FROM chat_sessions"),
    questions: await countRows("SELECT 1 FROM questions"),
    events: await countRows("SELECT 1 FROM question_events"),
    mail: await countRows("SELECT 1 FROM mail_outbox"),
  };
}

/** Sends a raw frame and returns the error frame it caused. */
async function frameError(s: SessionSocket, frame: string | ArrayBuffer | Uint8Array): Promise<ErrorFrame> {
  const from = s.frames.length;
  s.ws.send(frame);
  return (await s.nextFrom((f) => f.type === "error", from)) as ErrorFrame;
}

describe("starting a chat", () => {
  const post = (body: BodyInit, contentType = "application/json") =>
    call("/api/chats", { method: "POST", body, headers: { "Content-Type": contentType, "cf-connecting-ip": patronIp() } });
  const postJson = (json: unknown) => call("/api/chats", { method: "POST", json, headers: { "cf-connecting-ip": patronIp() } });

  it("refuses each bad request with the right status, code and field, and stores nothing", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const disabledFormId = await createForm(library.id, { enabled: false });
    const strictFormId = await createForm(library.id, {
      fields: [
        { id: "card", label: "Library card", kind: "text", required: true },
        { id: "status", label: "Patron type", kind: "select", required: false, options: ["Student", "Faculty"] },
      ],
    });
    const ok = { formId, question: "Do you have the Vogue archive?" };
    const before = await d1Counts();

    await expectError(await post('{"formId": "x", "question": '), 400, "bad_json");
    await expectError(await post("formId=x", "text/plain"), 415, "validation_failed");
    await expectError(await post(JSON.stringify({ ...ok, question: "x".repeat(LIMITS.bodyBytes) })), 413, "too_large");
    await expectError(await postJson(null), 400, "validation_failed");
    await expectError(await postJson({ formId }), 400, "validation_failed", "question");
    await expectError(await postJson({ ...ok, question: "   " }), 400, "validation_failed", "question");
    await expectError(await postJson({ ...ok, question: "q".repeat(LIMITS.questionChars + 1) }), 400, "validation_failed", "question");
    await expectError(await postJson({ ...ok, name: "n".repeat(LIMITS.nameChars + 1) }), 400, "validation_failed", "name");
    await expectError(await postJson({ ...ok, email: "not-an-address" }), 400, "validation_failed", "email");
    await expectError(await postJson({ ...ok, email: `${"a".repeat(LIMITS.emailChars)}@x.test` }), 400, "validation_failed", "email");
    await expectError(await postJson({ ...ok, question: "Hi\u0007 there" }), 400, "validation_failed", "question");
    await expectError(await postJson({ ...ok, name: "Ada\u0000Lovelace" }), 400, "validation_failed", "name");
    await expectError(await postJson({ ...ok, formId: "../../etc/passwd" }), 400, "validation_failed", "formId");
    await expectError(await postJson({ ...ok, formId: "no-such-form" }), 404, "not_found", "formId");
    await expectError(await postJson({ ...ok, formId: disabledFormId }), 410, "not_found", "formId");
    await expectError(await postJson({ ...ok, formId: strictFormId }), 400, "validation_failed", "fields.card");
    await expectError(await postJson({ ...ok, formId: strictFormId, fields: { card: "123", status: "Wizard" } }), 400, "validation_failed", "fields.status");
    await expectError(await postJson({ ...ok, fields: { shoe_size: "9" } }), 400, "validation_failed", "fields.shoe_size");
    await expectError(await postJson({ ...ok, fields: { card: "1\u001b[2J" } }), 400, "validation_failed", "fields.card");

    expect(await d1Counts()).toEqual(before);
    // The same request without the fault goes through.
    expect((await postJson(ok)).status).toBe(201);
  });

  it("refuses a bad leave-question body and leaves the request as it was", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const start = await postJson({ formId, question: "Anyone there?" });
    const { sessionId, token, status } = (await start.json()) as { sessionId: string; token: string; status: string };
    expect(status).toBe("unavailable");
    const leave = (json: unknown) => call(`/api/chats/${sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, json });
    const before = await d1Counts();

    await expectError(await leave({}), 400, "validation_failed", "email");
    await expectError(await leave({ email: "nope" }), 400, "validation_failed", "email");
    await expectError(await leave({ email: "a@b.test", details: "d".repeat(LIMITS.questionChars + 1) }), 400, "validation_failed", "details");
    await expectError(await leave({ email: "a@b.test", details: "tab\tok but bell\u0007 not" }), 400, "validation_failed", "details");

    expect(await d1Counts()).toEqual(before);
    expect((await leave({ email: "a@b.test" })).status).toBe(200);
  });
});

describe("bad frames on a chat socket", () => {
  it("answers each with an error frame, keeps the socket open and stores nothing", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    const stored = await transcriptOf(chat.sessionId, cookie);
    const seenByLibrarian = messagesOn(librarian).length;

    expect(await frameError(patron, "this is not json")).toMatchObject({ code: "bad_json" });
    expect(await frameError(patron, "[1, 2, 3]")).toMatchObject({ code: "bad_frame" });
    expect(await frameError(patron, JSON.stringify({ type: "send" }))).toMatchObject({ code: "bad_frame" });
    expect(await frameError(patron, JSON.stringify({ type: "dance", clientId: "x", body: "y" }))).toMatchObject({ code: "bad_frame", field: "type" });
    expect(await frameError(patron, JSON.stringify({ type: "send", clientId: "c1", body: "   " }))).toMatchObject({ code: "bad_frame", field: "body" });
    expect(await frameError(patron, JSON.stringify({ type: "send", clientId: "c2", body: "b".repeat(LIMITS.messageChars + 1) }))).toMatchObject({
      code: "bad_frame",
      field: "body",
    });
    expect(await frameError(patron, JSON.stringify({ type: "send", clientId: "c".repeat(LIMITS.clientIdChars + 1), body: "hi" }))).toMatchObject({
      code: "bad_frame",
      field: "clientId",
    });
    expect(await frameError(patron, JSON.stringify({ type: "typing", active: "yes" }))).toMatchObject({ code: "bad_frame", field: "active" });
    expect(await frameError(patron, "x".repeat(LIMITS.frameBytes + 1))).toMatchObject({ code: "too_large" });
    // The limit is in bytes: 3-byte characters reach it with a third as many characters.
    const wideFrame = JSON.stringify({ type: "typing", active: true, padding: "€".repeat(Math.ceil(LIMITS.frameBytes / 3) + 10) });
    expect(wideFrame.length).toBeLessThan(LIMITS.frameBytes);
    expect(await frameError(patron, wideFrame)).toMatchObject({ code: "too_large" });
    expect(await frameError(patron, new Uint8Array([0x7b, 0x7d]))).toMatchObject({ code: "bad_frame" });
    expect(await frameError(librarian, JSON.stringify({ type: "leave" }))).toMatchObject({ code: "forbidden" });

    await settle();
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(stored);
    expect(messagesOn(librarian)).toHaveLength(seenByLibrarian);
    expect(librarian.frames.some((f) => f.type === "typing")).toBe(false);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "active" });
    // Still open and working.
    expect(await sendMessage(patron, "after-errors", "Still there?")).toMatchObject({ seq: stored.length + 1, duplicate: false });
  });

  it("requires hello before anything else", async () => {
    const { chat, librarian, cookie } = await activeChat();
    const stored = await transcriptOf(chat.sessionId, cookie);
    const rude = await connect(`/api/chats/${chat.sessionId}/socket`);

    expect(await frameError(rude, JSON.stringify({ type: "send", clientId: "early", body: "Hello?" }))).toMatchObject({ code: "hello_required" });
    expect(await frameError(rude, JSON.stringify({ type: "typing", active: true }))).toMatchObject({ code: "hello_required" });
    expect(await frameError(rude, JSON.stringify({ type: "leave" }))).toMatchObject({ code: "hello_required" });

    await settle();
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(stored);
    expect(librarian.frames.some((f) => f.type === "typing")).toBe(false);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "active" });
  });

  it("closes a socket that never says hello once TIMING.helloTimeoutMs has passed", async () => {
    const { chat, cookie } = await activeChat();
    const stored = await transcriptOf(chat.sessionId, cookie);
    const silent = await connect(`/api/chats/${chat.sessionId}/socket`);

    await advanceSession(chat.sessionId, TIMING.helloTimeoutMs - 1_000);
    await settle();
    expect(silent.ws.readyState).toBe(WebSocket.OPEN);

    await advanceSession(chat.sessionId, 1_001);
    expect(await silent.next((f) => f.type === "error")).toMatchObject({ code: "hello_required" });
    expect((await silent.closed).code).toBe(CLOSE_CODES.policy);
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(stored);
  });

  it("closes with 1008 on a forged or missing patron token", async () => {
    const { chat, librarian, cookie } = await activeChat();
    const stored = await transcriptOf(chat.sessionId, cookie);
    for (const token of [`${chat.token.slice(0, -2)}AA`, "forged", undefined]) {
      const impostor = await connect(`/api/chats/${chat.sessionId}/socket`);
      impostor.send({ type: "hello", token, lastSeq: 0 });
      expect(await impostor.next((f) => f.type === "error")).toMatchObject({ code: "unauthorized" });
      expect((await impostor.closed).code).toBe(CLOSE_CODES.policy);
      // It was shown nothing of the chat.
      expect(impostor.frames.filter((f) => f.type !== "error")).toEqual([]);
    }
    await settle();
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(stored);
    expect(librarian.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("keeps librarians who are not serving the chat out", async () => {
    const { chat, library, cookie } = await activeChat({ librarians: 2 });
    const colleague = await signIn(await createLibrarian(library.id, "Colleague"));
    const outsider = await signIn(await createLibrarian((await createLibrary({ name: "Other" })).id, "Outsider"));

    // A colleague at the same library may look, but cannot join the chat.
    const watcher = await connect(`/api/chats/${chat.sessionId}/socket?as=librarian`, colleague);
    watcher.send({ type: "hello", lastSeq: 0 });
    expect(await watcher.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
    expect((await watcher.closed).code).toBe(CLOSE_CODES.policy);
    expect(watcher.frames.filter((f) => f.type !== "error")).toEqual([]);

    // Another library's librarian is refused before the upgrade.
    await expectError(await upgrade(`/api/chats/${chat.sessionId}/socket?as=librarian`, { cookie: outsider }), 403, "forbidden");
    await expectError(await upgrade(`/api/chats/${chat.sessionId}/socket?as=librarian`), 401, "unauthorized");
    await expectError(await upgrade(`/api/chats/${crypto.randomUUID()}/socket`), 404, "not_found");
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "active" });
  });

  it("refuses a message after the session ended", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    expect((await patron.closed).code).toBe(CLOSE_CODES.sessionEnded);
    expect((await librarian.closed).code).toBe(CLOSE_CODES.sessionEnded);
    const stored = await transcriptOf(chat.sessionId, cookie);
    const filed = await env.DB.prepare("SELECT transcript FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ transcript: string }>();

    // Coming back to an ended chat: the welcome says so, then the socket closes (4000) and takes nothing more.
    const back = await patronSocket(chat.sessionId, chat.token, stored.length);
    expect(back.frames[0]).toMatchObject({ type: "welcome", session: { status: "ended" } });
    expect((await back.closed).code).toBe(CLOSE_CODES.sessionEnded);
    const librarianBack = await librarianSocket(chat.sessionId, cookie, stored.length);
    expect((await librarianBack.closed).code).toBe(CLOSE_CODES.sessionEnded);

    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(stored);
    expect(await env.DB.prepare("SELECT transcript FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual(filed);
  });
});

describe("bad frames on a queue socket", () => {
  it("answers each with an error frame and changes nobody's status", async () => {
    const { monitors, library } = await staffedLibrary(1);
    const monitor = monitors[0]!;
    const isPresence = (f: QueueServerMessage) => f.type === "presence" || f.type === "presence.changed";
    await monitor.next(isPresence);
    const presenceBefore = monitor.frames.filter(isPresence).length;
    const errorFrom = async (frame: string | Uint8Array) => {
      const from = monitor.frames.length;
      monitor.ws.send(frame);
      return monitor.nextFrom((f) => f.type === "error", from);
    };
    expect(await errorFrom("{")).toMatchObject({ code: "bad_json" });
    expect(await errorFrom(JSON.stringify({ type: "set_status", status: "asleep" }))).toMatchObject({ code: "bad_frame", field: "status" });
    expect(await errorFrom(JSON.stringify({ type: "accept", sessionId: "x" }))).toMatchObject({ code: "bad_frame" });
    expect(await errorFrom(new Uint8Array([1, 2, 3]))).toMatchObject({ code: "bad_frame" });
    await settle();
    expect(monitor.frames.filter(isPresence)).toHaveLength(presenceBefore);
    const snapshot = await call("/api/queues", { cookie: (await signIn(await createLibrarian(library.id, "Checker"))) });
    const queues = ((await snapshot.json()) as { queues: { id: string; monitors: { status: string }[] }[] }).queues;
    expect(queues.find((q) => q.id === library.queueId)?.monitors).toMatchObject([{ status: "online" }]);
  });
});

describe("ending a chat", () => {
  it("refuses bad codes and the wrong librarian, and files nothing", async () => {
    const { chat, library, cookie, cookies } = await activeChat({ librarians: 2, patron: { email: "pat@patron.test" } });
    // One of the defaults hidden by this library, one added by another library.
    const hidden = DEFAULT_DESCRIPTIVE_CODES[3]!.code;
    await env.DB.prepare("UPDATE descriptive_codes SET active = 0 WHERE library_id = ? AND code = ?").bind(library.id, hidden).run();
    const other = await createLibrary({ name: "Other" });
    await env.DB.prepare("INSERT INTO descriptive_codes (library_id, code, label, active, position) VALUES (?, 'other_local', 'Other local', 1, 99)").bind(other.id).run();
    const five = DEFAULT_DESCRIPTIVE_CODES.slice(0, MAX_DESCRIPTIVE_CODES + 1).map((c) => c.code);
    const valid = DEFAULT_DESCRIPTIVE_CODES[0]!.code;
    const before = await d1Counts();

    await expectError(await endChat(chat.sessionId, cookie, { resolution: "solved" as (typeof RESOLUTION_CODE_VALUES)[number] }), 400, "validation_failed", "resolution");
    await expectError(await call(`/api/chats/${chat.sessionId}/end`, { method: "POST", cookie, json: {} }), 400, "validation_failed", "resolution");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: five }), 400, "validation_failed", "descriptiveCodes");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [valid, valid] }), 400, "validation_failed", "descriptiveCodes");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [valid, "no_such_code"] }), 400, "validation_failed", "descriptiveCodes.1");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [hidden] }), 400, "validation_failed", "descriptiveCodes.0");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [valid, valid.toUpperCase()] }), 400, "validation_failed", "descriptiveCodes.1");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: ["other_local"] }), 400, "validation_failed", "descriptiveCodes.0");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered", note: "n".repeat(LIMITS.endNoteChars + 1) }), 400, "validation_failed", "note");
    // Not the serving librarian: a colleague, another library's librarian, nobody.
    await expectError(await endChat(chat.sessionId, cookies[1], { resolution: "answered" }), 403, "forbidden");
    const outsider = await signIn(await createLibrarian(other.id, "Outsider"));
    await expectError(await endChat(chat.sessionId, outsider, { resolution: "answered" }), 403, "forbidden");
    await expectError(await endChat(chat.sessionId, undefined, { resolution: "answered" }), 401, "unauthorized");
    await expectError(await endChat(crypto.randomUUID(), cookie, { resolution: "answered" }), 404, "not_found");

    expect(await d1Counts()).toEqual(before);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "active", endedAt: null });
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'active' AND resolution_code IS NULL", chat.sessionId)).toBe(1);
  });

  it("refuses accept and a different end on an ended session, and changes nothing", async () => {
    const { chat, cookie, cookies } = await activeChat({ librarians: 2, patron: { email: "pat@patron.test" } });
    const codes = [DEFAULT_DESCRIPTIVE_CODES[0]!.code];
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: codes })).status).toBe(200);
    const before = await d1Counts();
    const row = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first();

    await expectError(await accept(chat.sessionId, cookies[1]), 409, "session_ended");
    await expectError(await accept(chat.sessionId, cookie), 409, "session_ended");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "spam", descriptiveCodes: codes }), 409, "session_ended");
    await expectError(await endChat(chat.sessionId, cookie, { resolution: "answered" }), 409, "session_ended");
    await expectError(await endChat(chat.sessionId, cookies[1], { resolution: "answered", descriptiveCodes: codes }), 403, "forbidden");

    expect(await d1Counts()).toEqual(before);
    expect(await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual(row);
    expect(await sessionView(chat.sessionId, cookie)).toMatchObject({ status: "ended" });
  });

  it("answers 409 already_taken to the winner accepting again", async () => {
    const { chat, cookie, serving } = await activeChat();
    const again = await expectError(await accept(chat.sessionId, cookie), 409, "already_taken");
    expect(again.message).toContain(serving.name);
  });
});
