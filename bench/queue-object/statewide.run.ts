/**
 * A statewide cooperative's queue, driven from inside workerd (bench/statewide.mjs
 * runs it): BENCH_MONITORS librarians of 50 member libraries monitor one queue
 * object while, for BENCH_SECONDS,
 * - new requests arrive at BENCH_REQUESTS_PER_SECOND, each offered to the
 *   queue and shown to every monitor;
 * - each is accepted a second later by two monitors at once: exactly one wins
 *   (the session object decides) and the queue takes it off every list;
 * - the winner's chat goes on: the patron sends a line every 2 s, each stored
 *   and acknowledged;
 * - the members' sites ask "is anybody monitoring?" on every page view, at
 *   BENCH_STATUS_PER_SECOND: one `staffing` call on the queue each;
 * - librarians come and go (BENCH_CHURN_PER_SECOND joins and as many leaves)
 *   and change their status (as many).
 * Open loop: operations start on schedule whether or not earlier ones finished.
 * Prints one `BENCH-RESULT {json}` line.
 */
import { applyD1Migrations, env } from "cloudflare:test";
import { it } from "vitest";
import { digestToken } from "../../src/auth/tokens";
import type { LibrarianRef, StartChat } from "../../src/objects/contracts";
import { closeAndWait, joinQueue } from "./queue-sockets";
import { failureCounts, sleep, summarize } from "./summary";

const benchEnv = env as unknown as Env & Record<string, string> & { TEST_MIGRATIONS: { name: string; queries: string[] }[] };
const setting = (name: string, fallback: number) => Number(benchEnv[name] ?? fallback);

const QUEUE = "group:statewide-bench";
const MEMBERS = 50;
const librarian = (i: number): LibrarianRef => ({ id: `sw-${i}`, name: `Librarian ${String(i).padStart(4, "0")}`, libraryId: `sw-member-${i % MEMBERS}` });
const queue = () => benchEnv.REQUEST_QUEUE.getByName(QUEUE);

/** A sign-in of librarian `i` (the queue re-checks its monitors' sign-ins in D1). */
const signInOf = (i: number) => `statewide-sign-in-${i}`;

