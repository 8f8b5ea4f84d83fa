/**
 * Consults: the librarian who owns a chat invites a colleague in as a second
 * librarian, while a third watches the queue. The colleague alone is offered
 * it; once they join the patron is told, both librarians write, only the
 * owner ends; the consultant leaves; an unanswered invitation lapses.
 */
import { describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import type { QueueServerMessage, SessionView } from "../../src/shared/protocol";
import { activeChat, advanceSession, call, endChat, librarianSocket, sendMessage, sessionView, settle, transcriptOf } from "./helpers";

const consult = (sessionId: string, cookie: string, path = "", json?: unknown) => call(`/api/chats/${sessionId}/consult${path}`, { method: "POST", cookie, ...(json === undefined ? {} : { json }) });
const isInvitation = (sessionId: string) => (f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === sessionId && !!f.request.consult;

describe("a consult", () => {
  it("brings a colleague into the chat as a second librarian while a third only watches the queue", async () => {
    const { chat, patron, librarian: owner, librarians, cookies, monitors } = await activeChat({ librarians: 3 });
    const [, helper] = librarians;
    const invited = await consult(chat.sessionId, cookies[0]!, "", { librarianId: helper!.id });
    expect(invited.status).toBe(200);
    expect(((await invited.json()) as { session: SessionView }).session.consultInvite).toMatchObject({ toName: helper!.name });
    // Only the invited colleague is shown the invitation.
    await monitors[1]!.next(isInvitation(chat.sessionId));
    await settle();
    expect(monitors[2]!.frames.some(isInvitation(chat.sessionId))).toBe(false);
    // Someone else cannot join on it.
    expect((await consult(chat.sessionId, cookies[2]!, "/accept")).status).toBe(403);

    const joined = await consult(chat.sessionId, cookies[1]!, "/accept");
    expect(joined.status).toBe(200);
    await patron.next((f) => f.type === "message" && f.message.body === `${helper!.name} has joined the chat to help ${librarians[0]!.name}.`);
    await monitors[1]!.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId && f.reason === "accepted");

    // Both librarians write; the patron and the owner see the consultant's message.
    const second = await librarianSocket(chat.sessionId, cookies[1]!);
    expect(second.frames[0]).toMatchObject({ type: "welcome", session: { consultants: [{ id: helper!.id }] } });
    await sendMessage(second, "help-1", "The 1962 directory is in the local history room.");
    await patron.next((f) => f.type === "message" && f.message.clientId === "help-1" && f.message.author.role === "librarian");
    await owner.next((f) => f.type === "message" && f.message.clientId === "help-1");
    expect((await transcriptOf(chat.sessionId, cookies[1]!)).some((m) => m.clientId === "help-1")).toBe(true);
    // The watcher never joined: the chat has the owner and one consultant.
    expect((await sessionView(chat.sessionId, cookies[2]!)).consultants?.map((c) => c.id)).toEqual([helper!.id]);

    // One owner: the consultant cannot end the chat or push pages.
    expect((await endChat(chat.sessionId, cookies[1], { resolution: "answered", descriptiveCodes: [] })).status).toBe(403);

    // The consultant leaves: the patron is told and their socket closes.
    expect((await consult(chat.sessionId, cookies[1]!, "/leave", {})).status).toBe(200);
    await patron.next((f) => f.type === "message" && f.message.body === `${helper!.name} has left the chat.`);
    expect((await second.closed).code).toBe(CLOSE_CODES.policy);
    expect((await sessionView(chat.sessionId, cookies[0]!)).consultants).toEqual([]);
    expect((await endChat(chat.sessionId, cookies[0], { resolution: "answered", descriptiveCodes: [] })).status).toBe(200);
  });

  it("is refused for anyone but the owner, for someone already in the chat, and for someone not monitoring", async () => {
    const { chat, librarians, cookies } = await activeChat({ librarians: 2 });
    expect((await consult(chat.sessionId, cookies[1]!, "", { librarianId: librarians[0]!.id })).status).toBe(403);
    const self = await consult(chat.sessionId, cookies[0]!, "", { librarianId: librarians[0]!.id });
    expect(self.status).toBe(400);
    expect(await self.json()).toMatchObject({ error: { code: "validation_failed", field: "librarianId" } });
    const nobody = await consult(chat.sessionId, cookies[0]!, "", { librarianId: "no-such-librarian" });
    expect(nobody.status).toBe(404);
    expect(await nobody.json()).toMatchObject({ error: { field: "librarianId" } });
    expect((await consult(chat.sessionId, cookies[0]!, "", {})).status).toBe(400);
  });

  it("lapses when the colleague does not answer, and can be declined", async () => {
    const { chat, librarians, cookies, monitors } = await activeChat({ librarians: 2 });
    expect((await consult(chat.sessionId, cookies[0]!, "", { librarianId: librarians[1]!.id })).status).toBe(200);
    await monitors[1]!.next(isInvitation(chat.sessionId));
    await advanceSession(chat.sessionId, TIMING.transferOfferMs + 1_000);
    await monitors[1]!.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId && f.reason === "withdrawn");
    expect((await sessionView(chat.sessionId, cookies[0]!)).consultInvite).toBeNull();
    expect((await consult(chat.sessionId, cookies[1]!, "/accept")).status).toBe(403);

    expect((await consult(chat.sessionId, cookies[0]!, "", { librarianId: librarians[1]!.id })).status).toBe(200);
    expect((await consult(chat.sessionId, cookies[1]!, "/decline")).status).toBe(200);
    expect((await sessionView(chat.sessionId, cookies[0]!)).consultInvite).toBeNull();
  });
});
