/**
 * Holes the hostile-input suite (bench/hostile.mjs) found, each refused now
 * with a clear error and nothing stored: a sign-in cookie used from another
 * origin with a JSON or empty body, control characters in chat text sent over
 * the socket (now dropped, as a client cannot take back a refused message), and
 * a non-web page URL when starting a chat.
 */
import { describe, expect, it } from "vitest";
import type { SessionServerMessage } from "../../src/shared/protocol";
import { activeChat, call, countRows, createForm, createLibrary, patronIp, sessionView, settle, staffedLibrary, startChat, transcriptOf } from "./helpers";

type ErrorFrame = Extract<SessionServerMessage, { type: "error" }>;

describe("a sign-in cookie sent from another origin", () => {
  it("cannot accept a request (JSON body or none) — 403, still waiting", async () => {
    const { formId, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId);
    for (const init of [{ json: {} }, {}]) {
      const res = await call(`/api/chats/${chat.sessionId}/accept`, { method: "POST", cookie: cookies[0], headers: { Origin: "https://evil.example" }, ...init });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    expect(await sessionView(chat.sessionId, cookies[0]!)).toMatchObject({ status: "waiting", librarian: null });
  });

  it("cannot sign the librarian out", async () => {
    const { cookies } = await staffedLibrary(1);
    const res = await call("/api/auth/sign-out", { method: "POST", cookie: cookies[0], headers: { Origin: "https://evil.example" }, json: {} });
    expect(res.status).toBe(403);
    expect((await call("/api/auth/me", { cookie: cookies[0] })).status).toBe(200);
  });

  it("still works from our own origin", async () => {
    const { formId, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId);
    expect((await call(`/api/chats/${chat.sessionId}/accept`, { method: "POST", cookie: cookies[0] })).status).toBe(200);
  });
});

describe("control characters in chat text", () => {
  it("are dropped from a message (vertical tab and form feed become newlines); only-control is refused as empty", async () => {
    const { chat, patron, librarian, cookie } = await activeChat();
    const from = patron.frames.length;
    patron.send({ type: "send", clientId: "ctl-1", body: "bell\u0007 and escape\u001b[2J\u000bnext line\u0000" });
    const ack = (await patron.nextFrom((f) => f.type === "ack" && f.clientId === "ctl-1", from)) as Extract<SessionServerMessage, { type: "ack" }>;
    const stored = (await transcriptOf(chat.sessionId, cookie)).find((m) => m.seq === ack.seq);
    expect(stored?.body).toBe("bell and escape[2J\nnext line");
    await librarian.nextFrom((f) => f.type === "message" && f.message.body === "bell and escape[2J\nnext line", 0);

    const before = await transcriptOf(chat.sessionId, cookie);
    patron.send({ type: "send", clientId: "ctl-2", body: "\u0000\u0007\u001b" });
    const error = (await patron.nextFrom((f) => f.type === "error", from)) as ErrorFrame;
    expect(error).toMatchObject({ code: "bad_frame", field: "body" });
    await settle();
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(before);
    // Tabs and line breaks are text.
    patron.send({ type: "send", clientId: "ctl-3", body: "line one\n\tline two" });
    await patron.nextFrom((f) => f.type === "ack" && f.clientId === "ctl-3", from);
  });
});

describe("the page a chat was started from", () => {
  it("must be a web page: javascript: and data: addresses are refused with the field named", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const sessionsBefore = await countRows("SELECT 1 FROM chat_sessions");
    for (const pageUrl of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]) {
      const res = await call("/api/chats", { method: "POST", headers: { "cf-connecting-ip": patronIp() }, json: { formId, question: "Hello", pageUrl } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe("pageUrl");
    }
    expect(await countRows("SELECT 1 FROM chat_sessions")).toBe(sessionsBefore);
    const ok = await startChat(formId, { pageUrl: "https://library.example/hours" });
    expect(ok.res.status).toBe(201);
  });
});
