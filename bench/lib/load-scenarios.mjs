// The load scenarios behind `npm run bench` (bench/load.mjs) and its quick CI
// version (test/browser/proof-load.test.ts). Each takes a running server's base
// URL, sets up what it needs in its own bench library, runs for a bounded time
// and returns raw counts plus latency summaries; the caller compares them with
// the targets.
import { accept, forEachLimited, signInAll, startChat } from "./http.mjs";
import { benchFormId, benchLibrarianEmail, benchQueueId } from "./seed.mjs";
import { librarianSocket, openSocket, patronSocket, wsUrl } from "./socket.mjs";
import { summarize } from "./stats.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** A body of exactly `bytes` ASCII bytes that starts with `marker`. */
export function bodyOf(marker, bytes) {
  const head = `${marker} `;
  return head + "x".repeat(Math.max(0, bytes - head.length));
}

/** Creates `count` waiting chats in `libraryId`'s form, a few at a time. */
export async function createWaitingChats(base, libraryId, count, label) {
  const chats = Array.from({ length: count });
  await forEachLimited(range(count), 8, async (i) => {
    const chat = await startChat(base, { formId: benchFormId(libraryId), question: `${label} question ${i}` });
    if (chat.httpStatus !== 201 || chat.status !== "waiting") throw new Error(`chat ${i} did not start waiting: ${chat.httpStatus} ${JSON.stringify(chat)}`);
    chats[i] = chat;
  });
  return chats;
}

/** Librarians 1..n of a bench library, signed in, each monitoring its queue (frames not kept); `socketBaseOf(i)` may send a monitor's socket to another address of the same server. */
export async function monitoringLibrarians(base, libraryId, n, onQueueFrame, socketBaseOf = () => base) {
  const emails = range(n).map((i) => benchLibrarianEmail(libraryId, i + 1));
  const cookies = await signInAll(base, emails);
  const monitors = [];
  await forEachLimited(range(n), 8, async (i) => {
    let snapshot;
    const got = new Promise((r) => (snapshot = r));
    const at = socketBaseOf(i);
    const m = await openSocket(wsUrl(at, `/api/queues/${benchQueueId(libraryId)}/socket`), {
      cookie: cookies[i],
      origin: at,
      keep: false,
      onFrame: (f, at) => {
        if (f.type === "queue.snapshot") snapshot();
        onQueueFrame?.(i, f, at);
      },
    });
    await got;
    monitors[i] = m;
  });
  return { cookies, monitors };
}

/**
 * What a delivery run records: when each message left, its first arrival at
 * the librarian, its acknowledgement, and every error frame or unexpected
 * close. The frame handlers go on the sockets as they open.
 */
function deliveryTracker() {
  const t = {
    sentAt: new Map(),
    countedForLatency: new Set(),
    deliveries: new Map(),
    acked: new Set(),
    deliveryMs: [],
    ackMs: [],
    errors: [],
    running: true,
    onError: (who) => (f) => {
      if (f.type === "error") t.errors.push({ who, code: f.code, message: f.message });
    },
    patronFrame: (i) => (f, at) => {
      if (f.type === "ack" && t.sentAt.has(f.clientId) && !t.acked.has(f.clientId)) {
        t.acked.add(f.clientId);
        if (t.countedForLatency.has(f.clientId)) t.ackMs.push(at - t.sentAt.get(f.clientId));
      } else t.onError(`patron ${i}`)(f);
    },
    librarianFrame: (i) => (f, at) => {
      if (f.type === "message" && f.message.clientId && t.sentAt.has(f.message.clientId)) {
        const id = f.message.clientId;
        const n = (t.deliveries.get(id) ?? 0) + 1;
        t.deliveries.set(id, n);
        if (n === 1 && t.countedForLatency.has(id)) t.deliveryMs.push(at - t.sentAt.get(id));
      } else t.onError(`librarian ${i}`)(f);
    },
    /** Counts a socket that closes while the run is on as an error. */
    watch(i, pair) {
      for (const [who, s] of [["patron", pair.patron], ["librarian", pair.librarian]]) {
        s.ws.on("close", (code) => {
          if (t.running) t.errors.push({ who: `${who} ${i}`, code: "closed", message: `socket closed (${code}) during the run` });
        });
      }
      return pair;
    },
  };
  return t;
}

