// The noisy neighbour: normal chats next to one patron who floods one frame
// type after another (./floods.mjs) as fast as the socket takes them, waiting
// and chatting, from a process of its own (./flooder-process.mjs).
// Other chats' patron→librarian delivery is measured in every window of the
// same run — quiet windows between the floods are the baseline — so the ratio
// says what one client can cost everyone else, on this machine, now.
import { fork } from "node:child_process";
import { accept, forEachLimited, startChat } from "./http.mjs";
import { bodyOf, createWaitingChats, monitoringLibrarians } from "./load-scenarios.mjs";
import { benchFormId } from "./seed.mjs";
import { librarianSocket, patronSocket } from "./socket.mjs";
import { summarize } from "./stats.mjs";
import { FLOODS } from "./floods.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * One patron flooding `flood` on their chat's socket at `pace` ("accepted"
 * or "firehose"), from a process of its own (./flooder-process.mjs) — on `cpus` when given (`taskset`), else at the
 * lowest CPU priority — until `stop()` resolves with its counts.
 */
function flooder(base, chat, flood, pace, cpus) {
  const [execPath, ...execArgv] = cpus ? ["taskset", "-c", cpus] : ["nice", "-n", "19"];
  const child = fork(new URL("./flooder-process.mjs", import.meta.url), [JSON.stringify({ base, chat, floodName: flood.name, pace })], {
    execPath,
    execArgv: [...execArgv, process.execPath],
  });
  const counts = new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`flooder exited with ${code} before reporting`)));
  });
  return {
    async stop() {
      child.send("stop");
      return counts;
    },
  };
}

/** The runtime's CPU and everything else's on the machine over some windows, as mean percent of one core (null when not measured). */
function meanCpu(windows) {
  const measured = windows.filter((w) => w.cpu);
  if (measured.length === 0) return null;
  const mean = (f) => Math.round((measured.reduce((sum, w) => sum + f(w.cpu), 0) / measured.length) * 10) / 10;
  return { runtimePercent: mean((c) => c.serverPercent.runtime), otherProcessesPercent: mean((c) => c.otherProcessesPercent) };
}

/** A flood's rounds' flooder counts, added up. */
function addCounts(list) {
  const add = (maps) => maps.reduce((sum, m) => {
    for (const [k, v] of Object.entries(m)) sum[k] = (sum[k] ?? 0) + v;
    return sum;
  }, {});
  return {
    sent: list.reduce((n, c) => n + c.sent, 0),
    connections: list.reduce((n, c) => n + c.connections, 0),
    refusedUpgrades: list.reduce((n, c) => n + c.refusedUpgrades, 0),
    closes: add(list.map((c) => c.closes)),
    answers: add(list.map((c) => c.answers)),
  };
}

/**
 * Runs the noisy-neighbour scenario (the normal chats' lines are short enough
 * that a chat stays within its caps, SESSION_CAPS, for the whole run): `sessions` normal chats sending
 * `bodyBytes` every `intervalMs`, and one flooder per entry of `floods` and
 * pace of `paces` (./flooder-process.mjs), each
 * for `rounds` windows of `floodMs`, with `quietMs` of normal traffic alone
 * before each.
 *
 * @param {string} base
 * @param {{ sessions: number, librarians: number, floods?: typeof FLOODS, paces?: ("accepted" | "firehose")[], rounds?: number, floodMs: number, quietMs: number, cpuWindow?: () => { stop(): { serverPercent: { runtime: number }, otherProcessesPercent: number } }, flooderCpus?: string, intervalMs?: number, bodyBytes?: number, warmupMs?: number, libraryId?: string, log?: (s: string) => void }} options
 */
export async function noisyNeighbourScenario(base, { sessions, librarians, floods = FLOODS, paces = ["accepted", "firehose"], rounds = 3, floodMs, quietMs, cpuWindow, flooderCpus, intervalMs = 5000, bodyBytes = 200, warmupMs = 5000, libraryId = "bench-noisy", log = () => {} }) {
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

  // Windows: warm-up, then quiet and a flood, in turn, `rounds` times for each flood (a
  // fresh flooding chat each round), so the floods and the quiet they are compared with
  // share whatever else the machine is doing; a last quiet window closes the run.
  const windows = [];
  await sleep(warmupMs);
  const floodCookie = cookies[librarians];
  const runs = floods.flatMap((flood) => paces.map((pace) => ({ flood, pace, name: pace === "accepted" ? flood.name : `${flood.name} (${pace})` })));
  for (const { flood, pace, name } of runs) {
    log(`  flooding ${name}: ${rounds} × ${floodMs / 1000} s…`);
    for (let round = 0; round < rounds; round++) {
      const quietStart = performance.now();
      const quietCpu = cpuWindow?.();
      await sleep(quietMs);
      windows.push({ name: "quiet", start: quietStart, end: performance.now(), cpu: quietCpu?.stop() });
      const chat = await startChat(base, { formId: benchFormId(libraryId), question: `${label} flooder ${name} ${round}` });
      if (flood.state === "active") {
        const res = await accept(base, chat.sessionId, floodCookie);
        if (res.status !== 200) throw new Error(`flooder's chat not accepted: ${res.status}`);
      }
      const f = flooder(base, chat, flood, pace, flooderCpus);
      const start = performance.now();
      const floodCpu = cpuWindow?.();
      await sleep(floodMs);
      const end = performance.now();
      const cpu = floodCpu?.stop();
      const stats = await f.stop();
      windows.push({ name, start, end, cpu, flooder: stats });
    }
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
  const floodWindows = runs.map(({ pace, name }) => {
    const own = windows.filter((w) => w.name === name);
    const ids = own.flatMap(inWindow);
    const s = summarize(latencies(ids));
    return { flood: name, pace, sent: ids.length, lost: ids.filter((id) => !delivered.has(id)).length, deliveryMs: s, p99Ratio: quiet.p99 ? s.p99 / quiet.p99 : null, cpu: meanCpu(own), flooder: addCounts(own.map((w) => w.flooder)) };
  });
  return {
    sessions,
    intervalMs,
    bodyBytes,
    floodMs,
    quietMs,
    rounds,
    paces,
    sent: sentAt.size,
    delivered: delivered.size,
    lost: sentAt.size - delivered.size,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    quiet: { sent: quietIds.length, deliveryMs: quiet, cpu: meanCpu(windows.filter((w) => w.name === "quiet")) },
    floods: floodWindows,
  };
}