/** The member libraries, the librarians and their sign-ins, in D1. */
async function seed(librarians: number): Promise<void> {
  const db = benchEnv.DB;
  const now = Date.now();
  const rows = [
    ...Array.from({ length: MEMBERS }, (_, k) =>
      db.prepare("INSERT INTO libraries (id, name, time_zone, contact_email, created_at) VALUES (?, ?, 'UTC', ?, ?)").bind(`sw-member-${k}`, `Member ${k}`, `member-${k}@bench.example`, now),
    ),
    ...Array.from({ length: librarians }, (_, i) => {
      const l = librarian(i);
      return db.prepare("INSERT INTO librarians (id, library_id, email, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, 'x', 'librarian', ?)").bind(l.id, l.libraryId, `${l.id}@bench.example`, l.name, now);
    }),
    ...Array.from({ length: librarians }, (_, i) =>
      db.prepare("INSERT INTO auth_sessions (token_hash, librarian_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(signInOf(i), librarian(i).id, now, now + 86_400_000),
    ),
  ];
  for (let k = 0; k < rows.length; k += 100) await db.batch(rows.slice(k, k + 100));
}

const join = (i: number, onFrame: (data: string, at: number) => void) => joinQueue(QUEUE, librarian(i), { signIn: signInOf(i), onFrame });
const leave = (ws: WebSocket) => closeAndWait(ws);

it("a statewide queue", async () => {
  await applyD1Migrations(benchEnv.DB, benchEnv.TEST_MIGRATIONS);
  const monitorCount = setting("BENCH_MONITORS", 500);
  const seconds = setting("BENCH_SECONDS", 30);
  const requestRate = setting("BENCH_REQUESTS_PER_SECOND", 5);
  const statusRate = setting("BENCH_STATUS_PER_SECOND", 1000);
  const churnRate = setting("BENCH_CHURN_PER_SECOND", 2);
  await seed(monitorCount + 50);

  const done = { offer: 0, accept: 0, staffing: 0, join: 0, leave: 0, status: 0 };
  const latency: Record<string, number[]> = { offer: [], reach: [], accept: [], staffing: [], join: [], leave: [], status: [], line: [] };
  const errors: string[] = [];
  const violations: string[] = [];
  const offeredAt = new Map<string, number>();
  const reached = new Map<string, number>();
  let running = true;
  const chat = { sent: 0, acknowledged: 0 };

  /** Every monitor: a new request's arrival, timed from its creation. */
  const onMonitorFrame = (data: string, at: number) => {
    if (!data.startsWith('{"type":"request.added"')) return;
    const sessionId = /"sessionId":"([^"]+)"/.exec(data)?.[1];
    const since = sessionId ? offeredAt.get(sessionId) : undefined;
    if (since === undefined) return;
    latency.reach!.push(at - since);
    reached.set(sessionId!, (reached.get(sessionId!) ?? 0) + 1);
  };
  const timed = async (kind: keyof typeof done, op: () => Promise<unknown>) => {
    const t = Date.now();
    try {
      await op();
      latency[kind]!.push(Date.now() - t);
      done[kind]++;
    } catch (error) {
      errors.push(`${kind}: ${String(error).slice(0, 200)}`);
    }
  };

  // The monitors, 20 at a time.
  const monitors: WebSocket[] = [];
  for (let from = 0; from < monitorCount; from += 20) {
    monitors.push(...(await Promise.all(Array.from({ length: Math.min(20, monitorCount - from) }, (_, k) => join(from + k, onMonitorFrame)))));
  }
  // Every socket pings every 10 s, as the real clients do (a silent one is closed as gone).
  const pinged = new Set<WebSocket>(monitors);
  const pinger = setInterval(() => {
    for (const ws of pinged) if (ws.readyState === WebSocket.OPEN) ws.send("ping");
  }, 10_000);
  // Librarians beyond them come and go during the run.
  const extra = Array.from({ length: 50 }, (_, k) => monitorCount + k);
  const comers: Promise<WebSocket | null>[] = [];

  /** The patron's side of an accepted chat: a line every 2 s until the run ends, each timed to its acknowledgement. */
  const converse = async (sessionId: string, token: string) => {
    const res = await benchEnv.CHAT_SESSION.getByName(sessionId).fetch("https://bench.invalid/", { headers: { Upgrade: "websocket" } });
    const ws = res.webSocket;
    if (!ws) throw new Error(`patron socket refused: ${res.status}`);
    const sentAt = new Map<string, number>();
    ws.addEventListener("message", (e) => {
      if (typeof e.data !== "string" || !e.data.startsWith('{"type":"ack"')) return;
      const clientId = (JSON.parse(e.data) as { clientId: string }).clientId;
      const t = sentAt.get(clientId);
      if (t === undefined) return;
      sentAt.delete(clientId);
      latency.line!.push(Date.now() - t);
      chat.acknowledged++;
    });
    ws.accept();
    pinged.add(ws);
    ws.send(JSON.stringify({ type: "hello", token, lastSeq: 0 }));
    for (let n = 0; running; n++) {
      await sleep(2000);
      if (!running) break;
      const clientId = `${sessionId}-${n}`;
      sentAt.set(clientId, Date.now());
      ws.send(JSON.stringify({ type: "send", clientId, body: `line ${n} of a chat that goes on` }));
      chat.sent++;
    }
    await sleep(1000);
    ws.close(1000, "bench");
  };

  let requestNumber = 0;
  const newRequest = async () => {
    const sessionId = crypto.randomUUID();
    const token = crypto.randomUUID();
    const init: StartChat = {
      sessionId,
      tokenHash: await digestToken(token),
      libraryId: `sw-member-${requestNumber % MEMBERS}`,
      libraryName: "A member library",
      formId: null,
      queueId: QUEUE,
      question: `statewide question ${requestNumber++}`,
      patronName: null,
      patronEmail: null,
      transcriptOptOut: false,
      waitLimitSeconds: 3600,
    };
    const session = benchEnv.CHAT_SESSION.getByName(sessionId);
    offeredAt.set(sessionId, Date.now());
    await timed("offer", async () => {
      const r = await session.start(init);
      if (r.status !== "waiting") throw new Error(`new request is ${r.status}`);
    });
    await sleep(1000);
    // Two monitors accept at once: exactly one may win.
    const a = Math.floor(Math.random() * monitorCount);
    const b = (a + 1 + Math.floor(Math.random() * (monitorCount - 1))) % monitorCount;
    await timed("accept", async () => {
      const results = await Promise.all([a, b].map((i) => session.claim(librarian(i), [QUEUE])));
      const wins = results.filter((r) => r.ok).length;
      if (wins !== 1) violations.push(`${sessionId}: ${wins} winners`);
    });
    await converse(sessionId, token);
  };

  const inFlight: Promise<unknown>[] = [];
  const chats: Promise<unknown>[] = [];
  /** Starts `op` `rate` times a second on schedule, in ticks of 10 ms, until the run's end. */
  const schedule = async (rate: number, op: () => Promise<unknown>, into = inFlight) => {
    const t0 = Date.now();
    let issued = 0;
    while (Date.now() - t0 < seconds * 1000) {
      const due = Math.floor(((Date.now() - t0) / 1000) * rate);
      for (; issued < due; issued++) into.push(op());
      await sleep(10);
    }
  };

  console.log("BENCH-WINDOW-START");
  const t0 = Date.now();
  await Promise.all([
    schedule(requestRate, newRequest, chats),
    schedule(statusRate, () =>
      timed("staffing", async () => {
        if (!(await queue().staffing()).staffed) throw new Error("the queue says nobody is monitoring");
      }),
    ),
    schedule(churnRate, async () => {
      const opening = join(extra[Math.floor(Math.random() * extra.length)]!, () => {});
      comers.push(opening.then((ws) => (pinged.add(ws), ws)).catch(() => null));
      await timed("join", () => opening);
    }),
    schedule(churnRate, async () => {
      const going = comers.splice(Math.floor(Math.random() * comers.length), 1)[0];
      const ws = going ? await going : null;
      if (ws) await timed("leave", () => leave(ws));
    }),
    schedule(churnRate, () =>
      timed("status", async () => {
        monitors[Math.floor(Math.random() * monitorCount)]!.send(JSON.stringify({ type: "set_status", status: Math.random() < 0.5 ? "busy" : "online" }));
      }),
    ),
  ]);
  running = false;
  clearInterval(pinger);
  // Bounded: what is unfinished 20 s after the last operation was issued counts as failed.
  let unfinished = inFlight.length;
  const settled = inFlight.map((p) => p.finally(() => unfinished--));
  await Promise.race([Promise.allSettled(settled), sleep(20_000)]);
  const elapsed = (Date.now() - t0) / 1000;
  console.log("BENCH-WINDOW-END");
  await Promise.race([Promise.allSettled(chats), sleep(20_000)]);
  for (let k = 0; k < unfinished; k++) errors.push("unfinished: no answer within 20 s after the last operation was issued");

  const queueOps = done.offer + done.accept + done.staffing + done.join + done.leave + done.status;
  const missing = [...offeredAt.keys()].reduce((n, id) => n + Math.max(0, monitorCount - (reached.get(id) ?? 0)), 0);
  const result = {
    monitors: monitorCount,
    seconds,
    rates: { requests: requestRate, status: statusRate, churn: churnRate },
    queueOperations: queueOps,
    queueOpsPerSecond: Math.round((queueOps / elapsed) * 10) / 10,
    byKind: done,
    requests: offeredAt.size,
    deliveries: latency.reach!.length,
    missing,
    acceptViolations: violations.length,
    violationSamples: violations.slice(0, 5),
    chatLines: chat,
    offerMs: summarize(latency.offer!),
    reachEachMonitorMs: summarize(latency.reach!),
    acceptMs: summarize(latency.accept!),
    staffingMs: summarize(latency.staffing!),
    joinMs: summarize(latency.join!),
    leaveMs: summarize(latency.leave!),
    chatLineAckMs: summarize(latency.line!),
    ...failureCounts(errors),
  };
  console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
  if (unfinished === 0) {
    const open = (await Promise.all(comers)).filter((ws): ws is WebSocket => ws !== null);
    await Promise.allSettled([...open, ...monitors].map(leave));
  }
});
