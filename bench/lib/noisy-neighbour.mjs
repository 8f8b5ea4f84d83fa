// The noisy neighbour: normal chats next to one patron who floods one frame
// type after another (./floods.mjs) as fast as the socket takes them, waiting
// and chatting, from a thread of its own (./flooder-thread.mjs).
// Other chats' patron→librarian delivery is measured in every window of the
// same run — quiet windows between the floods are the baseline — so the ratio
// says what one client can cost everyone else, on this machine, now.
import { Worker } from "node:worker_threads";
import { accept, forEachLimited, startChat } from "./http.mjs";
import { bodyOf, createWaitingChats, monitoringLibrarians } from "./load-scenarios.mjs";
import { benchFormId } from "./seed.mjs";
import { librarianSocket, patronSocket } from "./socket.mjs";
import { summarize } from "./stats.mjs";
import { FLOODS } from "./floods.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * One patron flooding `flood` on their chat's socket, in a thread of its own
 * (./flooder-thread.mjs), until `stop()` resolves with its counts.
 */
function flooder(base, chat, flood) {
  const thread = new Worker(new URL("./flooder-thread.mjs", import.meta.url), { workerData: { base, chat, floodName: flood.name } });
  const counts = new Promise((resolve, reject) => {
    thread.once("message", resolve);
    thread.once("error", reject);
  });
  return {
    async stop() {
      thread.postMessage("stop");
      const result = await counts;
      await thread.terminate();
      return result;
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
