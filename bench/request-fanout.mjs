// Request fan-out: how long after a patron's POST /api/chats does the new
// request appear (request.added) on every monitoring librarian's queue socket?
// Target: within 100 ms on loopback.
//
// Starts its own `wrangler dev` (scripts/local-state.mjs) on a free loopback
// port with a fresh persistence directory, adds N librarians to the demo
// library, signs each in through /api/auth/sign-in, opens N queue sockets
// (Node 22's WebSocket accepts a Cookie header), then starts chats one after
// another and times each one's arrival on every socket. Prints a table and
// JSON; exit code 1 if the p99 misses the target. Bounded: it stops by itself.
//
// Besides the end-to-end figure it prints two that explain it: the part after
// the chat's object was created (the request's createdAt, stamped by the
// object on this machine's clock, to its arrival: the queue fan-out itself),
// and the plain HTTP round trip of wrangler dev on this machine (a trivial
// GET), which every POST pays before any of our code runs.
//
//   node bench/request-fanout.mjs [--librarians=50] [--chats=20] [--gap-ms=200] [--target-ms=100]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { hashPassword, prepareLocalState, startWranglerDev, stopWranglerDev, wrangler } from "../scripts/local-state.mjs";
import { figure, writeResults } from "./lib/report.mjs";
import { freePort } from "./lib/server.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const LIBRARIANS = Number(args.librarians ?? 50);
const CHATS = Number(args.chats ?? 20);
const GAP_MS = Number(args["gap-ms"] ?? 200);
const TARGET_MS = Number(args["target-ms"] ?? 100);
/** The whole run, start-up included, never takes longer than this. */
const DEADLINE_MS = 180_000;
const LIBRARY = "springfield";
const QUEUE = `lib:${LIBRARY}`;
const FORM = "springfield-chat";
const PASSWORD = "bench-password";

async function addLibrarians(persistDir) {
  // Few PBKDF2 rounds: a throwaway fixture.
  const hash = await hashPassword(PASSWORD, 1000);
  const rows = Array.from({ length: LIBRARIANS }, (_, i) => `('bench-${i}', '${LIBRARY}', 'bench-${i}@bench.example', 'Bench ${i}', '${hash}', 'librarian', ${Date.now()})`);
  const file = path.join(persistDir, "bench-librarians.sql");
  writeFileSync(file, `INSERT INTO librarians (id, library_id, email, display_name, password_hash, role, created_at) VALUES\n${rows.join(",\n")};\n`);
  wrangler(["d1", "execute", "DB", "--local", "--file", file], persistDir);
}

async function signIn(base, i) {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ email: `bench-${i}@bench.example`, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${i}: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}

