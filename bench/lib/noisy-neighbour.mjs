// The noisy neighbour: normal chats next to one patron who floods one frame
// type after another as fast as the socket takes them, waiting and chatting.
// Other chats' patron→librarian delivery is measured in every window of the
// same run — quiet windows between the floods are the baseline — so the ratio
// says what one client can cost everyone else, on this machine, now.
import WebSocket from "ws";
import { accept, forEachLimited, startChat } from "./http.mjs";
import { bodyOf, createWaitingChats, monitoringLibrarians } from "./load-scenarios.mjs";
import { benchFormId } from "./seed.mjs";
import { librarianSocket, patronSocket } from "./socket.mjs";
import { summarize } from "./stats.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** Every frame a patron can send, as a flood; `state` is the chat the flooder is in. */
export const FLOODS = [
  { name: "send", state: "active", frame: (i) => ({ type: "send", clientId: `flood-${i}`, body: `flood ${i}` }) },
  { name: "typing", state: "active", frame: (i) => ({ type: "typing", active: i % 2 === 0 }) },
  { name: "transcript", state: "active", frame: (i) => ({ type: "transcript", send: i % 2 === 0, email: "flood@patron.example" }) },
  { name: "capabilities", state: "active", frame: (i) => ({ type: "capabilities", report: { framing: i % 2 === 0, popups: "unknown", qwidget: false, cobrowseSupported: false, narrow: false } }) },
  { name: "hello", state: "active", frame: () => ({ type: "hello", lastSeq: 0 }), withToken: true },
  { name: "cobrowse.request", state: "active", frame: () => ({ type: "cobrowse.request" }) },
  { name: "cobrowse.decline", state: "active", frame: () => ({ type: "cobrowse.decline" }) },
  { name: "cobrowse.stop", state: "active", frame: () => ({ type: "cobrowse.stop" }) },
  { name: "cobrowse.point", state: "active", frame: (i) => ({ type: "cobrowse.point", target: { nodeId: i % 100, x: i % 500, y: i % 300 } }) },
  { name: "cobrowse.navigate", state: "active", frame: (i) => ({ type: "cobrowse.navigate", url: `https://library.example/p${i}` }) },
  { name: "cobrowse.resync", state: "active", frame: () => ({ type: "cobrowse.resync" }) },
  { name: "leave", state: "active", frame: () => ({ type: "leave" }) },
  { name: "malformed JSON", state: "active", frame: (i) => `{"type":"send","clientId":"x${i}"` },
  { name: "oversized frame", state: "active", frame: (i) => JSON.stringify({ type: "send", clientId: `big-${i}`, body: "x".repeat(17_000) }) },
  { name: "send (waiting)", state: "waiting", frame: (i) => ({ type: "send", clientId: `wflood-${i}`, body: `flood ${i}` }) },
  { name: "typing (waiting)", state: "waiting", frame: (i) => ({ type: "typing", active: i % 2 === 0 }) },
  { name: "transcript (waiting)", state: "waiting", frame: (i) => ({ type: "transcript", send: i % 2 === 0, email: "flood@patron.example" }) },
];

/**
 * One patron flooding `flood` on their chat's socket: frames as fast as the
 * socket's send buffer drains, reconnecting (and saying hello again) whenever
 * the server closes the socket, until `stop()`.
 */
