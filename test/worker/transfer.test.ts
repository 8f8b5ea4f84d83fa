/**
 * Transfers: a chat moves to another monitoring librarian (offered to them; they
 * accept) or to a queue (offered to every monitor there), with an internal note
 * the patron never sees. The transcript stays one; the new librarian accepts
 * exactly once; bad requests are refused and change nothing.
 */
import { describe, expect, it } from "vitest";
import { groupQueueId } from "../../src/queues/queue-ids";
import { LIMITS, TIMING } from "../../src/shared/limits";
import type { ChatMessage, QueueServerMessage, SessionServerMessage, SessionView } from "../../src/shared/protocol";
import {
  accept,
  activeChat,
  advanceSession,
  call,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  librarianSocket,
  monitorQueue,
  patronSocket,
  queueStub,
  sessionView,
  settle,
  signIn,
  startChat,
  transcriptOf,
  uniqueId,
  type QueueSocket,
  type SessionSocket,
  monitorsShown,
} from "./helpers";

type Added = Extract<QueueServerMessage, { type: "request.added" }>;
type ApiError = { error: { code: string; message: string; field?: string } };

function transfer(sessionId: string, cookie: string, body: unknown): Promise<Response> {
  return call(`/api/chats/${sessionId}/transfer`, { method: "POST", cookie, json: body });
}

