// WebSockets for the benchmarks, on the `ws` package: unlike Node's built-in
// WebSocket it can send the Cookie and Origin headers a browser would, and it
// can drop the TCP connection without a close frame (`terminate`).
import WebSocket from "ws";

/** ws:// URL of a path on `base`. */
export function wsUrl(base, path) {
  return base.replace(/^http/, "ws") + path;
}

/** How often real clients ping (src/shared/limits.ts TIMING.pingIntervalMs); a socket silent for 35 s is closed as dead. */
const PING_INTERVAL_MS = 10_000;

/**
 * Opens a socket and resolves once it is open (rejects on refusal, with the
 * HTTP status). `onFrame(frame, receivedAt)` sees every parsed JSON frame;
 * unless `keep` is false, frames are also kept in `frames` for `next`. Like
 * the real clients it pings every 10 s (first ping at a random point, so a
 * thousand sockets do not ping at once), unless `ping` is false.
 */
export function openSocket(url, { cookie, origin, onFrame, keep = true, ping = true, timeoutMs = 15_000 } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (origin) headers.Origin = origin;
  const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
  const socket = {
    ws,
    frames: [],
    closed: null,
    waiters: new Set(),
    send(frame) {
      ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    },
    /** Resolves with the first frame (from index `from`) that matches, or rejects after `timeoutMs`. */
    next(predicate, timeoutMs = 10_000, from = 0) {
      const found = socket.frames.slice(from).find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve, reject, timer: null };
        waiter.timer = setTimeout(() => {
          socket.waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms (${socket.frames.length} frames, closed ${JSON.stringify(socket.closed)})`));
        }, timeoutMs);
        socket.waiters.add(waiter);
      });
    },
    /**
     * Sends a chat message and resolves with its answer (the ack, or an error
     * frame). Like the real client, a message refused as too fast
     * (`rate_limited`) is sent again when the server says.
     */
    async sendChat(clientId, body, timeoutMs = 10_000) {
      for (;;) {
        const from = socket.frames.length;
        socket.send({ type: "send", clientId, body });
        const answer = await socket.next((f) => (f.type === "ack" && f.clientId === clientId) || (f.type === "error" && (!f.clientId || f.clientId === clientId)), timeoutMs, from);
        if (answer.type !== "error" || answer.code !== "rate_limited" || !answer.clientId) return answer;
        await new Promise((r) => setTimeout(r, answer.retryAfterMs ?? 1000));
      }
    },
    closeWaiters: new Set(),
    /** Resolves with {code, reason} once closed. */
    whenClosed(timeoutMs = 10_000) {
      if (socket.closed) return Promise.resolve(socket.closed);
      return new Promise((resolve, reject) => {
        const waiter = { resolve, timer: null };
        waiter.timer = setTimeout(() => {
          socket.closeWaiters.delete(waiter);
          reject(new Error(`socket not closed within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.closeWaiters.add(waiter);
      });
    },
    /** Drops the TCP connection without a close frame, as a dead network does. */
    kill() {
      ws.terminate();
    },
    close(code = 1000, reason = "done") {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    },
  };
  ws.on("message", (data, isBinary) => {
    const receivedAt = performance.now();
    if (isBinary) return;
    const text = data.toString();
    if (text === "pong") return;
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = { type: "unparseable", text };
    }
    onFrame?.(frame, receivedAt);
    if (!keep) return;
    socket.frames.push(frame);
    // Deleting the entry being visited is safe while iterating a Set.
    for (const w of socket.waiters) {
      if (w.predicate(frame)) {
        clearTimeout(w.timer);
        socket.waiters.delete(w);
        w.resolve(frame);
      }
    }
  });
  let pinger = null;
  if (ping) {
    ws.once("open", () => {
      pinger = setTimeout(function tick() {
        if (ws.readyState === WebSocket.OPEN) ws.send("ping");
        pinger = setTimeout(tick, PING_INTERVAL_MS);
      }, Math.random() * PING_INTERVAL_MS);
    });
  }
  ws.on("close", (code, reason) => {
    clearTimeout(pinger);
    socket.closed = { code, reason: reason.toString() };
    for (const w of socket.closeWaiters) {
      clearTimeout(w.timer);
      w.resolve(socket.closed);
    }
    socket.closeWaiters.clear();
  });
  ws.on("error", () => {
    // Every error ends in a close event, which `closed` records (and which rejects the open below).
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        const err = new Error(`upgrade refused: ${res.statusCode} ${body}`);
        err.status = res.statusCode;
        err.body = body;
        reject(err);
        ws.terminate();
      });
    });
    ws.once("close", (code) => reject(new Error(`socket closed before it opened (${code})`)));
  });
}

/** A patron's session socket, past hello: resolves with the socket once welcomed. */
export async function patronSocket(base, sessionId, token, { lastSeq = 0, ...opts } = {}) {
  const s = await openSocket(wsUrl(base, `/api/chats/${sessionId}/socket`), opts);
  s.send({ type: "hello", token, lastSeq });
  if (opts.keep !== false) await s.next((f) => f.type === "welcome" || f.type === "error");
  return s;
}

/** A librarian's session socket (cookie + our Origin), past hello. */
export async function librarianSocket(base, sessionId, cookie, { lastSeq = 0, ...opts } = {}) {
  const s = await openSocket(wsUrl(base, `/api/chats/${sessionId}/socket?as=librarian`), { cookie, origin: base, ...opts });
  s.send({ type: "hello", lastSeq });
  if (opts.keep !== false) await s.next((f) => f.type === "welcome" || f.type === "error");
  return s;
}

/** A librarian monitoring a queue; resolves after the snapshot arrived. */
export async function monitorSocket(base, queueId, cookie, opts = {}) {
  const s = await openSocket(wsUrl(base, `/api/queues/${queueId}/socket`), { cookie, origin: base, ...opts });
  if (opts.keep !== false) await s.next((f) => f.type === "queue.snapshot");
  return s;
}
