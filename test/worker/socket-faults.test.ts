/**
 * A fault while an object handles a frame is never silent: the sender gets an
 * `internal` error frame (no details) and the socket closes with 1011, so the
 * client reconnects to a fresh start; a handler that works answers as usual.
 */
import { describe, expect, it } from "vitest";
import { answeringFaults } from "../../durable-objects/shared/sockets";
import { CLOSE_CODES } from "../../src/shared/close-codes";

function pair() {
  const p = new WebSocketPair();
  const [client, server] = [p[0], p[1]];
  server.accept();
  client.accept();
  const frames: unknown[] = [];
  client.addEventListener("message", (e) => frames.push(JSON.parse(String(e.data))));
  const closed = new Promise<number>((resolve) => client.addEventListener("close", (e) => resolve(e.code)));
  return { client, server, frames, closed };
}

describe("a frame handler that fails", () => {
  it("answers internal without details and closes with 1011", async () => {
    const { server, frames, closed } = pair();
    await answeringFaults(server, { sessionId: "s-1" }, () => {
      throw new Error("secret detail: ada@patron.test");
    });
    expect(await closed).toBe(CLOSE_CODES.internal);
    expect(frames).toEqual([{ type: "error", code: "internal", message: expect.any(String) }]);
    expect(JSON.stringify(frames)).not.toContain("secret");
  });

  it("leaves a working handler alone", async () => {
    const { server, frames } = pair();
    await answeringFaults(server, {}, () => server.send(JSON.stringify({ type: "ok" })));
    await new Promise((r) => setTimeout(r, 20));
    expect(frames).toEqual([{ type: "ok" }]);
    expect(server.readyState).toBe(WebSocket.OPEN);
  });
});
