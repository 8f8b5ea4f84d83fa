/**
 * A librarian whose sign-in ended keeps no socket: the objects close the
 * sockets opened with that sign-in at once when told (and only those), and
 * re-check every open librarian socket's sign-in periodically, so a lost
 * notice still ends them within TIMING.accessRecheckMs.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { digestToken } from "../../src/auth/tokens";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import { activeChat, advanceQueue, advanceSession, librarianSocket, monitorQueue, queueStub, sessionStub, signIn, staffedLibrary } from "./helpers";

/** The sign-in session key (stored digest) behind a cookie header. */
const keyOf = (cookie: string) => digestToken(/refdesk_session=([^;]+)/.exec(cookie)![1]!);
const revokeInD1 = async (cookie: string) =>
  env.DB.prepare("UPDATE auth_sessions SET revoked_at = ? WHERE token_hash = ?").bind(Date.now(), await keyOf(cookie)).run();

describe("ending a librarian's sign-in", () => {
  it("closes the queue and chat sockets opened with it at once, and leaves their other sign-ins' sockets open", async () => {
    const { chat, cookie, serving, library, librarian } = await activeChat();
    const otherCookie = await signIn(serving);
    const otherMonitor = await monitorQueue(library.queueId, otherCookie);
    const monitor = await monitorQueue(library.queueId, cookie);
    const key = await keyOf(cookie);

    expect(await queueStub(library.queueId).revokeAccess(serving.id, [key])).toEqual({ closed: 2 });
    expect(await sessionStub(chat.sessionId).revokeAccess(serving.id, [key])).toEqual({ closed: 1 });
    expect((await monitor.closed).code).toBe(CLOSE_CODES.accessEnded);
    expect((await librarian.closed).code).toBe(CLOSE_CODES.accessEnded);
    // Still monitoring on the other sign-in, and still present.
    expect(otherMonitor.ws.readyState).toBe(WebSocket.OPEN);
    expect((await queueStub(library.queueId).snapshot()).monitors.map((m) => m.librarianId)).toEqual([serving.id]);
    // The chat stays theirs: signed in again, they rejoin it.
    const back = await librarianSocket(chat.sessionId, otherCookie);
    expect(back.frames[0]).toMatchObject({ type: "welcome", session: { librarian: { id: serving.id } } });
  });

  it("with every sign-in ended, stops counting the librarian as monitoring at once (no grace period)", async () => {
    const { library, librarians } = await staffedLibrary(1);
    expect((await queueStub(library.queueId).revokeAccess(librarians[0]!.id, null)).closed).toBe(1);
    expect(await queueStub(library.queueId).snapshot()).toMatchObject({ monitors: [], staffed: false });
  });

  // The queue re-checks from its presence alarm (every TIMING.staleSocketMs / 2 while monitors are
  // connected), at once after it wakes and then at most every TIMING.accessRecheckMs; the test moves
  // its clock by one presence interval only, so silent test sockets are not also taken for gone.
  it("is noticed by the periodic re-check when no notice came: queue and chat sockets close", async () => {
    const { chat, cookie, library, librarian } = await activeChat();
    const monitor = await monitorQueue(library.queueId, cookie);
    await revokeInD1(cookie);
    await advanceQueue(library.queueId, TIMING.staleSocketMs / 2);
    expect((await monitor.closed).code).toBe(CLOSE_CODES.accessEnded);
    await advanceSession(chat.sessionId, TIMING.accessRecheckMs + 1_000);
    expect((await librarian.closed).code).toBe(CLOSE_CODES.accessEnded);
  });

  it("leaves live sign-ins alone at the re-check", async () => {
    const { chat, cookie, library, librarian } = await activeChat();
    const monitor = await monitorQueue(library.queueId, cookie);
    await advanceQueue(library.queueId, TIMING.staleSocketMs / 2);
    await advanceSession(chat.sessionId, TIMING.accessRecheckMs + 1_000);
    expect(monitor.ws.readyState).toBe(WebSocket.OPEN);
    expect(librarian.ws.readyState).toBe(WebSocket.OPEN);
  });
});