/** A request.added that offers this chat for transfer (not the chat's first arrival in the queue). */
const isOffer = (sessionId: string) => (f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === sessionId && f.request.transfer !== undefined;
const offeredOn = (m: QueueSocket, sessionId: string) => m.next(isOffer(sessionId)) as Promise<Added>;
const systemLine = (s: SessionSocket, body: string) => s.next((f) => f.type === "message" && f.message.kind === "system" && f.message.body === body);

async function errorOf(res: Response): Promise<ApiError["error"]> {
  return ((await res.json()) as ApiError).error;
}

/** Nothing about the chat changed: same view, same message count, still served by the same librarian, nothing queued. */
async function expectUnchanged(sessionId: string, cookie: string, before: { view: SessionView; messages: number }, queueId: string) {
  const view = await sessionView(sessionId, cookie);
  expect(view).toEqual(before.view);
  expect((await transcriptOf(sessionId, cookie)).length).toBe(before.messages);
  expect((await queueStub(queueId).snapshot()).requests).toHaveLength(0);
}

async function snapshotOf(sessionId: string, cookie: string) {
  return { view: await sessionView(sessionId, cookie), messages: (await transcriptOf(sessionId, cookie)).length };
}

describe("transfer to another librarian", () => {
  it("offers the chat to them alone; they accept it once; the transcript stays one and the note stays internal", async () => {
    const chat = await activeChat({ librarians: 3, patron: { name: "Ada", email: "ada@patron.test" } });
    const [a, b, c] = chat.librarians;
    const [, monitorB, monitorC] = chat.monitors;
    chat.patron.send({ type: "send", clientId: "p-1", body: "Before the transfer." });
    await chat.librarian.next((f) => f.type === "message" && f.message.body === "Before the transfer.");

    const note = `Patron needs 1880 census, Ohio ${uniqueId("n")}`;
    const res = await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: b!.id }, note });
    expect(res.status, await res.clone().text()).toBe(200);
    const offered = (await res.json()) as { session: SessionView };
    expect(offered.session.transfer, JSON.stringify(offered)).toMatchObject({ kind: "librarian", toName: b!.name, fromName: a!.name });

    // Only B is offered it, with the note and who it comes from.
    const offer = await offeredOn(monitorB!, chat.chat.sessionId);
    expect(offer.request.transfer).toMatchObject({ from: { id: a!.id, name: a!.name }, toLibrarianId: b!.id, toName: b!.name, note });
    await settle();
    expect(monitorC!.frames.some(isOffer(chat.chat.sessionId))).toBe(false);
    // The patron is told.
    await systemLine(chat.patron, `You are being transferred to ${b!.name}.`);

    // A third librarian of the same queue cannot take it; A still serves meanwhile.
    const rival = await accept(chat.chat.sessionId, chat.cookies[2]);
    expect(rival.status).toBe(409);
    expect(await errorOf(rival)).toMatchObject({ code: "already_taken" });
    chat.librarian.send({ type: "send", clientId: "l-1", body: "Still here while you wait." });
    await chat.patron.next((f) => f.type === "message" && f.message.body === "Still here while you wait.");

    // B accepts — twice at once: exactly one acceptance.
    const [first, second] = await Promise.all([accept(chat.chat.sessionId, chat.cookies[1]), accept(chat.chat.sessionId, chat.cookies[1])]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    await systemLine(chat.patron, `${b!.name} has joined the chat.`);
    const joined = (await transcriptOf(chat.chat.sessionId, chat.cookies[1]!)).filter((m) => m.body === `${b!.name} has joined the chat.`);
    expect(joined).toHaveLength(1);

    // A's session socket is told and closed; B's monitor row goes.
    expect(await chat.librarian.next((f) => f.type === "status" && f.session.librarian?.id === b!.id)).toBeTruthy();
    expect((await chat.librarian.closed).code).toBe(1008);
    await monitorB!.next((f) => f.type === "request.removed" && f.sessionId === chat.chat.sessionId && f.reason === "accepted");

    // B gets the whole conversation, one sequence from 1, and chats on with the patron.
    const socketB = await librarianSocket(chat.chat.sessionId, chat.cookies[1]!);
    const seen = socketB.frames.flatMap((f) => (f.type === "message" ? [f.message] : []));
    expect(seen.map((m) => m.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.map((m) => m.body)).toEqual(
      expect.arrayContaining(["Where can I find census records?", "Before the transfer.", "Still here while you wait.", `You are being transferred to ${b!.name}.`]),
    );
    socketB.send({ type: "send", clientId: "b-1", body: "Hello, I can help with Ohio." });
    await chat.patron.next((f) => f.type === "message" && f.message.body === "Hello, I can help with Ohio.");

    // A can no longer join or end it; B's and A's open-session lists follow the move.
    expect((await endChat(chat.chat.sessionId, chat.cookie, { resolution: "answered" })).status).toBe(403);
    const mine = async (cookie: string) => ((await (await call("/api/me/sessions", { cookie })).json()) as { sessions: { sessionId: string }[] }).sessions.map((s) => s.sessionId);
    expect(await mine(chat.cookies[1]!)).toContain(chat.chat.sessionId);
    expect(await mine(chat.cookie)).not.toContain(chat.chat.sessionId);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND librarian_id = ?", chat.chat.sessionId, b!.id)).toBe(1);

    // The note is there for librarians, and nowhere the patron or the transcript can see it.
    const notes = await call(`/api/chats/${chat.chat.sessionId}/notes`, { cookie: chat.cookies[1] });
    expect(((await notes.json()) as { notes: { body: string; author: { id: string } }[] }).notes).toEqual([expect.objectContaining({ body: note, author: expect.objectContaining({ id: a!.id }) })]);
    expect(JSON.stringify(chat.patron.frames)).not.toContain(note);

    expect((await endChat(chat.chat.sessionId, chat.cookies[1], { resolution: "answered" })).status).toBe(200);
    const filed = await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND librarian_id = ? AND transcript NOT LIKE ?", chat.chat.sessionId, b!.id, `%${note}%`);
    expect(filed).toBe(1);
    expect(c).toBeDefined();
  });

  it("goes back to the librarian who offered it when declined, cancelled or left unanswered", async () => {
    const chat = await activeChat({ librarians: 2 });
    const [a, b] = chat.librarians;
    const offerToB = async () => {
      const res = await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: b!.id } });
      expect(res.status, await res.clone().text()).toBe(200);
    };

    await offerToB();
    const declined = await call(`/api/chats/${chat.chat.sessionId}/transfer/decline`, { method: "POST", cookie: chat.cookies[1] });
    expect(declined.status).toBe(200);
    await systemLine(chat.patron, `${b!.name} could not take the chat; ${a!.name} is still with you.`);
    await chat.monitors[1]!.next((f) => f.type === "request.removed" && f.sessionId === chat.chat.sessionId && f.reason === "withdrawn");
    expect((await sessionView(chat.chat.sessionId, chat.cookie)).transfer).toBeNull();
    // Declined means declined: B cannot accept it afterwards.
    expect((await accept(chat.chat.sessionId, chat.cookies[1])).status).toBe(409);

    await offerToB();
    // Only the librarian it was offered to may decline; only the one serving may cancel.
    expect((await call(`/api/chats/${chat.chat.sessionId}/transfer/decline`, { method: "POST", cookie: chat.cookie })).status).toBe(403);
    expect((await call(`/api/chats/${chat.chat.sessionId}/transfer/cancel`, { method: "POST", cookie: chat.cookies[1] })).status).toBe(403);
    const cancelled = await call(`/api/chats/${chat.chat.sessionId}/transfer/cancel`, { method: "POST", cookie: chat.cookie });
    expect(cancelled.status).toBe(200);
    await systemLine(chat.patron, `${a!.name} is still with you.`);
    expect((await call(`/api/chats/${chat.chat.sessionId}/transfer/cancel`, { method: "POST", cookie: chat.cookie })).status).toBe(409);

    await offerToB();
    expect(await advanceSession(chat.chat.sessionId, TIMING.transferOfferMs + 1000)).toBe(true);
    await systemLine(chat.patron, `Nobody could take the chat just now; ${a!.name} is still with you.`);
    expect((await sessionView(chat.chat.sessionId, chat.cookie)).transfer).toBeNull();
    expect((await accept(chat.chat.sessionId, chat.cookies[1])).status).toBe(409);
    // Through all of it A kept the chat.
    expect((await sessionView(chat.chat.sessionId, chat.cookie)).librarian?.id).toBe(a!.id);
  });

  it("shows a pending offer again after the new librarian reconnects — to them only", async () => {
    const chat = await activeChat({ librarians: 3 });
    const [, b] = chat.librarians;
    expect((await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: b!.id }, note: "Reconnect check" })).status).toBe(200);
    await offeredOn(chat.monitors[1]!, chat.chat.sessionId);
    const isMine = (f: QueueServerMessage) => f.type === "queue.snapshot" && f.requests.some((r) => r.sessionId === chat.chat.sessionId);
    const againB = await monitorQueue(chat.library.queueId, chat.cookies[1]!);
    expect(againB.frames.some(isMine)).toBe(true);
    const againC = await monitorQueue(chat.library.queueId, chat.cookies[2]!);
    expect(againC.frames.some(isMine)).toBe(false);
    // The queue's public count (what forms and GET /api/queues read) leaves it out too.
    expect((await queueStub(chat.library.queueId).snapshot()).requests).toHaveLength(0);
  });

  it("withdraws the offer when the patron leaves or the librarian ends the chat", async () => {
    const chat = await activeChat({ librarians: 2 });
    const [, b] = chat.librarians;
    expect((await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: b!.id } })).status).toBe(200);
    await offeredOn(chat.monitors[1]!, chat.chat.sessionId);
    chat.patron.send({ type: "leave" });
    await chat.monitors[1]!.next((f) => f.type === "request.removed" && f.sessionId === chat.chat.sessionId);
    expect(await sessionView(chat.chat.sessionId, chat.cookie)).toMatchObject({ status: "patron_left", transfer: null });
    expect((await accept(chat.chat.sessionId, chat.cookies[1])).status).toBe(409);

    const second = await activeChat({ librarians: 2 });
    expect((await transfer(second.chat.sessionId, second.cookie, { to: { kind: "librarian", librarianId: second.librarians[1]!.id } })).status).toBe(200);
    await offeredOn(second.monitors[1]!, second.chat.sessionId);
    expect((await endChat(second.chat.sessionId, second.cookie, { resolution: "answered" })).status).toBe(200);
    await second.monitors[1]!.next((f) => f.type === "request.removed" && f.sessionId === second.chat.sessionId);
    const late = await accept(second.chat.sessionId, second.cookies[1]);
    expect(late.status).toBe(409);
    expect((await errorOf(late)).code).toBe("session_ended");
  });
});