/**
 * Sends on the open `pairs` on schedule (one `bodyBytes` message per patron
 * every `intervalMs` for `durationMs`, phases spread evenly), waits (bounded)
 * for every message to arrive and be acknowledged, closes the sockets and
 * returns the counts and latency summaries.
 */
async function driveDelivery(t, pairs, { label, durationMs, intervalMs, bodyBytes, warmupMs, drainMs, cpuWindow }) {
  const sessions = pairs.length;
  // Let the hellos' backlogs arrive before measuring.
  await sleep(500);
  const cpu = cpuWindow?.();
  const t0 = performance.now();
  const timers = [];
  let sent = 0;
  for (const i of range(sessions)) {
    const phase = (i / sessions) * intervalMs;
    let k = 0;
    const sendOne = () => {
      const now = performance.now();
      if (!t.running || now - t0 >= durationMs) return;
      const clientId = `s${i}-m${k++}`;
      t.sentAt.set(clientId, now);
      if (now - t0 >= warmupMs) t.countedForLatency.add(clientId);
      pairs[i].patron.send({ type: "send", clientId, body: bodyOf(`${label} ${clientId}`, bodyBytes) });
      sent++;
      // Next send on the fixed schedule, not drifting with timer lateness.
      timers.push(setTimeout(sendOne, Math.max(0, t0 + phase + k * intervalMs - performance.now())));
    };
    timers.push(setTimeout(sendOne, phase));
  }
  await sleep(durationMs);
  const cpuUse = cpu?.stop();
  // Drain: wait (bounded) until every sent message was delivered and acknowledged.
  const drainUntil = performance.now() + drainMs;
  while (performance.now() < drainUntil && (t.deliveries.size < t.sentAt.size || t.acked.size < t.sentAt.size)) await sleep(50);
  t.running = false;
  for (const timer of timers) clearTimeout(timer);
  const duplicates = [...t.deliveries.values()].filter((n) => n > 1).length;
  for (const { patron, librarian } of pairs) {
    patron.close(1000);
    librarian.close(1000);
  }
  return {
    sessions,
    durationSeconds: durationMs / 1000,
    intervalMs,
    bodyBytes,
    sent,
    delivered: t.deliveries.size,
    acknowledged: t.acked.size,
    lost: sent - t.deliveries.size,
    unacknowledged: sent - t.acked.size,
    duplicates,
    errors: t.errors.length,
    errorSamples: t.errors.slice(0, 5),
    deliveryMs: summarize(t.deliveryMs),
    ackMs: summarize(t.ackMs),
    cpu: cpuUse ?? null,
  };
}

/**
 * Patron→librarian delivery. `sessions` chats, each accepted by one of
 * `librarians` librarians (round robin); each patron sends a `bodyBytes`
 * message every `intervalMs` for `durationMs`, phases spread evenly; every
 * socket pings every 10 s as the real clients do. Latency is
 * measured in this process from the patron's send to the frame reaching the
 * serving librarian's socket. Messages sent during the first `warmupMs` count
 * for loss and errors but not for latency.
  *
 * @param {string} base
 * @param {{ sessions: number, librarians: number, durationMs: number, intervalMs?: number, bodyBytes?: number, warmupMs?: number, drainMs?: number, cpuWindow?: () => { stop(): any }, libraryId?: string }} options
 * @returns {Promise<any>}
 */