/** A queue socket that notes, by question, when each request.added arrived. */
function monitor(base, cookie) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/queues/${encodeURIComponent(QUEUE)}/socket`, { headers: { Cookie: cookie, Origin: base } });
    const arrivals = new Map();
    /** Wall-clock arrival minus the object's createdAt stamp, by question. */
    const sinceCreated = new Map();
    const timer = setTimeout(() => reject(new Error("no queue snapshot within 15 s")), 15_000);
    ws.onmessage = (e) => {
      const at = performance.now();
      if (typeof e.data !== "string" || e.data === "pong") return;
      const frame = JSON.parse(e.data);
      if (frame.type === "queue.snapshot") {
        clearTimeout(timer);
        resolve({ ws, arrivals, sinceCreated });
      } else if (frame.type === "request.added") {
        arrivals.set(frame.request.question, at);
        sinceCreated.set(frame.request.question, Date.now() - frame.request.createdAt);
      }
    };
    ws.onerror = () => reject(new Error("queue socket failed"));
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "refdesk-fanout-"));
  let server = null;
  const sockets = [];
  const watchdog = setTimeout(() => {
    console.error(`request-fanout: gave up after ${DEADLINE_MS / 1000} s`);
    if (server) stopWranglerDev(server.child);
    process.exit(2);
  }, DEADLINE_MS);
  try {
    await prepareLocalState(persistDir);
    await addLibrarians(persistDir);
    server = await startWranglerDev({ port: await freePort(), persistDir });
    const base = server.base;

    const cookies = [];
    for (let i = 0; i < LIBRARIANS; i++) cookies.push(await signIn(base, i));
    for (const cookie of cookies) sockets.push(await monitor(base, cookie));

    const perRequest = [];
    const postTimes = [];
    const fanOut = [];
    const httpBaseline = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await (await fetch(`${base}/api/auth/me`)).text();
      httpBaseline.push(performance.now() - t);
    }
    const perMonitor = [];
    let missing = 0;
    for (let c = 0; c < CHATS; c++) {
      const question = `Fan-out probe ${c} ${Date.now()}`;
      const started = performance.now();
      const res = await fetch(`${base}/api/chats`, {
        method: "POST",
        // One address per simulated patron: starting chats is rate limited per address.
        headers: { "Content-Type": "application/json", Origin: base, "CF-Connecting-IP": `10.9.${c >> 8}.${c & 255}` },
        body: JSON.stringify({ formId: FORM, question }),
      });
      if (res.status !== 201) throw new Error(`POST /api/chats: ${res.status} ${await res.text()}`);
      postTimes.push(performance.now() - started);
      const deadline = performance.now() + 5000;
      while (sockets.some((s) => !s.arrivals.has(question)) && performance.now() < deadline) await sleep(2);
      const times = sockets.map((s) => s.arrivals.get(question)).filter((t) => t !== undefined).map((t) => t - started);
      missing += sockets.length - times.length;
      perMonitor.push(...times);
      if (times.length === sockets.length) {
        perRequest.push(Math.max(...times));
        fanOut.push(Math.max(...sockets.map((s) => s.sinceCreated.get(question))));
      }
      await sleep(GAP_MS);
    }

    const everyScreen = summary(perRequest);
    const eachScreen = summary(perMonitor);
    const ok = missing === 0 && everyScreen.p99 <= TARGET_MS;
    const fmt = (v) => `${v.toFixed(1)} ms`.padStart(10);
    console.log(`\n${LIBRARIANS} librarians monitoring ${QUEUE}, ${CHATS} chats started ${GAP_MS} ms apart; target ${TARGET_MS} ms\n`);
    console.log("measure".padEnd(44) + "p50".padStart(10) + "p99".padStart(10) + "max".padStart(10) + "  samples");
    console.log("POST → request.added on every screen".padEnd(44) + fmt(everyScreen.p50) + fmt(everyScreen.p99) + fmt(everyScreen.max) + `  ${everyScreen.samples}`);
    console.log("POST → request.added on one screen".padEnd(44) + fmt(eachScreen.p50) + fmt(eachScreen.p99) + fmt(eachScreen.max) + `  ${eachScreen.samples}`);
    const post = summary(postTimes);
    const created = summary(fanOut);
    const baseline = summary(httpBaseline);
    console.log("object created → on every screen (fan-out)".padEnd(44) + fmt(created.p50) + fmt(created.p99) + fmt(created.max) + `  ${created.samples}`);
    console.log("POST /api/chats response".padEnd(44) + fmt(post.p50) + fmt(post.p99) + fmt(post.max) + `  ${post.samples}`);
    console.log("wrangler dev HTTP round trip (GET, 401)".padEnd(44) + fmt(baseline.p50) + fmt(baseline.p99) + fmt(baseline.max) + `  ${baseline.samples}`);
    console.log(`missing arrivals: ${missing}; within target: ${ok ? "yes" : "NO"}\n`);
    const figures = [
      figure("POST → request.added on every screen p50 / p99", `${everyScreen.p50.toFixed(1)} / ${everyScreen.p99.toFixed(1)}`, "ms", `p99 ≤ ${TARGET_MS} ms`, everyScreen.p99 <= TARGET_MS),
      figure("POST → request.added on one screen p50 / p99", `${eachScreen.p50.toFixed(1)} / ${eachScreen.p99.toFixed(1)}`, "ms"),
      figure("object created → on every screen p50 / p99", `${created.p50.toFixed(1)} / ${created.p99.toFixed(1)}`, "ms"),
      figure("POST /api/chats response p50 / p99", `${post.p50.toFixed(1)} / ${post.p99.toFixed(1)}`, "ms"),
      figure("wrangler dev HTTP round trip (GET, 401) p50 / p99", `${baseline.p50.toFixed(1)} / ${baseline.p99.toFixed(1)}`, "ms"),
      figure("missing arrivals", missing, "", "0", missing === 0),
    ];
    writeResults("request-fanout", { figures, librarians: LIBRARIANS, chats: CHATS, gapMs: GAP_MS, targetMs: TARGET_MS, everyScreenMs: everyScreen, eachScreenMs: eachScreen, createdToEveryScreenMs: created, postResponseMs: post, httpBaselineMs: baseline, missing, ok });
    return ok ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    for (const s of sockets) s.ws.close(1000);
    if (server) stopWranglerDev(server.child);
    rmSync(persistDir, { recursive: true, force: true });
  }
}

process.exit(await main());