describe("transfer to a queue", () => {
  it("re-offers the chat to every monitor of a cooperative queue; exactly one partner gets it", async () => {
    const home = await createLibrary({ name: "Home Library" });
    const partner = await createLibrary({ name: "Partner Library" });
    const groupId = uniqueId("grp");
    await createGroup(groupId, "Test Cooperative", [home.id, partner.id]);
    const queueId = groupQueueId(groupId);
    const formId = await createForm(home.id);
    const homeLibrarian = await createLibrarian(home.id, "Home Librarian");
    const partners = await Promise.all([createLibrarian(partner.id, "Partner One"), createLibrarian(partner.id, "Partner Two")]);
    const homeCookie = await signIn(homeLibrarian);
    const partnerCookies = await Promise.all(partners.map(signIn));
    const homeMonitor = await monitorQueue(home.queueId, homeCookie);
    const partnerMonitors = await Promise.all(partnerCookies.map((c) => monitorQueue(queueId, c)));

    const chat = await startChat(formId, { name: "Bo" });
    await homeMonitor.next((f) => f.type === "request.added");
    expect((await accept(chat.sessionId, homeCookie)).status).toBe(200);
    const patron = await patronSocket(chat.sessionId, chat.token);
    // Before the transfer, a partner can neither read nor take the chat.
    expect((await call(`/api/chats/${chat.sessionId}/details`, { cookie: partnerCookies[0] })).status).toBe(403);

    const res = await transfer(chat.sessionId, homeCookie, { to: { kind: "queue", queueId }, note: "Needs a university library." });
    expect(res.status, await res.clone().text()).toBe(200);
    const offers = await Promise.all(partnerMonitors.map((m) => offeredOn(m, chat.sessionId)));
    for (const o of offers) expect(o.request.transfer).toMatchObject({ toLibrarianId: null, toName: "Test Cooperative", note: "Needs a university library." });
    await systemLine(patron, "You are being transferred to Test Cooperative.");

    // The librarian who transferred it cannot accept it back.
    const own = await accept(chat.sessionId, homeCookie);
    expect(own.status).toBe(409);
    expect((await errorOf(own)).code).toBe("not_active");

    const outcomes = await Promise.all(partnerCookies.map((c) => accept(chat.sessionId, c)));
    const statuses = outcomes.map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    const winnerIndex = outcomes.findIndex((r) => r.status === 200);
    const loser = outcomes[1 - winnerIndex]!;
    expect(((await loser.json()) as { error: { code: string; takenBy?: string } }).error).toMatchObject({ code: "already_taken", takenBy: partners[winnerIndex]!.name });
    for (const m of partnerMonitors) {
      await m.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId && f.reason === "accepted" && f.by?.id === partners[winnerIndex]!.id);
    }
    // The partner now serves it and may read it (tenancy: the sessions they serve).
    expect((await call(`/api/chats/${chat.sessionId}/details`, { cookie: partnerCookies[winnerIndex] })).status).toBe(200);
    await systemLine(patron, `${partners[winnerIndex]!.name} has joined the chat.`);
    expect((await queueStub(queueId).snapshot()).requests).toHaveLength(0);
  });
});

