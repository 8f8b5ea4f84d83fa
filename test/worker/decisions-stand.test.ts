/**
 * Decisions stand. The chat session object decides; its D1 row mirrors the
 * decision. When D1 cannot be written right after an accept, a transfer or
 * a patron leaving, the people involved still get the answer the object gave
 * them (no 500 after the patron was told a librarian joined), the decision is
 * kept, and the mirror is written by the alarm once D1 answers again.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  accept,
  advanceSession,
  call,
  failSessionD1,
  sessionStub,
  librarianSocket,
  patronSocket,
  sessionView,
  staffedLibrary,
  startChat,
} from "./helpers";

const row = (sessionId: string) =>
  env.DB.prepare("SELECT status, librarian_id AS librarianId FROM chat_sessions WHERE id = ?").bind(sessionId).first<{ status: string; librarianId: string | null }>();

describe("a failed D1 mirror", () => {
  it("never fails an accept: the winner gets 200, the patron is told, and the row catches up when D1 answers again", async () => {
    const { formId, librarians, cookies } = await staffedLibrary(2);
    const chat = await startChat(formId);
    const patron = await patronSocket(chat.sessionId, chat.token);
    const restore = await failSessionD1(chat.sessionId);

    const won = await accept(chat.sessionId, cookies[0]);
    expect(won.status).toBe(200);
    await patron.next((f) => f.type === "message" && f.message.body === `${librarians[0]!.name} has joined the chat.`);
    // The decision holds: a rival is told who has the chat, and the chat is active for both sides.
    const lost = await accept(chat.sessionId, cookies[1]);
    expect(lost.status).toBe(409);
    expect((await sessionView(chat.sessionId, cookies[0]!)).status).toBe("active");
    expect(await row(chat.sessionId)).toEqual({ status: "waiting", librarianId: null });

    // D1 is back: the alarm writes what was pending, and the librarian can chat meanwhile.
    await restore();
    const librarian = await librarianSocket(chat.sessionId, cookies[0]!);
    expect(librarian.frames[0]).toMatchObject({ type: "welcome" });
    await advanceSession(chat.sessionId, 60_000);
    expect(await row(chat.sessionId)).toEqual({ status: "active", librarianId: librarians[0]!.id });
  });

  it("keeps retrying while D1 stays down, and a later end files the chat with its final state", async () => {
    const { formId, librarians, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId);
    const restore = await failSessionD1(chat.sessionId);
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(200);
    // Two alarms while D1 is still down: nothing is lost, nothing is thrown.
    await advanceSession(chat.sessionId, 60_000);
    await advanceSession(chat.sessionId, 120_000);
    expect(await row(chat.sessionId)).toEqual({ status: "waiting", librarianId: null });
    await restore();
    const ended = await call(`/api/chats/${chat.sessionId}/end`, { method: "POST", cookie: cookies[0], json: { resolution: "answered", descriptiveCodes: [] } });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ ended: true, filed: true });
    expect(await row(chat.sessionId)).toEqual({ status: "ended", librarianId: librarians[0]!.id });
    // A pending mirror never overwrites the filed row afterwards.
    await advanceSession(chat.sessionId, 600_000);
    expect(await row(chat.sessionId)).toEqual({ status: "ended", librarianId: librarians[0]!.id });
  });
});

describe("a failed filing", () => {
  it("is marked on the chat's row (for the service health page) while the object retries, and cleared when it files", async () => {
    const { formId, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId);
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(200);
    // Filing is one D1 batch: make batches fail while single writes (the mirror) still succeed.
    type WithEnv = { env: Env };
    let original: Env | undefined;
    await runInDurableObject(sessionStub(chat.sessionId), (obj) => {
      const holder = obj as unknown as WithEnv;
      original = holder.env;
      const real = holder.env.DB;
      const db = { prepare: (q: string) => real.prepare(q), batch: async () => { throw new Error("D1_ERROR: injected batch failure"); } } as unknown as D1Database;
      holder.env = { ...holder.env, DB: db };
    });
    const ended = await call(`/api/chats/${chat.sessionId}/end`, { method: "POST", cookie: cookies[0], json: { resolution: "answered", descriptiveCodes: [] } });
    expect(await ended.json()).toEqual({ ended: true, filed: false });
    const marked = await env.DB.prepare("SELECT filing_attempts, filing_failed_at FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ filing_attempts: number; filing_failed_at: number }>();
    expect(marked!.filing_attempts).toBe(1);
    expect(marked!.filing_failed_at).toBeGreaterThan(0);
    await runInDurableObject(sessionStub(chat.sessionId), (obj) => {
      (obj as unknown as WithEnv).env = original!;
    });
    await advanceSession(chat.sessionId, 60_000);
    expect(await env.DB.prepare("SELECT status, filing_attempts, filing_failed_at FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual({ status: "ended", filing_attempts: null, filing_failed_at: null });
  });
});