export async function deliveryScenario(base, { sessions, librarians, durationMs, intervalMs = 5000, bodyBytes = 500, warmupMs = 5000, drainMs = 10_000, cpuWindow, libraryId = "bench-load" }) {
  const label = `delivery-${sessions}-${Date.now()}`;
  const { cookies, monitors } = await monitoringLibrarians(base, libraryId, librarians);
  const chats = await createWaitingChats(base, libraryId, sessions, label);
  await forEachLimited(range(sessions), 8, async (i) => {
    const res = await accept(base, chats[i].sessionId, cookies[i % librarians]);
    if (res.status !== 200) throw new Error(`accept of chat ${i} failed: ${res.status} ${JSON.stringify(res.body)}`);
  });
  const t = deliveryTracker();
  const pairs = [];
  await forEachLimited(range(sessions), 10, async (i) => {
    const patron = await patronSocket(base, chats[i].sessionId, chats[i].token, { keep: false, onFrame: t.patronFrame(i) });
    const librarian = await librarianSocket(base, chats[i].sessionId, cookies[i % librarians], { keep: false, onFrame: t.librarianFrame(i) });
    pairs[i] = t.watch(i, { patron, librarian });
  });
  const r = await driveDelivery(t, pairs, { label, durationMs, intervalMs, bodyBytes, warmupMs, drainMs, cpuWindow });
  for (const m of monitors) m.close(1000);
  return { ...r, librarians, sockets: { patron: sessions, librarianSession: sessions, librarianQueue: librarians } };
}

/**
 * The same delivery against a floor: `socketUrl(id, role)` names a patron's
 * and a librarian's socket of pair `id` on a relay with the chat's socket
 * shape and nothing else (bench/floor/): no sign-in, no hello, no storage.
 * Same schedule, sizes and measurement as deliveryScenario.
 *
 * @param {{ socketUrl: (id: string, role: "patron" | "librarian") => string, sessions: number, durationMs: number, intervalMs?: number, bodyBytes?: number, warmupMs?: number, drainMs?: number, cpuWindow?: () => { stop(): any } }} options
 * @returns {Promise<any>}
 */
export async function floorDeliveryScenario({ socketUrl, sessions, durationMs, intervalMs = 5000, bodyBytes = 500, warmupMs = 5000, drainMs = 10_000, cpuWindow }) {
  const label = `floor-${sessions}-${Date.now()}`;
  const t = deliveryTracker();
  const pairs = [];
  await forEachLimited(range(sessions), 10, async (i) => {
    const id = `${label}-${i}`;
    const librarian = await openSocket(socketUrl(id, "librarian"), { keep: false, onFrame: t.librarianFrame(i) });
    const patron = await openSocket(socketUrl(id, "patron"), { keep: false, onFrame: t.patronFrame(i) });
    pairs[i] = t.watch(i, { patron, librarian });
  });
  return driveDelivery(t, pairs, { label, durationMs, intervalMs, bodyBytes, warmupMs, drainMs, cpuWindow });
}

/**
 * A new request reaching every monitoring librarian. `monitors` librarians
 * watch the queue; `requests` chats start at `ratePerSecond`. Measures the
 * patron's "queued" acknowledgement (the HTTP answer with status "waiting")
 * and, for each monitor, the time from the patron's request to its
 * `request.added` frame.
 *
 * With `direct` (the runtime's own address behind the dev proxy), every other
 * request and every other monitor's socket goes there instead, interleaved in
 * the one run so that both paths see the same load; `byPath` then gives the
 * figures of each path (a request and a monitor on the same path).
 *
 * @param {string} base
 * @param {{ monitors: number, requests: number, ratePerSecond: number, cpuWindow?: () => { stop(): any }, libraryId?: string, direct?: string }} options
 * @returns {Promise<any>}
 */