describe("bad transfers are refused and change nothing", () => {
  it("refuses a librarian who does not serve the chat, unknown targets, bad bodies, and ended chats", async () => {
    const chat = await activeChat({ librarians: 2 });
    const sid = chat.chat.sessionId;
    const [, b] = chat.librarians;
    const before = await snapshotOf(sid, chat.cookie);
    const queueId = chat.library.queueId;

    const cases: { cookie: string | undefined; body: unknown; status: number; code: string; field?: string }[] = [
      // Not serving it (a colleague of the same library).
      { cookie: chat.cookies[1], body: { to: { kind: "queue", queueId } }, status: 403, code: "forbidden" },
      // No sign-in.
      { cookie: undefined, body: { to: { kind: "queue", queueId } }, status: 401, code: "unauthorized" },
      // Unknown librarian, and one who exists but is not monitoring.
      { cookie: chat.cookie, body: { to: { kind: "librarian", librarianId: "nobody-here" } }, status: 404, code: "not_found", field: "to.librarianId" },
      // Oneself.
      { cookie: chat.cookie, body: { to: { kind: "librarian", librarianId: chat.serving.id } }, status: 400, code: "validation_failed", field: "to.librarianId" },
      // Unknown queue, and a queue this librarian does not staff.
      { cookie: chat.cookie, body: { to: { kind: "queue", queueId: "lib:no-such-library" } }, status: 404, code: "not_found", field: "to.queueId" },
      { cookie: chat.cookie, body: { to: { kind: "queue", queueId: "group:someone-elses" } }, status: 404, code: "not_found", field: "to.queueId" },
      // Malformed bodies.
      { cookie: chat.cookie, body: {}, status: 400, code: "validation_failed", field: "to" },
      { cookie: chat.cookie, body: { to: { kind: "desk" } }, status: 400, code: "validation_failed", field: "to.kind" },
      { cookie: chat.cookie, body: { to: { kind: "queue", queueId }, note: "x".repeat(LIMITS.transferNoteChars + 1) }, status: 400, code: "validation_failed", field: "note" },
    ];
    const idle = await createLibrarian(chat.library.id, "Not Monitoring");
    cases.push({ cookie: chat.cookie, body: { to: { kind: "librarian", librarianId: idle.id } }, status: 404, code: "not_found", field: "to.librarianId" });

    for (const c of cases) {
      const res = await transfer(sid, c.cookie!, c.body);
      expect(res.status, `${JSON.stringify(c.body)} → ${await res.clone().text()}`).toBe(c.status);
      const error = await errorOf(res);
      expect(error.code).toBe(c.code);
      if (c.field) expect(error.field).toBe(c.field);
      expect(error.message.length).toBeGreaterThan(5);
    }
    await expectUnchanged(sid, chat.cookie, before, queueId);
    await settle();
    expect(chat.monitors[1]!.frames.some(isOffer(sid))).toBe(false);

    // Only monitor of the queue is the librarian serving: transferring to it finds nobody, and changes nothing.
    const alone = await activeChat({ librarians: 1 });
    const aloneBefore = await snapshotOf(alone.chat.sessionId, alone.cookie);
    const empty = await transfer(alone.chat.sessionId, alone.cookie, { to: { kind: "queue", queueId: alone.library.queueId } });
    expect(empty.status).toBe(404);
    expect(await errorOf(empty)).toMatchObject({ code: "not_found", field: "to.queueId" });
    await expectUnchanged(alone.chat.sessionId, alone.cookie, aloneBefore, alone.library.queueId);

    // A second transfer while one is on offer.
    expect((await transfer(sid, chat.cookie, { to: { kind: "librarian", librarianId: b!.id } })).status).toBe(200);
    const again = await transfer(sid, chat.cookie, { to: { kind: "queue", queueId } });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("not_active");
    expect((await call(`/api/chats/${sid}/transfer/cancel`, { method: "POST", cookie: chat.cookie })).status).toBe(200);

    // After the end.
    expect((await endChat(sid, chat.cookie, { resolution: "answered" })).status).toBe(200);
    const afterEnd = await transfer(sid, chat.cookie, { to: { kind: "librarian", librarianId: b!.id } });
    expect(afterEnd.status).toBe(409);
    expect((await errorOf(afterEnd)).code).toBe("session_ended");

    // An unknown session.
    expect((await transfer(crypto.randomUUID(), chat.cookie, { to: { kind: "queue", queueId } })).status).toBe(404);
  });

  it("refuses to transfer a chat the patron has left (it waits for its codes)", async () => {
    const chat = await activeChat({ librarians: 2 });
    chat.patron.send({ type: "leave" });
    await chat.librarian.next((f) => f.type === "status" && f.session.status === "patron_left");
    const res = await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: chat.librarians[1]!.id } });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe("not_active");
    const messages: ChatMessage[] = await transcriptOf(chat.chat.sessionId, chat.cookie);
    expect(messages.some((m) => m.body.startsWith("You are being transferred"))).toBe(false);
  });

  it("does not offer a transfer to a librarian who is away", async () => {
    const chat = await activeChat({ librarians: 2 });
    chat.monitors[1]!.send({ type: "set_status", status: "away" });
    await chat.monitors[0]!.next(() => monitorsShown(chat.monitors[0]!).some((m) => m.status === "away"));
    const res = await transfer(chat.chat.sessionId, chat.cookie, { to: { kind: "librarian", librarianId: chat.librarians[1]!.id } });
    expect(res.status).toBe(404);
    expect((await sessionView(chat.chat.sessionId, chat.cookie)).transfer).toBeNull();
    const frames: SessionServerMessage[] = chat.patron.frames;
    expect(frames.some((f) => f.type === "message" && f.message.body.startsWith("You are being transferred"))).toBe(false);
  });
});
