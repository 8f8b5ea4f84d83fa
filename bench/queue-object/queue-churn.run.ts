/**
 * Drives one RequestQueue object at BENCH_OPS_PER_SECOND for BENCH_SECONDS,
 * from inside workerd: 40 % librarians joining (a monitor socket opened on the
 * object, as the Worker's route does after its checks), 40 % leaving (closing
 * one), 20 % accepting (ChatSession.claim, which removes the request from the
 * queue), with a new request arriving (ChatSession.start → offer) for each
 * accept. Open loop. Prints one `BENCH-RESULT {json}` line.
 */
import { applyD1Migrations, env } from "cloudflare:test";
import { it } from "vitest";
import type { StartChat } from "../../src/objects/contracts";
import { closeAndWait, joinQueue } from "./queue-sockets";
import { failureCounts, sleep, summarize } from "./summary";

interface Env2 {
  BENCH_OPS_PER_SECOND: string;
  BENCH_SECONDS: string;
  TEST_MIGRATIONS: { name: string; queries: string[] }[];
}
const benchEnv = env as unknown as Env & Env2;

const QUEUE = "lib:queue-object-bench";
const LIBRARIANS = Array.from({ length: 60 }, (_, i) => ({ id: `qb-${i}`, name: `Librarian ${i}`, libraryId: "queue-object-bench" }));

const join = (librarian: (typeof LIBRARIANS)[number]) => joinQueue(QUEUE, librarian);
const leave = closeAndWait;

let chatCounter = 0;
async function arrive(): Promise<string> {
  const sessionId = crypto.randomUUID();
  const init: StartChat = {
    sessionId,
    tokenHash: "0".repeat(64),
    libraryId: "queue-object-bench",
    libraryName: "Queue object bench",
    formId: null,
    queueId: QUEUE,
    question: `question ${chatCounter++}`,
    patronName: null,
    patronEmail: null,
    transcriptOptOut: false,
    waitLimitSeconds: 3600,
  };
  const r = await benchEnv.CHAT_SESSION.getByName(sessionId).start(init);
  if (r.status !== "waiting") throw new Error(`new request is ${r.status}`);
  return sessionId;
}

it("queue object churn", async () => {
  await applyD1Migrations(benchEnv.DB, benchEnv.TEST_MIGRATIONS);
  const opsPerSecond = Number(benchEnv.BENCH_OPS_PER_SECOND);
  const seconds = Number(benchEnv.BENCH_SECONDS);
  const cycle = ["join", "leave", "join", "leave", "accept"] as const;
  const totalOps = Math.floor(opsPerSecond * seconds);
  const steady = await Promise.all(LIBRARIANS.slice(0, 5).map(join));
  const waiting: Promise<string>[] = Array.from({ length: 20 }, () => arrive());
  await Promise.all(waiting);
  // Joins started, finished or not: a leave closes one of them (waiting for it
  // to open if need be), so the number of open monitors stays what the mix
  // makes it even when the object falls behind.
  const joined: Promise<WebSocket | null>[] = [];
  const latency: Record<string, number[]> = { join: [], leave: [], accept: [], arrive: [] };
  const done: Record<string, number> = { join: 0, leave: 0, accept: 0, arrive: 0 };
  const errors: string[] = [];
  let next = 0;
  const timed = async (kind: string, op: () => Promise<unknown>) => {
    const t = Date.now();
    try {
      await op();
      latency[kind]!.push(Date.now() - t);
      done[kind]!++;
    } catch (error) {
      errors.push(`${kind}: ${String(error).slice(0, 200)}`);
    }
  };
  const run = {
    join: () => {
      const opened = join(LIBRARIANS[5 + Math.floor(Math.random() * 55)]!);
      joined.push(opened.catch(() => null));
      return timed("join", () => opened);
    },
    leave: () => {
      const opening = joined.splice(Math.floor(Math.random() * joined.length), 1)[0];
      if (!opening) return run.join();
      return opening.then((ws) => (ws ? timed("leave", () => leave(ws, Math.random() < 0.5 ? 1000 : 1001)) : undefined));
    },
    accept: () => {
      waiting.push(
        (async () => {
          const t = Date.now();
          const id = await arrive();
          latency.arrive!.push(Date.now() - t);
          done.arrive!++;
          return id;
        })(),
      );
      const target = waiting[next++]!;
      return timed("accept", async () => {
        const sessionId = await target;
        const r = await benchEnv.CHAT_SESSION.getByName(sessionId).claim(LIBRARIANS[Math.floor(Math.random() * 60)]!, [QUEUE]);
        if (!r.ok) throw new Error(`claim: ${r.code}`);
      });
    },
  };
  console.log("BENCH-WINDOW-START");
  const t0 = Date.now();
  const inFlight: Promise<unknown>[] = [];
  for (let k = 0; k < totalOps; k++) {
    const wait = t0 + (k * 1000) / opsPerSecond - Date.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(run[cycle[k % cycle.length]!]());
  }
  // Bounded: operations still unfinished 20 s after the last was issued count as
  // failed (the object fell behind), so an overloaded run ends and reports.
  let unfinished = 0;
  const settled = inFlight.map((p) => p.finally(() => unfinished--));
  unfinished = settled.length;
  await Promise.race([Promise.allSettled(settled), sleep(20_000)]);
  const elapsed = (Date.now() - t0) / 1000;
  for (let k = 0; k < unfinished; k++) errors.push("unfinished: no answer within 20 s after the last operation was issued");
  console.log("BENCH-WINDOW-END");
  const completed = done.join! + done.leave! + done.accept!;
  const result = {
    targetOpsPerSecond: opsPerSecond,
    seconds,
    operations: totalOps,
    completed,
    achievedOpsPerSecond: Math.round((completed / elapsed) * 10) / 10,
    byKind: done,
    joinMs: summarize(latency.join!),
    leaveMs: summarize(latency.leave!),
    acceptMs: summarize(latency.accept!),
    newRequestMs: summarize(latency.arrive!),
    ...failureCounts(errors),
  };
  console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
  if (unfinished === 0) {
    const open = (await Promise.all(joined)).filter((ws): ws is WebSocket => ws !== null);
    await Promise.allSettled([...open, ...steady].map((ws) => leave(ws, 1000)));
  }
});