export async function fanoutScenario(base, { monitors: monitorCount, requests, ratePerSecond, cpuWindow, libraryId = "bench-fanout", direct }) {
  const label = `fanout-${Date.now()}`;
  const pathOf = (i) => (direct && i % 2 === 1 ? "direct" : "proxy");
  const baseOf = (i) => (pathOf(i) === "direct" ? direct : base);
  const requestSentAt = new Map();
  const seen = new Map();
  const reachMs = [];
  const reachByPath = { proxy: [], direct: [] };
  const { monitors } = await monitoringLibrarians(
    base,
    libraryId,
    monitorCount,
    (i, f, at) => {
      if (f.type !== "request.added") return;
      const m = /^(\S+) question (\d+)$/.exec(f.request.question);
      if (!m || m[1] !== label) return;
      const n = Number(m[2]);
      seen.set(n, (seen.get(n) ?? 0) + 1);
      if (!requestSentAt.has(n)) return;
      reachMs.push(at - requestSentAt.get(n));
      if (pathOf(n) === pathOf(i)) reachByPath[pathOf(i)].push(at - requestSentAt.get(n));
    },
    baseOf,
  );
  const queuedMs = [];
  const queuedByPath = { proxy: [], direct: [] };
  const errors = [];
  const cpu = cpuWindow?.();
  const t0 = performance.now();
  const inFlight = [];
  for (const i of range(requests)) {
    const due = t0 + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    requestSentAt.set(i, performance.now());
    inFlight.push(
      startChat(baseOf(i), { formId: benchFormId(libraryId), question: `${label} question ${i}` }).then(
        (chat) => {
          if (chat.httpStatus === 201 && chat.status === "waiting") {
            queuedMs.push(chat.ms);
            queuedByPath[pathOf(i)].push(chat.ms);
          } else errors.push({ request: i, status: chat.httpStatus, body: chat });
        },
        (error) => errors.push({ request: i, error: String(error) }),
      ),
    );
  }
  await Promise.all(inFlight);
  const cpuUse = cpu?.stop();
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && reachMs.length < requests * monitorCount) await sleep(50);
  const missing = requests * monitorCount - [...seen.values()].reduce((a, b) => a + Math.min(b, monitorCount), 0);
  const duplicates = [...seen.values()].filter((n) => n > monitorCount).length;
  for (const m of monitors) m.close(1000);
  return {
    monitors: monitorCount,
    requests,
    ratePerSecond,
    queuedAckMs: summarize(queuedMs),
    reachAllMonitorsMs: summarize(reachMs),
    byPath: direct
      ? {
          proxy: { queuedAckMs: summarize(queuedByPath.proxy), reachMonitorsMs: summarize(reachByPath.proxy) },
          direct: { queuedAckMs: summarize(queuedByPath.direct), reachMonitorsMs: summarize(reachByPath.direct) },
        }
      : null,
    missing,
    duplicates,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    cpu: cpuUse ?? null,
  };
}

/**
 * The queue object under churn: `opsPerSecond` operations for `durationMs`,
 * 40 % librarians joining (opening a monitor socket: snapshot, presence to
 * all), 40 % leaving (closing one: presence to all), 20 % accepting a waiting
 * request (the session object tells the queue to remove it: a broadcast to
 * all) — all on one queue object, with a few monitors connected throughout.
 * New requests arrive as fast as they are accepted (each an `offer` to the same
 * object), so the queue stays short, as it does in life. Open loop: operations
 * start on schedule whether or not earlier ones finished. Counts every failure
 * and looks for the runtime's "overloaded" error in the server log.
  *
 * @param {string} base
 * @param {{ opsPerSecond: number, durationMs: number, librarians?: number, steadyMonitors?: number, cpuWindow?: () => { stop(): any }, serverLog?: () => string, libraryId?: string }} options
 * @returns {Promise<any>}
 */
