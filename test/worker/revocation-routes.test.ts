/**
 * Revocation is immediate, through the real routes: signing out, revoking a
 * listed session, signing someone out everywhere, changing or resetting a
 * password and changing a role each close the librarian's affected queue and
 * chat sockets with CLOSE_CODES.accessEnded before the request has answered
 * (the objects' periodic re-check runs far later), and leave every other
 * socket open: their other sign-ins', their colleagues' and the patron's.
 */
import { describe, expect, it } from "vitest";
import { digestToken } from "../../src/auth/tokens";
import { groupQueueId } from "../../src/queues/queue-ids";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { TIMING } from "../../src/shared/limits";
import { activeChat, call, createGroup, librarianSocket, monitorQueue, settle, signIn, uniqueId, type TestSocket } from "./helpers";
import { accountLinkMailedTo, admin, goodPassword, json, postSetPassword, signedIn } from "./admin-helpers";

/** Well inside the request's own time, and far from any periodic re-check (TIMING.accessRecheckMs). */
const AT_ONCE_MS = 1_000;

async function closedAtOnce(socket: Pick<TestSocket<unknown>, "closed">): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${AT_ONCE_MS} ms`)), AT_ONCE_MS));
  return (await Promise.race([socket.closed, timeout])).code;
}

async function expectOpen(...sockets: Pick<TestSocket<unknown>, "ws">[]): Promise<void> {
  await settle(100);
  for (const s of sockets) expect(s.ws.readyState).toBe(WebSocket.OPEN);
}

/**
 * A librarian serving a chat, signed in twice: sign-in A holds the chat socket
 * and monitors the library's queue and its cooperative's; sign-in B monitors
 * the library's queue. A colleague monitors too.
 */
async function twoSignIns() {
  const chat = await activeChat({ librarians: 2 });
  const groupId = uniqueId("grp");
  await createGroup(groupId, "Cooperative", [chat.library.id]);
  const groupMonitorA = await monitorQueue(groupQueueId(groupId), chat.cookie);
  const cookieB = await signIn(chat.serving);
  const monitorB = await monitorQueue(chat.library.queueId, cookieB);
  return {
    ...chat,
    cookieA: chat.cookie,
    cookieB,
    onA: { monitor: chat.monitors[0]!, groupMonitor: groupMonitorA, chat: chat.librarian },
    monitorB,
    colleague: chat.monitors[1]!,
  };
}

const keyOf = (cookie: string) => digestToken(cookie.slice(cookie.indexOf("=") + 1));

describe("ending one sign-in", () => {
  it("signing out (POST /api/auth/sign-out) closes that sign-in's queue and chat sockets at once, and no other", async () => {
    const s = await twoSignIns();
    expect(TIMING.accessRecheckMs).toBeGreaterThan(AT_ONCE_MS * 10);
    expect((await call("/api/auth/sign-out", { method: "POST", cookie: s.cookieA })).status).toBe(200);
    expect(await closedAtOnce(s.onA.monitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.groupMonitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.chat)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.monitorB, s.colleague, s.patron);
    // Still serving the chat: on the other sign-in they rejoin it.
    const back = await librarianSocket(s.chat.sessionId, s.cookieB);
    expect(back.frames[0]).toMatchObject({ type: "welcome", session: { librarian: { id: s.serving.id } } });
  });

  it("the sign-in page's sign-out (POST /logout) does the same", async () => {
    const s = await twoSignIns();
    const res = await call("/logout", { method: "POST", cookie: s.cookieA, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(await closedAtOnce(s.onA.monitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.chat)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.monitorB, s.colleague, s.patron);
  });

  it("revoking one of my listed sessions closes that session's sockets at once, not this one's", async () => {
    const s = await twoSignIns();
    const res = await admin(`/account/sessions/${await keyOf(s.cookieA)}/revoke`, s.cookieB, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await closedAtOnce(s.onA.monitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.groupMonitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.chat)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.monitorB, s.colleague, s.patron);
  });

  it("changing my password closes every other sign-in's sockets at once; this sign-in's stay open", async () => {
    const s = await twoSignIns();
    const password = goodPassword();
    const res = await admin("/account/password", s.cookieB, { method: "POST", json: { current: s.serving.password, password, confirm: password } });
    expect(res.status).toBe(200);
    expect(await closedAtOnce(s.onA.monitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.groupMonitor)).toBe(CLOSE_CODES.accessEnded);
    expect(await closedAtOnce(s.onA.chat)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.monitorB, s.colleague, s.patron);
    expect((await call("/api/auth/me", { cookie: s.cookieB })).status).toBe(200);
  });
});

describe("ending every sign-in of a librarian", () => {
  it("an administrator signing them out everywhere closes all their sockets at once, and nobody else's", async () => {
    const s = await twoSignIns();
    const boss = await signedIn(s.library.id, "library_admin");
    const res = await admin(`/libraries/${s.library.id}/librarians/${s.serving.id}/sessions/revoke`, boss.cookie, { method: "POST" });
    expect(await json(res)).toEqual({ revoked: 2 });
    for (const socket of [s.onA.monitor, s.onA.groupMonitor, s.onA.chat, s.monitorB]) expect(await closedAtOnce(socket)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.colleague, s.patron);
  });

  it("a password reset through a mailed link closes all their sockets at once", async () => {
    const s = await twoSignIns();
    const boss = await signedIn(s.library.id, "library_admin");
    expect((await admin(`/libraries/${s.library.id}/librarians/${s.serving.id}/password-reset`, boss.cookie, { method: "POST" })).status).toBe(200);
    const { path } = await accountLinkMailedTo(s.serving.email);
    expect((await postSetPassword(path, goodPassword())).status).toBe(303);
    for (const socket of [s.onA.monitor, s.onA.groupMonitor, s.onA.chat, s.monitorB]) expect(await closedAtOnce(socket)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.colleague, s.patron);
  });

  it("a role change closes all their sockets at once, so they come back with the new role; their sign-ins stay valid", async () => {
    const s = await twoSignIns();
    const boss = await signedIn(s.library.id, "library_admin");
    const res = await admin(`/libraries/${s.library.id}/librarians/${s.serving.id}/role`, boss.cookie, { method: "PUT", json: { role: "library_admin" } });
    expect(res.status).toBe(200);
    for (const socket of [s.onA.monitor, s.onA.groupMonitor, s.onA.chat, s.monitorB]) expect(await closedAtOnce(socket)).toBe(CLOSE_CODES.accessEnded);
    await expectOpen(s.colleague, s.patron);
    // Reconnecting works on the same sign-in, now as an administrator.
    await monitorQueue(s.library.queueId, s.cookieA);
    expect(await json(await call("/api/auth/me", { cookie: s.cookieB }))).toMatchObject({ librarian: { role: "library_admin" } });
  });

  it("an unchanged role closes nothing", async () => {
    const s = await twoSignIns();
    const boss = await signedIn(s.library.id, "library_admin");
    expect((await admin(`/libraries/${s.library.id}/librarians/${s.serving.id}/role`, boss.cookie, { method: "PUT", json: { role: "librarian" } })).status).toBe(200);
    await expectOpen(s.onA.monitor, s.onA.groupMonitor, s.onA.chat, s.monitorB, s.colleague, s.patron);
  });
});
