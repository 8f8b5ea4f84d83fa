/**
 * Disabling an account while its librarian is chatting: their sign-ins end,
 * their chats go back to waiting with a word to the patron, the other
 * monitoring librarians see the request again, and exactly one of them wins it.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import type { QueueServerMessage, SessionServerMessage } from "../../src/shared/protocol";
import { accept, activeChat, call, eventually, librarianSocket, sessionView, monitorsShown } from "./helpers";
import { admin, expectError, json, signedIn } from "./admin-helpers";

const isMessage = (needle: string) => (f: SessionServerMessage) => f.type === "message" && f.message.body.includes(needle);

describe("disabling an account with open chats", () => {
  it("hands the chat back to the queue, tells the patron, and lets exactly one other librarian accept it", async () => {
    const chat = await activeChat({ librarians: 3, patron: { name: "Pat" } });
    const { library, serving, monitors, cookies } = chat;
    const boss = await signedIn(library.id, "library_admin");
    const sessionId = chat.chat.sessionId;
    const patronFrom = chat.patron.frames.length;

    const res = await admin(`/libraries/${library.id}/librarians/${serving.id}/disable`, boss.cookie, { method: "POST" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ handedBack: 1, librarian: { id: serving.id, status: "disabled" } });

    // The patron is told, and sees the chat waiting again.
    await chat.patron.nextFrom(isMessage("Librarian 1 is no longer available. You are back in the queue"), patronFrom);
    await chat.patron.nextFrom((f) => f.type === "status" && f.session.status === "waiting" && f.session.librarian === null, patronFrom);
    // The disabled librarian's chat socket and monitoring socket are closed; their cookie no longer works.
    expect((await chat.librarian.closed).code).toBe(CLOSE_CODES.policy);
    expect((await monitors[0]!.closed).code).toBe(CLOSE_CODES.accessEnded);
    expect((await call("/api/auth/me", { cookie: cookies[0] })).status).toBe(401);
    const signIn = await call("/api/auth/sign-in", { method: "POST", json: { email: serving.email, password: serving.password } });
    expect(signIn.status).toBe(401);
    // The one answer every refused sign-in gets: it does not say the account exists, nor that it is disabled.
    expect((await signIn.json()) as unknown).toMatchObject({ error: { code: "unauthorized", message: expect.not.stringContaining("disabled") } });

    // The others see the request again, with its question.
    for (const m of monitors.slice(1)) {
      const added = (await m.next((f) => f.type === "request.added" && f.request.sessionId === sessionId && m.frames.filter((g) => g.type === "request.added").length >= 2)) as Extract<QueueServerMessage, { type: "request.added" }>;
      expect(added.request.question).toBe("Where can I find census records?");
    }
    // Presence no longer counts the disabled librarian.
    await monitors[1]!.next(() => !monitorsShown(monitors[1]!).some((p) => p.librarianId === serving.id));
    expect(monitorsShown(monitors[1]!).length).toBeGreaterThan(0);

    // Two accept at once: exactly one wins.
    const [a, b] = await Promise.all([accept(sessionId, cookies[1]), accept(sessionId, cookies[2])]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 1 : 2;
    const view = await sessionView(sessionId, cookies[winner]!);
    expect(view).toMatchObject({ status: "active", librarian: { id: chat.librarians[winner]!.id } });
    await chat.patron.nextFrom(isMessage(`Librarian ${winner + 1} has joined the chat.`), patronFrom);
    // The new librarian sees the whole conversation so far, and D1 agrees.
    const socket = await librarianSocket(sessionId, cookies[winner]!);
    expect(socket.frames.some((f) => f.type === "message" && f.message.body.includes("no longer available"))).toBe(true);
    const row = await env.DB.prepare("SELECT status, librarian_id FROM chat_sessions WHERE id = ?").bind(sessionId).first();
    expect(row).toEqual({ status: "active", librarian_id: chat.librarians[winner]!.id });

    // History is kept: the account is disabled, not deleted, and the change is in the audit log.
    const listed = await json<{ librarians: { id: string; status: string }[] }>(await admin(`/libraries/${library.id}/librarians`, boss.cookie));
    expect(listed.librarians.find((l) => l.id === serving.id)?.status).toBe("disabled");
    const log = await json<{ entries: { action: string; targetId: string }[] }>(await admin(`/libraries/${library.id}/audit`, boss.cookie));
    expect(log.entries[0]).toMatchObject({ action: "librarian.disabled", targetId: serving.id });
  });

  it("makes the chat unavailable when nobody else is monitoring", async () => {
    const chat = await activeChat({ librarians: 1 });
    const boss = await signedIn(chat.library.id, "library_admin");
    const res = await admin(`/libraries/${chat.library.id}/librarians/${chat.serving.id}/disable`, boss.cookie, { method: "POST" });
    expect(res.status).toBe(200);
    await chat.patron.next((f) => f.type === "status" && f.session.status === "unavailable");
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT status FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first<{ status: string }>();
      return row?.status === "unavailable" ? true : undefined;
    });
  });

  it("files a chat whose patron had already left, for follow-up by the library", async () => {
    const chat = await activeChat({ librarians: 2, patron: { email: "left@patron.test" } });
    chat.patron.send({ type: "leave" });
    await chat.librarian.next((f) => f.type === "status" && f.session.status === "patron_left");
    const boss = await signedIn(chat.library.id, "library_admin");
    expect((await admin(`/libraries/${chat.library.id}/librarians/${chat.serving.id}/disable`, boss.cookie, { method: "POST" })).status).toBe(200);
    const q = await eventually(() => env.DB.prepare("SELECT status, assigned_to FROM questions WHERE session_id = ?").bind(chat.chat.sessionId).first<{ status: string; assigned_to: string | null }>().then((r) => r ?? undefined));
    expect(q).toEqual({ status: "new", assigned_to: null });
  });

  it("can be undone: an enabled account signs in again; nobody disables themselves", async () => {
    const chat = await activeChat({ librarians: 1 });
    const boss = await signedIn(chat.library.id, "library_admin");
    await admin(`/libraries/${chat.library.id}/librarians/${chat.serving.id}/disable`, boss.cookie, { method: "POST" });
    const enabled = await admin(`/libraries/${chat.library.id}/librarians/${chat.serving.id}/enable`, boss.cookie, { method: "POST" });
    expect(await json(enabled)).toMatchObject({ librarian: { status: "active" } });
    expect((await call("/api/auth/sign-in", { method: "POST", json: { email: chat.serving.email, password: chat.serving.password } })).status).toBe(200);
    await expectError(await admin(`/libraries/${chat.library.id}/librarians/${boss.id}/disable`, boss.cookie, { method: "POST" }), 403, "librarianId");
    expect((await call("/api/auth/me", { cookie: boss.cookie })).status).toBe(200);
  });
});