export async function queueChurnScenario(base, { opsPerSecond, durationMs, librarians = 60, steadyMonitors = 5, cpuWindow, serverLog, libraryId = "bench-queue" }) {
  const label = `queue-${Date.now()}`;
  const cycle = ["join", "leave", "join", "leave", "accept"];
  const totalOps = Math.floor((opsPerSecond * durationMs) / 1000);
  const accepts = Math.ceil(totalOps / cycle.length);
  const { cookies, monitors: steady } = await monitoringLibrarians(base, libraryId, librarians);
  // Everyone but the steady few stops monitoring; they join and leave during the run.
  for (const m of steady.slice(steadyMonitors)) m.close(1000);
  const buffered = Math.min(20, accepts);
  const chats = (await createWaitingChats(base, libraryId, buffered, `${label} early`)).map((c) => Promise.resolve(c));
  await sleep(500);
  const logBefore = serverLog?.().length ?? 0;

  const queueId = benchQueueId(libraryId);
  const joined = [];
  const latency = { join: [], leave: [], accept: [], arrive: [] };
  const done = { join: 0, leave: 0, accept: 0, arrive: 0 };
  const errors = [];
  let nextChat = 0;
  const run = {
    async join() {
      const i = steadyMonitors + Math.floor(Math.random() * (librarians - steadyMonitors));
      const t = performance.now();
      let snapshot;
      const got = new Promise((r) => (snapshot = r));
      const m = await openSocket(wsUrl(base, `/api/queues/${queueId}/socket`), { cookie: cookies[i], origin: base, keep: false, onFrame: (f) => f.type === "queue.snapshot" && snapshot() });
      await got;
      latency.join.push(performance.now() - t);
      joined.push(m);
    },
    async leave() {
      const m = joined.splice(Math.floor(Math.random() * joined.length), 1)[0];
      if (!m) return run.join();
      const t = performance.now();
      const closing = m.whenClosed();
      m.close(Math.random() < 0.5 ? 1000 : 1001);
      await closing;
      latency.leave.push(performance.now() - t);
    },
    async accept() {
      const chat = await chats[nextChat++];
      const res = await accept(base, chat.sessionId, cookies[Math.floor(Math.random() * librarians)]);
      if (res.status !== 200) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
      latency.accept.push(res.ms);
    },
  };
  /** A new request, to be accepted later in the run. */
  const arrive = (n) => {
    const p = startChat(base, { formId: benchFormId(libraryId), question: `${label} question ${n}` }).then((chat) => {
      if (chat.httpStatus !== 201 || chat.status !== "waiting") throw new Error(`new request: ${chat.httpStatus} ${chat.status}`);
      latency.arrive.push(chat.ms);
      done.arrive++;
      return chat;
    });
    p.catch((error) => errors.push({ op: "arrive", error: String(error).slice(0, 300) }));
    chats.push(p);
  };
  const cpu = cpuWindow?.();
  const t0 = performance.now();
  const inFlight = [];
  let arrivals = 0;
  for (let k = 0; k < totalOps; k++) {
    const due = t0 + (k * 1000) / opsPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const op = cycle[k % cycle.length];
    if (op === "accept" && buffered + arrivals < accepts) arrive(buffered + arrivals++);
    inFlight.push(
      run[op]().then(
        () => done[op]++,
        (error) => errors.push({ op, error: String(error).slice(0, 300) }),
      ),
    );
  }
  await Promise.all(inFlight);
  await Promise.allSettled(chats);
  const elapsed = (performance.now() - t0) / 1000;
  const cpuUse = cpu?.stop();
  const log = serverLog?.().slice(logBefore) ?? "";
  const overloaded = (log.match(/overloaded/gi) ?? []).length;
  for (const m of [...joined, ...steady.slice(0, steadyMonitors)]) m.close(1000);
  const completed = done.join + done.leave + done.accept;
  return {
    targetOpsPerSecond: opsPerSecond,
    operations: totalOps,
    completed,
    achievedOpsPerSecond: Math.round((completed / elapsed) * 10) / 10,
    byKind: done,
    joinMs: summarize(latency.join),
    leaveMs: summarize(latency.leave),
    acceptMs: summarize(latency.accept),
    newRequestMs: summarize(latency.arrive),
    errors: errors.length,
    overloadedInLog: overloaded,
    errorSamples: errors.slice(0, 5),
    cpu: cpuUse ?? null,
  };
}

/**
 * The bare HTTP round trip to `base`: `count` GETs of a path the Worker
 * answers 404 at once (no storage, no sign-in), one after another. Measured
 * through wrangler dev and directly at the runtime, the difference is the dev
 * proxy's hop.
 */
export async function httpRoundTrips(base, count = 200) {
  const ms = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/bench-round-trip-${i}`);
    await res.arrayBuffer();
    ms.push(performance.now() - t);
  }
  return summarize(ms);
}
