/**
 * Nothing is left open. A chat nobody writes in ends by itself after the
 * library's idle time — also one the patron left that nobody ended — and is
 * filed (for follow-up at the patron's library), mailed as the patron chose,
 * and shown to the librarian as ended automatically. A waiting patron whose
 * every socket went away and who does not come back is withdrawn and filed.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { transcriptMailKey } from "../../src/questions/file-session";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { SETTING_RANGES } from "../../src/shared/admin-limits";
import { TIMING } from "../../src/shared/limits";
import { accept, activeChat, advanceSession, closeSocket, countRows, patronSocket, sendMessage, sessionView, staffedLibrary, startChat } from "./helpers";
import { admin, expectError, signedIn } from "./admin-helpers";

const ENDED_LINE = (minutes: number) => `This chat ended automatically after ${minutes} minutes without a message.`;
const questionOf = (sessionId: string) => env.DB.prepare("SELECT status, assigned_to FROM questions WHERE session_id = ?").bind(sessionId).first<{ status: string; assigned_to: string | null }>();

describe("idle chats", () => {
  it("end by themselves after the idle time: both sides told, sockets closed, filed new for the library and mailed", async () => {
    const { chat, patron, librarian, cookie } = await activeChat({ patron: { email: "idle@patron.test" } });
    await advanceSession(chat.sessionId, TIMING.idleEndMs - 60_000);
    expect((await sessionView(chat.sessionId, cookie)).status).toBe("active");
    await advanceSession(chat.sessionId, 61_000);
    for (const side of [patron, librarian]) {
      await side.next((f) => f.type === "message" && f.message.body === ENDED_LINE(TIMING.idleEndMs / 60_000));
      expect((await side.closed).code).toBe(CLOSE_CODES.sessionEnded);
    }
    const row = await env.DB.prepare("SELECT status, resolution_code FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first();
    expect(row).toEqual({ status: "ended", resolution_code: "auto_ended" });
    expect(await questionOf(chat.sessionId)).toEqual({ status: "new", assigned_to: null });
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE event_key = ?", transcriptMailKey(chat.sessionId))).toBe(1);
  });

  it("stay open while people write: the idle time counts from the last message", async () => {
    const { chat, patron, cookie } = await activeChat();
    await advanceSession(chat.sessionId, TIMING.idleEndMs - 60_000);
    await sendMessage(patron, "still-here", "Still looking, one moment");
    await advanceSession(chat.sessionId, 120_000);
    expect((await sessionView(chat.sessionId, cookie)).status).toBe("active");
    await advanceSession(chat.sessionId, TIMING.idleEndMs);
    expect((await sessionView(chat.sessionId, cookie)).status).toBe("ended");
  });

  it("include a chat the patron left that the librarian never ended", async () => {
    const { chat, patron, cookie } = await activeChat();
    patron.send({ type: "leave" });
    await patron.next((f) => f.type === "status" && f.session.status === "patron_left");
    await advanceSession(chat.sessionId, TIMING.idleEndMs + 1_000);
    expect((await sessionView(chat.sessionId, cookie)).status).toBe("ended");
    expect(await env.DB.prepare("SELECT resolution_code FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual({ resolution_code: "auto_ended" });
  });

  it("follow the library's own idle time, set in its settings within a range", async () => {
    const { library, formId, cookie } = await activeChat();
    const boss = await signedIn(library.id, "library_admin");
    const settings = (json: unknown) => admin(`/libraries/${library.id}/settings`, boss.cookie, { method: "PATCH", json });
    await expectError(await settings({ idleEndMinutes: SETTING_RANGES.idleEndMinutes.max + 1 }), 400, "idleEndMinutes");
    await expectError(await settings({ idleEndMinutes: 0 }), 400, "idleEndMinutes");
    expect((await settings({ idleEndMinutes: 10 })).status).toBe(200);
    const next = await startChat(formId);
    expect((await accept(next.sessionId, cookie)).status).toBe(200);
    const watching = await patronSocket(next.sessionId, next.token);
    await advanceSession(next.sessionId, 10 * 60_000 + 1_000);
    await watching.next((f) => f.type === "message" && f.message.body === ENDED_LINE(10));
  });
});

describe("a waiting patron who went away", () => {
  it("is withdrawn and filed after the grace period; one who comes back in time keeps waiting", async () => {
    const { formId, monitors } = await staffedLibrary(1);
    const gone = await startChat(formId, { email: "gone@patron.test" });
    const back = await startChat(formId);
    const goneSocket = await patronSocket(gone.sessionId, gone.token);
    const backSocket = await patronSocket(back.sessionId, back.token);
    await closeSocket(goneSocket, 1001);
    await closeSocket(backSocket, 1001);
    await advanceSession(back.sessionId, TIMING.patronGoneMs / 2);
    await patronSocket(back.sessionId, back.token);
    await advanceSession(gone.sessionId, TIMING.patronGoneMs + 1_000);
    await advanceSession(back.sessionId, TIMING.patronGoneMs + 1_000);
    await monitors[0]!.next((f) => f.type === "request.removed" && f.sessionId === gone.sessionId && f.reason === "left");
    expect(await env.DB.prepare("SELECT status, resolution_code FROM chat_sessions WHERE id = ?").bind(gone.sessionId).first()).toEqual({ status: "ended", resolution_code: "followup_by_library" });
    expect(await questionOf(gone.sessionId)).toMatchObject({ status: "new" });
    expect(await env.DB.prepare("SELECT status FROM chat_sessions WHERE id = ?").bind(back.sessionId).first()).toEqual({ status: "waiting" });
  });
});
