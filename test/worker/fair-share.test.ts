/**
 * Fair share on sockets: every frame type has an allowance per author, every
 * socket an allowance of frames of any kind; what goes over is refused
 * (once per run) and changes nothing, and a socket that keeps flooding is
 * closed and its author kept out for a while.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { FRAME_RATES, SOCKET_FRAME_RATE } from "../../src/shared/limits";
import { activeChat, endChat, monitorQueue, patronSocket, queueStub, sessionStub, settle, upgrade } from "./helpers";

const stateOf = (sessionId: string) => runInDurableObject(sessionStub(sessionId), (_obj, state) => state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'state'").one().value);

describe("fair share", () => {
  it("takes a state-changing frame only within its allowance: the rest are refused once, with a retry time, and change nothing", async () => {
    const { chat, patron } = await activeChat({ patron: { email: "pat@patron.test" } });
    const { burst } = FRAME_RATES.transcript;
    const from = patron.frames.length;
    for (let i = 0; i < burst + 30; i++) patron.send({ type: "transcript", send: i % 2 === 0 });
    await patron.nextFrom((f) => f.type === "error" && f.code === "rate_limited", from);
    await settle(200);
    const after = patron.frames.slice(from);
    expect(after.filter((f) => f.type === "transcript")).toHaveLength(burst);
    const refusals = after.filter((f) => f.type === "error");
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ code: "rate_limited", retryAfterMs: expect.any(Number) });
    // What is stored is what the last allowed frame said.
    const stored = JSON.parse(await stateOf(chat.sessionId)) as { transcriptOptOut: boolean };
    expect(stored.transcriptOptOut).toBe((burst - 1) % 2 !== 0);
  });

  it("drops frames past a socket's allowance unread, and closes a socket that keeps flooding; its author waits before reconnecting", async () => {
    const { chat, librarian } = await activeChat();
    const flooder = await patronSocket(chat.sessionId, chat.token);
    for (let i = 0; i < SOCKET_FRAME_RATE.burst + SOCKET_FRAME_RATE.closeAfterDropped + 50; i++) flooder.send("{not json");
    expect((await flooder.closed).code).toBe(CLOSE_CODES.policy);
    // Malformed frames within the allowance (the burst, and what refilled while the flood lasted) were answered; past it, one notice and then silence.
    const errors = flooder.frames.filter((f) => f.type === "error");
    expect(errors.filter((f) => f.code === "bad_json").length).toBeLessThanOrEqual(SOCKET_FRAME_RATE.burst + SOCKET_FRAME_RATE.perSecond);
    expect(errors.filter((f) => f.code === "rate_limited")).toHaveLength(1);
    // The patron cannot come straight back…
    expect((await upgrade(`/api/chats/${chat.sessionId}/socket`)).status).toBe(429);
    // …the librarian was never affected…
    expect(librarian.ws.readyState).toBe(WebSocket.OPEN);
    // …and after the cool-down the patron reconnects.
    await runInDurableObject(sessionStub(chat.sessionId), (obj) => obj.clock.advance(SOCKET_FRAME_RATE.cooldownMs + 1));
    const back = await patronSocket(chat.sessionId, chat.token);
    expect(back.frames[0]).toMatchObject({ type: "welcome" });
  });

  it("limits a monitor's status changes on the queue socket too", async () => {
    const { library, cookie } = await activeChat();
    const monitor = await monitorQueue(library.queueId, cookie);
    const from = monitor.frames.length;
    for (let i = 0; i < FRAME_RATES.set_status.burst + 20; i++) monitor.send({ type: "set_status", status: i % 2 ? "busy" : "online" });
    await monitor.nextFrom((f) => f.type === "error" && f.code === "rate_limited", from);
    await settle(200);
    expect(monitor.frames.slice(from).filter((f) => f.type === "error")).toHaveLength(1);
    expect((await queueStub(library.queueId).snapshot()).monitors).toHaveLength(1);
  });

  it("closes a socket that reconnects to an ended chat with 4000, after the welcome and the whole log", async () => {
    const { chat, cookie } = await activeChat();
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [] })).status).toBe(200);
    const late = await patronSocket(chat.sessionId, chat.token);
    expect(late.frames[0]).toMatchObject({ type: "welcome", session: { status: "ended" } });
    expect((await late.closed).code).toBe(CLOSE_CODES.sessionEnded);
    expect(late.frames.filter((f) => f.type === "message").length).toBeGreaterThan(1);
  });
});
