/** Monitor sockets on a queue object, opened and closed by the in-workerd drivers. */
import { env } from "cloudflare:test";
import { IDENTITY_HEADERS, type LibrarianRef } from "../../src/objects/contracts";

/**
 * Opens a monitor socket on `queueId`'s object, as the Worker's route does
 * after its checks (with `signIn`, the sign-in the queue re-checks in D1);
 * resolves once its snapshot came. `onFrame` sees every text frame.
 */
export async function joinQueue(queueId: string, librarian: LibrarianRef, opts: { signIn?: string; onFrame?: (data: string, at: number) => void } = {}): Promise<WebSocket> {
  const headers: Record<string, string> = { Upgrade: "websocket", [IDENTITY_HEADERS.librarian]: JSON.stringify(librarian), [IDENTITY_HEADERS.queue]: queueId };
  if (opts.signIn) headers[IDENTITY_HEADERS.signIn] = opts.signIn;
  const res = await (env as unknown as Env).REQUEST_QUEUE.getByName(queueId).fetch("https://bench.invalid/", { headers });
  const ws = res.webSocket;
  if (!ws) throw new Error(`join refused: ${res.status} ${await res.text()}`);
  const snapshot = new Promise<void>((resolve) =>
    ws.addEventListener("message", (e) => {
      if (typeof e.data !== "string") return;
      if (e.data.startsWith('{"type":"queue.snapshot"')) resolve();
      opts.onFrame?.(e.data, Date.now());
    }),
  );
  ws.accept();
  await snapshot;
  return ws;
}

/** Closes a socket and waits for the object's answering close (at most 10 s: a socket already closed answers nothing). */
export function closeAndWait(ws: WebSocket, code = 1000): Promise<void> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no close from the object within 10 s")), 10_000);
    ws.addEventListener("close", () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(code, "bench");
  });
}
