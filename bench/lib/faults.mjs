// The fault run: many chat sessions exchange messages through the real client
// (SessionConnection) while sockets are cut at random without a close frame,
// the Worker's code is reloaded, the runtime is killed with SIGKILL and
// restarted on the same persisted state, and everything goes quiet long enough
// for the objects to hibernate. A SessionChecker per session records every ack
// and every displayed list; at the end they are compared with the stored logs.
import { accept, forEachLimited, transcript } from "./http.mjs";
import { createWaitingChats, monitoringLibrarians } from "./load-scenarios.mjs";
import { SessionChecker, summarizeCheckers } from "./checker.mjs";
import { loadSessionConnection, tappedWebSocket } from "./client.mjs";
import { wsUrl } from "./socket.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const range = (n) => Array.from({ length: n }, (_, i) => i);
const between = (lo, hi) => lo + Math.random() * (hi - lo);

/**
 * Opens a patron's and a librarian's SessionConnection for one accepted chat,
 * wired to `checker`. Returns both, each with `current()` (its live socket).
 */
export function connectPair(base, SessionConnection, checker, chat, cookie) {
  const make = (name, url, headers, token) => {
    const rec = checker.client(name);
    let socket = null;
    const Impl = tappedWebSocket({
      headers,
      onSocket: (ws) => {
        socket = ws;
        checker.onSocketOpened(rec, ws);
      },
      onFrame: (ws, frame, at) => checker.onFrame(rec, ws, frame, at),
    });
    const conn = new SessionConnection({ url, token, WebSocketImpl: Impl, onChange: (snap) => checker.onShown(rec, snap.messages) });
    rec.connection = conn;
    return {
      rec,
      conn,
      current: () => socket,
      send(body) {
        const clientId = conn.send(body);
        checker.sent.set(clientId, { body, by: name });
        return clientId;
      },
    };
  };
  const patron = make("patron", wsUrl(base, `/api/chats/${chat.sessionId}/socket`), {}, chat.token);
  const librarian = make("librarian", wsUrl(base, `/api/chats/${chat.sessionId}/socket?as=librarian`), { Cookie: cookie, Origin: base }, undefined);
  return { patron, librarian };
}

/** True once both clients are connected and have nothing unacknowledged. */
const settled = (pair) => [pair.patron, pair.librarian].every((s) => s.conn.current.connection === "open" && s.conn.current.pending.length === 0);

/**
 * Runs the fault suite. `faults` lists the scheduled events, each at a share
 * of the sending window: { at: 0.3, kind: "reload" | "kill-runtime" | "idle", ms? }.
  *
 * @param {any} server a bench server (startBenchServer)
 * @param {{ sessions: number, messagesPerSession: number, sendWindowMs: number, librarians?: number, killEveryMs?: [number, number], killAtOnce?: [number, number], faults?: { at: number, kind: "reload" | "kill-runtime" | "idle", ms?: number }[], drainMs?: number, libraryId?: string, log?: (line: string) => void }} options
 * @returns {Promise<any>}
 */
