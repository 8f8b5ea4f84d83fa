/**
 * Pushing pages: a push is a message of its own kind, stored before
 * it reaches either side, said in words for every client and the transcript
 * mail, and carrying where it opens and why. Only http(s) addresses; a push by
 * anyone but the serving librarian, or to a chat that has ended, changes nothing.
 */
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { transcriptMailKey } from "../../src/questions/file-session";
import type { ChatMessage, SessionServerMessage } from "../../src/shared/protocol";
import { FRAMES_BLOCKED_REASON, NO_VIEWPORT_REASON, pushLine } from "../../src/viewport/push";
import { activeChat, call, createLibrarian, endChat, librarianSocket, messagesOn, patronSocket, settle, signIn, startChat, transcriptOf } from "./helpers";
import { mailReaches } from "./question-fixtures";

let pushes = 0;
function push(sessionId: string, cookie: string | undefined, body: Record<string, unknown>) {
  pushes += 1;
  return call(`/api/chats/${sessionId}/push`, { method: "POST", cookie, json: { clientId: `push-${pushes}`, ...body } });
}

type PushAnswer = { message: ChatMessage; duplicate: boolean };

/** An active chat whose form is "chat with viewport". */
async function viewportChat(patron: Record<string, unknown> = {}) {
  const chat = await activeChat({ patron });
  await env.DB.prepare("UPDATE forms SET chat_method = 'viewport' WHERE id = ?").bind(chat.formId).run();
  // The method is fixed when the chat starts: start another one from the updated form.
  const second = await startChat(chat.formId, patron);
  const res = await call(`/api/chats/${second.sessionId}/accept`, { method: "POST", cookie: chat.cookie });
  expect(res.status).toBe(200);
  return { ...chat, chat: second, patron: await patronSocket(second.sessionId, second.token), librarian: await librarianSocket(second.sessionId, chat.cookie) };
}

describe("POST /api/chats/:id/push", () => {
  it("records the push as a 'push' message, relays it to both sides, and stores a retry once", async () => {
    const { chat, cookie, patron, librarian } = await activeChat();
    const res = await call(`/api/chats/${chat.sessionId}/push`, { method: "POST", cookie, json: { url: "https://www.loc.gov/", title: "Library of Congress", clientId: "p-1" } });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as PushAnswer;
    const expected = { url: "https://www.loc.gov/", title: "Library of Congress", display: "window", reason: NO_VIEWPORT_REASON } as const;
    expect(message).toMatchObject({ kind: "push", author: { role: "librarian", name: "Librarian 1" }, push: expected, body: pushLine(expected) });
    const arrived = (s: typeof patron) => s.next((f) => f.type === "message" && f.message.kind === "push");
    expect(((await arrived(patron)) as Extract<SessionServerMessage, { type: "message" }>).message).toEqual(message);
    expect(((await arrived(librarian)) as Extract<SessionServerMessage, { type: "message" }>).message).toEqual(message);

    const again = await call(`/api/chats/${chat.sessionId}/push`, { method: "POST", cookie, json: { url: "https://www.loc.gov/", title: "Library of Congress", clientId: "p-1" } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as PushAnswer).duplicate).toBe(true);
    await settle();
    expect(messagesOn(patron).filter((m) => m.kind === "push")).toHaveLength(1);
    const stored = (await transcriptOf(chat.sessionId, cookie)).filter((m) => m.kind === "push");
    expect(stored).toEqual([message]);
  });

  it("on a chat-with-viewport form, never fetches a private address and opens such a page in a new window", async () => {
    const { chat, cookie } = await viewportChat();
    const res = await push(chat.sessionId, cookie, { url: "http://127.0.0.1:9/secret" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as PushAnswer).message.push).toMatchObject({ display: "window", reason: expect.stringContaining("private network") });
  });

  it("opens pages in a new window when the patron's page reported that it blocks frames", async () => {
    const { chat, cookie, patron, librarian } = await viewportChat();
    patron.send({ type: "capabilities", report: { framing: false, popups: "unknown", qwidget: true, cobrowseSupported: true, narrow: false } });
    await librarian.next((f) => f.type === "check" && f.check.reported);
    const { message } = (await (await push(chat.sessionId, cookie, { url: "https://www.loc.gov/" })).json()) as PushAnswer;
    expect(message.push).toEqual({ url: "https://www.loc.gov/", title: null, display: "window", reason: FRAMES_BLOCKED_REASON });
    expect(message.body).toBe(`Page opened in a new window (${FRAMES_BLOCKED_REASON}): https://www.loc.gov/`);
  });

  it("accepts only http(s) addresses without credentials; each refusal names the field and changes nothing", async () => {
    const { chat, cookie, patron } = await activeChat();
    const before = await transcriptOf(chat.sessionId, cookie);
    const bad = ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "ftp://files.example/x", "blob:https://x.example/1", "https://user:secret@www.loc.gov/", "not an address", "", "JaVaScRiPt:alert(1)", `https://x.example/${"a".repeat(2100)}`];
    for (const url of bad) {
      const res = await push(chat.sessionId, cookie, { url });
      expect(res.status, url).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; field: string; message: string } };
      expect(error, url).toMatchObject({ code: "validation_failed", field: "url" });
    }
    const scheme = (await (await push(chat.sessionId, cookie, { url: "javascript:alert(1)" })).json()) as { error: { message: string } };
    expect(scheme.error.message).toContain("Only web addresses (http or https)");
    await settle();
    expect(await transcriptOf(chat.sessionId, cookie)).toEqual(before);
    expect(messagesOn(patron).some((m) => m.kind === "push")).toBe(false);
  });

  it("refuses a push by anyone but the serving librarian, and to a chat that has ended", async () => {
    const { chat, cookie, library, patron } = await activeChat({ patron: { email: "ada@patron.test" } });
    const colleague = await signIn(await createLibrarian(library.id, "Colleague"));
    const url = "https://www.loc.gov/";
    expect((await push(chat.sessionId, colleague, { url })).status).toBe(403);
    expect((await push(chat.sessionId, undefined, { url })).status).toBe(401);
    expect((await push("00000000-0000-4000-8000-000000000000", cookie, { url })).status).toBe(404);
    const crossSite = await call(`/api/chats/${chat.sessionId}/push`, { method: "POST", cookie, headers: { Origin: "https://evil.example" }, json: { url, clientId: "x-1" } });
    expect(crossSite.status).toBe(403);
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    const ended = await push(chat.sessionId, cookie, { url });
    expect(ended.status).toBe(409);
    expect(((await ended.json()) as { error: { code: string } }).error.code).toBe("session_ended");
    expect(messagesOn(patron).some((m) => m.kind === "push")).toBe(false);
  });

  it("keeps every push in the filed transcript and the patron's transcript mail", async () => {
    const { chat, cookie } = await activeChat({ patron: { name: "Ada", email: "ada@patron.test" } });
    const { message } = (await (await push(chat.sessionId, cookie, { url: "https://www.loc.gov/rr/genealogy/", title: "Genealogy guide" })).json()) as PushAnswer;
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
    const row = await env.DB.prepare("SELECT transcript FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ transcript: string }>();
    const filed = JSON.parse(row!.transcript) as ChatMessage[];
    expect(filed.find((m) => m.kind === "push")).toEqual(message);
    const mail = await PostalMime.parse(String((await mailReaches(transcriptMailKey(chat.sessionId), "sent")).raw_message));
    expect(mail.text).toContain(`Librarian 1: ${message.body}`);
    expect(mail.html).toContain("Genealogy guide — https://www.loc.gov/rr/genealogy/");
  });
});