function flooder(base, chat, flood) {
  let running = true;
  let sent = 0;
  let reconnects = 0;
  let refusedUpgrades = 0;
  const closes = {};
  const answers = {};
  const loop = (async () => {
    while (running) {
      let socket;
      try {
        socket = await patronSocket(base, chat.sessionId, chat.token, {
          keep: false,
          ping: false,
          onFrame: (f) => {
            const key = f.type === "error" ? `error:${f.code}` : f.type;
            answers[key] = (answers[key] ?? 0) + 1;
          },
        });
      } catch (error) {
        refusedUpgrades += error.status === 429 ? 1 : 0;
        await sleep(100);
        continue;
      }
      reconnects++;
      const ws = socket.ws;
      await new Promise((done) => {
        ws.once("close", (code) => {
          closes[code] = (closes[code] ?? 0) + 1;
          done();
        });
        const pump = () => {
          if (!running || ws.readyState !== WebSocket.OPEN) {
            if (!running) ws.close(1000);
            return;
          }
          // As fast as the connection takes them: fill the send buffer, then wait for it to drain.
          while (ws.bufferedAmount < 256 * 1024 && ws.readyState === WebSocket.OPEN) {
            const f = flood.frame(sent);
            const frame = flood.withToken ? { ...f, token: chat.token } : f;
            ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
            sent++;
          }
          setTimeout(pump, 1);
        };
        pump();
      });
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { sent, connections: reconnects, refusedUpgrades, closes, answers };
    },
  };
}

/**
 * Runs the noisy-neighbour scenario: `sessions` normal chats sending
 * `bodyBytes` every `intervalMs`, and one flooder per entry of `floods`, each
 * for `floodMs`, with `quietMs` of normal traffic alone before each.
 *
 * @param {string} base
 * @param {{ sessions: number, librarians: number, floods?: typeof FLOODS, floodMs: number, quietMs: number, intervalMs?: number, bodyBytes?: number, warmupMs?: number, libraryId?: string, log?: (s: string) => void }} options
 */
export async function noisyNeighbourScenario(base, { sessions, librarians, floods = FLOODS, floodMs, quietMs, intervalMs = 5000, bodyBytes = 500, warmupMs = 5000, libraryId = "bench-noisy", log = () => {} }) {
  const label = `noisy-${Date.now()}`;
  const { cookies, monitors } = await monitoringLibrarians(base, libraryId, librarians + 1);
  const chats = await createWaitingChats(base, libraryId, sessions, label);
  await forEachLimited(range(sessions), 8, async (i) => {
    const res = await accept(base, chats[i].sessionId, cookies[i % librarians]);
    if (res.status !== 200) throw new Error(`accept of chat ${i} failed: ${res.status}`);
  });
  const sentAt = new Map();
  const delivered = new Map();
  const errors = [];
  const pairs = [];
  await forEachLimited(range(sessions), 10, async (i) => {
    const patron = await patronSocket(base, chats[i].sessionId, chats[i].token, {
      keep: false,
      onFrame: (f) => {
        if (f.type === "error") errors.push({ who: `patron ${i}`, code: f.code });
      },
    });
    const librarian = await librarianSocket(base, chats[i].sessionId, cookies[i % librarians], {
      keep: false,
      onFrame: (f, at) => {
        const id = f.type === "message" ? f.message.clientId : null;
        if (id && sentAt.has(id) && !delivered.has(id)) delivered.set(id, at - sentAt.get(id));
      },
    });
    pairs[i] = { patron, librarian };
  });
  await sleep(500);

  // Normal traffic for the whole run.
  let running = true;
  const t0 = performance.now();
  const timers = [];
  for (const i of range(sessions)) {
    let k = 0;
    const phase = (i / sessions) * intervalMs;
    const sendOne = () => {
      if (!running) return;
      const clientId = `n${i}-${k++}`;
      sentAt.set(clientId, performance.now());
      pairs[i].patron.send({ type: "send", clientId, body: bodyOf(`${label} ${clientId}`, bodyBytes) });
      timers.push(setTimeout(sendOne, Math.max(0, t0 + phase + k * intervalMs - performance.now())));
    };
    timers.push(setTimeout(sendOne, phase));
  }

  // Windows: warm-up, then quiet and a flood, in turn; a last quiet window closes the run.
  const windows = [];
  await sleep(warmupMs);
  const floodCookie = cookies[librarians];
  for (const flood of floods) {
    const quietStart = performance.now();
    await sleep(quietMs);
    windows.push({ name: "quiet", start: quietStart, end: performance.now() });
    const chat = await startChat(base, { formId: benchFormId(libraryId), question: `${label} flooder ${flood.name}` });
    if (flood.state === "active") {
      const res = await accept(base, chat.sessionId, floodCookie);
      if (res.status !== 200) throw new Error(`flooder's chat not accepted: ${res.status}`);
    }
    log(`  flooding ${flood.name} for ${floodMs / 1000} s…`);
    const f = flooder(base, chat, flood);
    const start = performance.now();
    await sleep(floodMs);
    const end = performance.now();
    const stats = await f.stop();
    windows.push({ name: flood.name, start, end, flooder: stats });
  }
  const lastQuiet = performance.now();
  await sleep(quietMs);
  windows.push({ name: "quiet", start: lastQuiet, end: performance.now() });
  running = false;
  for (const t of timers) clearTimeout(t);
  // Drain what is in flight.
  const drainUntil = performance.now() + 10_000;
  while (performance.now() < drainUntil && delivered.size < sentAt.size) await sleep(50);
  for (const { patron, librarian } of pairs) {
    patron.close(1000);
    librarian.close(1000);
  }
  for (const m of monitors) m.close(1000);

  const inWindow = (w) => [...sentAt].filter(([, at]) => at >= w.start && at < w.end).map(([id]) => id);
  const latencies = (ids) => ids.filter((id) => delivered.has(id)).map((id) => delivered.get(id));
  const quietIds = windows.filter((w) => w.name === "quiet").flatMap(inWindow);
  const quiet = summarize(latencies(quietIds));
  const floodWindows = windows
    .filter((w) => w.name !== "quiet")
    .map((w) => {
      const ids = inWindow(w);
      const s = summarize(latencies(ids));
      return { flood: w.name, sent: ids.length, lost: ids.filter((id) => !delivered.has(id)).length, deliveryMs: s, p99Ratio: quiet.p99 ? s.p99 / quiet.p99 : null, flooder: w.flooder };
    });
  return {
    sessions,
    intervalMs,
    bodyBytes,
    floodMs,
    quietMs,
    sent: sentAt.size,
    delivered: delivered.size,
    lost: sentAt.size - delivered.size,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    quiet: { sent: quietIds.length, deliveryMs: quiet },
    floods: floodWindows,
  };
}