export async function faultRun(server, { sessions, messagesPerSession, sendWindowMs, librarians = 10, killEveryMs = [500, 5000], killAtOnce = [1, 5], faults = [], drainMs = 90_000, libraryId = "bench-faults", log = () => {} }) {
  const base = server.base;
  const SessionConnection = await loadSessionConnection();
  const { cookies, monitors } = await monitoringLibrarians(base, libraryId, librarians);
  const chats = await createWaitingChats(base, libraryId, sessions, `faults-${Date.now()}`);
  await forEachLimited(range(sessions), 8, async (i) => {
    const res = await accept(base, chats[i].sessionId, cookies[i % librarians]);
    if (res.status !== 200) throw new Error(`accept ${i}: ${res.status} ${JSON.stringify(res.body)}`);
  });
  // The queue only had to be staffed while the chats started.
  for (const m of monitors) m.close(1000);

  const serverDown = [];
  const checkers = chats.map((c) => new SessionChecker(c.sessionId, serverDown));
  const pairs = chats.map((c, i) => connectPair(base, SessionConnection, checkers[i], c, cookies[i % librarians]));
  const t0 = performance.now();
  const waitAll = async (pred, ms, what) => {
    const deadline = performance.now() + ms;
    while (!pairs.every(pred)) {
      if (performance.now() > deadline) throw new Error(`timed out: ${what} (${pairs.filter((p) => !pred(p)).length} sessions not there)`);
      await sleep(50);
    }
  };
  await waitAll(settled, 30_000, "every client connected");

  const events = [];
  const note = (kind, detail = {}) => {
    events.push({ kind, atMs: Math.round(performance.now() - t0), ...detail });
    log(`${kind} ${JSON.stringify(detail)}`);
  };
  let paused = false;
  let done = false;
  let activeMs = 0;
  const gap = sendWindowMs / messagesPerSession;
  const nextMessage = Array.from({ length: sessions }, () => 0);
  // Each session's k-th message is due at k × gap (+ its own phase) of active sending time.
  const phase = range(sessions).map(() => Math.random() * gap);

  const sender = (async () => {
    let last = performance.now();
    while (nextMessage.some((k) => k < messagesPerSession)) {
      await sleep(10);
      const now = performance.now();
      if (!paused) activeMs += now - last;
      last = now;
      if (paused) continue;
      for (const i of range(sessions)) {
        while (nextMessage[i] < messagesPerSession && phase[i] + nextMessage[i] * gap <= activeMs) {
          const k = nextMessage[i]++;
          const from = k % 2 === 0 ? pairs[i].patron : pairs[i].librarian;
          from.send(`faults s${i} m${k} from ${k % 2 === 0 ? "patron" : "librarian"}`);
        }
      }
    }
  })();

  let kills = 0;
  const chaos = (async () => {
    while (!done) {
      await sleep(between(...killEveryMs));
      if (done || paused) continue;
      const n = Math.round(between(...killAtOnce));
      for (let j = 0; j < n; j++) {
        const pair = pairs[Math.floor(Math.random() * pairs.length)];
        const side = Math.random() < 0.5 ? pair.patron : pair.librarian;
        const ws = side.current();
        if (ws && ws.readyState === 1) {
          ws.terminate();
          kills++;
        }
      }
    }
  })();

  const scheduled = (async () => {
    for (const f of [...faults].sort((a, b) => a.at - b.at)) {
      while (activeMs < f.at * sendWindowMs) await sleep(20);
      if (f.kind === "reload") {
        note("code reload: start");
        const down = [performance.now(), Infinity];
        serverDown.push(down);
        const r = await server.reloadCode();
        down[1] = performance.now();
        note("code reload: new runtime answers", { ...r, downMs: Math.round(down[1] - down[0]) });
      } else if (f.kind === "kill-runtime") {
        note("kill -9 runtime workerd: start");
        const down = [performance.now(), Infinity];
        serverDown.push(down);
        const r = await server.killRuntime();
        down[1] = performance.now();
        note("runtime restarted on the same state", { ...r, downMs: Math.round(down[1] - down[0]) });
      } else if (f.kind === "idle") {
        // Nothing is sent and no socket is cut: workerd evicts objects idle for 10 s
        // (pings are answered without waking them), so the sessions hibernate mid-chat.
        note("idle: start", { ms: f.ms });
        paused = true;
        await sleep(f.ms);
        paused = false;
        note("idle: end");
      }
    }
  })();

  await Promise.all([sender, scheduled]);
  done = true;
  await chaos;
  note("all messages handed to the clients", { kills });

  // Drain: every client reconnected with nothing unacknowledged, then showing all that is stored.
  await waitAll(settled, drainMs, "every send acknowledged");
  const stored = Array.from({ length: sessions });
  await forEachLimited(range(sessions), 8, async (i) => {
    stored[i] = await transcript(base, chats[i].sessionId, cookies[i % librarians]);
  });
  const caughtUp = (i) => [pairs[i].patron, pairs[i].librarian].every((s) => (s.rec.shown.at(-1)?.seq ?? 0) >= stored[i].at(-1).seq);
  const deadline = performance.now() + 30_000;
  while (!range(sessions).every(caughtUp) && performance.now() < deadline) await sleep(50);
  note("drained");
  for (const p of pairs) {
    p.patron.conn.close();
    p.librarian.conn.close();
  }
  checkers.forEach((ch, i) => ch.verify(stored[i]));
  return { ...summarizeCheckers(checkers), socketsCut: kills, events, storedMessages: stored.reduce((a, s) => a + s.length, 0) };
}
