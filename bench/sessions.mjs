// `npm run bench:sessions`: many concurrent sessions in one run — what a
// session costs in server memory while its object is in memory and idle,
// once the runtime has hibernated it (its socket kept, the object evicted),
// and once it is chatting again, and how long the first message after
// hibernation takes to be stored and acknowledged. Memory is the runtime
// workerd's resident set (VmRSS in /proc) before and after, divided by the
// sessions; the dev proxy's is given apart (a deployment has none).
//
//   node bench/sessions.mjs [--sessions=10000] [--idle=20] [--wake=500] [--create-minutes=10] [--min-available-mb=6000] [--via-proxy]
//
// Sessions are opened straight at the runtime's own HTTP port, behind wrangler
// dev's proxy (which a deployment does not have, and which holds two open files
// per socket: about 5,000 sockets fill this machine's limit of 20,000);
// --via-proxy opens them through wrangler dev instead.
//
// Bounded: it stops opening sessions after --create-minutes, or when the
// machine has less than --min-available-mb of memory available.
//
// Each session is a waiting chat (one librarian monitors the queue) with its
// patron's socket open, pinging every 10 s like the real client (the runtime
// answers pings without waking the object). With --floor, each is instead a
// patron socket on its own minimal relay object (bench/floor/relay-floor.ts:
// same runtime, no storage), for comparison.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { forEachLimited, startChat } from "./lib/http.mjs";
import { monitoringLibrarians } from "./lib/load-scenarios.mjs";
import { classify, processTree } from "./lib/processes.mjs";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { benchFormId } from "./lib/seed.mjs";
import { openSocket, patronSocket } from "./lib/socket.mjs";
import { startBenchServer } from "./lib/server.mjs";
import { summarize } from "./lib/stats.mjs";

const opts = cliOptions();
const target = Number(opts.sessions ?? 10_000);
const idleSeconds = Number(opts.idle ?? 20);
const wakeCount = Number(opts.wake ?? 500);
const createMs = Number(opts["create-minutes"] ?? 10) * 60_000;
const libraryId = "bench-load";
const floor = Boolean(opts.floor);
const viaProxy = Boolean(opts["via-proxy"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident memory in KB of the runtime and the proxy workerd of `server`. */
function rss(server) {
  const out = { runtime: 0, proxy: 0 };
  for (const p of processTree(server.rootPid)) {
    const kind = classify(p, server.port);
    if (kind === "wrangler") continue;
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
    out[kind] += m ? Number(m[1]) : 0;
  }
  return out;
}
/** The runtime's open descriptors: sockets, the objects' SQLite files, other. */
function descriptors(server) {
  const out = { sockets: 0, sqliteFiles: 0, other: 0 };
  for (const p of processTree(server.rootPid)) {
    if (classify(p, server.port) !== "runtime") continue;
    for (const fd of readdirSync(`/proc/${p.pid}/fd`)) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith("socket:")) out.sockets++;
      else if (/\.sqlite(-wal|-shm|-journal)?$/.test(target)) out.sqliteFiles++;
      else out.other++;
    }
  }
  return out;
}
const perSession = (after, before, n) => Math.round(((after - before) / n) * 10) / 10;
/** The machine's available memory in MB: the run stops opening sessions below MIN_AVAILABLE_MB (the machine may be shared). */
const availableMb = () => Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 1024;
const MIN_AVAILABLE_MB = Number(opts["min-available-mb"] ?? 6000);

const server = await startBenchServer({ name: "sessions", floor });
const results = {};
try {
  const at = viaProxy ? server.base : await server.directBase();
  const { monitors } = await monitoringLibrarians(server.base, libraryId, 1);
  // Warm the paths (first requests compile code) before the baseline.
  await forEachLimited([0, 1, 2, 3, 4], 5, (i) => startChat(server.base, { formId: benchFormId(libraryId), question: `warm-up ${i}` }));
  await sleep(15_000);
  const base = rss(server);
  const fdBase = descriptors(server);
  console.log(`baseline: runtime ${base.runtime} KB, proxy ${base.proxy} KB; opening up to ${target} sessions…`);

  const acks = new Map();
  const sockets = [];
  const t0 = Date.now();
  let failures = 0;
  let stoppedForMemory = false;
  await forEachLimited(
    Array.from({ length: target }, (_, i) => i),
    16,
    async (i) => {
      if (Date.now() - t0 > createMs || stoppedForMemory) return;
      if (i % 100 === 0 && availableMb() < MIN_AVAILABLE_MB) {
        stoppedForMemory = true;
        console.log(`  stopping at ${sockets.length} sessions: the machine has under ${MIN_AVAILABLE_MB} MB available`);
        return;
      }
      try {
        const onFrame = (f, at) => {
          if (f.type === "ack" && acks.has(f.clientId)) acks.get(f.clientId)(at);
        };
        let s;
        if (floor) s = await openSocket(`${at.replace(/^http/, "ws")}/__floor/session-${i}/socket?as=patron`, { keep: false, onFrame });
        else {
          const chat = await startChat(at, { formId: benchFormId(libraryId), question: `session ${i}` });
          if (chat.httpStatus !== 201) throw new Error(String(chat.httpStatus));
          s = await patronSocket(at, chat.sessionId, chat.token, { keep: false, onFrame });
        }
        sockets.push(s);
      } catch (error) {
        if (failures++ === 0) console.log(`  first failure: ${String(error).slice(0, 300)}`);
      }
      if (sockets.length % 1000 === 0 && sockets.length > 0) console.log(`  ${sockets.length} sessions open (${Math.round((Date.now() - t0) / 1000)} s)`);
    },
  );
  const n = sockets.length;
  const createSeconds = Math.round((Date.now() - t0) / 1000);
  await sleep(2000);
  const idleInMemory = rss(server);
  const fdIdle = descriptors(server);
  console.log(`${n} sessions open in ${createSeconds} s; runtime ${idleInMemory.runtime} KB. Idle ${idleSeconds} s…`);
  await sleep(idleSeconds * 1000);
  const hibernated = rss(server);
  const fdHibernated = descriptors(server);
  const open = sockets.filter((s) => s.ws.readyState === 1).length;

  // The first message after hibernation: `wakeCount` patrons spread over 5 s, each timed to its acknowledgement.
  const woken = sockets.slice(0, Math.min(wakeCount, n));
  const ackMs = [];
  let lost = 0;
  await Promise.all(
    woken.map(async (s, k) => {
      await sleep((k / woken.length) * 5000);
      const clientId = `wake-${k}`;
      const t = performance.now();
      const got = new Promise((resolve) => acks.set(clientId, resolve));
      s.send({ type: "send", clientId, body: `first message after hibernation ${k}` });
      const at = await Promise.race([got, sleep(10_000).then(() => null)]);
      if (at === null) lost++;
      else ackMs.push(at - t);
    }),
  );
  await sleep(1000);
  const chatting = rss(server);
  for (const s of sockets) s.close(1000);
  for (const m of monitors) m.close(1000);

  Object.assign(results, { target, sessions: n, failures, stoppedForMemory, createSeconds, openAfterIdle: open, idleSeconds, rssKb: { base, idleInMemory, hibernated, chatting }, descriptors: { base: fdBase, idleInMemory: fdIdle, hibernated: fdHibernated }, wake: { count: woken.length, lost, ackMs: summarize(ackMs) } });
} finally {
  await server.stop();
}

const r = results;
const idleKb = perSession(r.rssKb.idleInMemory.runtime, r.rssKb.base.runtime, r.sessions);
const hibernatedKb = perSession(r.rssKb.hibernated.runtime, r.rssKb.base.runtime, r.sessions);
const chattingKb = perSession(r.rssKb.chatting.runtime, r.rssKb.hibernated.runtime, r.wake.count);
const figures = [
  figure("sessions open at once (of the target), failures", `${r.sessions} (${r.target}), ${r.failures}`, "", `${r.target}, 0`, r.sessions === r.target && r.failures === 0),
  figure("sockets still open after the idle wait", `${r.openAfterIdle}/${r.sessions}`, "", "all", r.openAfterIdle === r.sessions),
  figure("runtime memory per session, idle with its object in memory", idleKb, "KB", "≤ 50 KB", atMost(idleKb, 50)),
  figure(`runtime memory per session, hibernated (after ${r.idleSeconds} s idle)`, hibernatedKb, "KB"),
  figure(`runtime memory per chatting session (${r.wake.count} woken by a message)`, chattingKb, "KB"),
  figure("runtime's open descriptors per session, in memory / hibernated: sockets, SQLite files", `${perSession(r.descriptors.idleInMemory.sockets, r.descriptors.base.sockets, r.sessions)}, ${perSession(r.descriptors.idleInMemory.sqliteFiles, r.descriptors.base.sqliteFiles, r.sessions)} / ${perSession(r.descriptors.hibernated.sockets, r.descriptors.base.sockets, r.sessions)}, ${perSession(r.descriptors.hibernated.sqliteFiles, r.descriptors.base.sqliteFiles, r.sessions)}`, ""),
  figure("dev proxy memory per session (not in a deployment)", perSession(r.rssKb.hibernated.proxy, r.rssKb.base.proxy, r.sessions), "KB"),
  figure("first message after hibernation → acknowledged (stored), p50 / p99", `${r.wake.ackMs.p50} / ${r.wake.ackMs.p99}`, "ms", "p99 ≤ 50 ms", atMost(r.wake.ackMs.p99, 50)),
  figure("first messages after hibernation lost", r.wake.lost, "", "0", r.wake.lost === 0),
];
printTable(`${r.sessions} concurrent ${floor ? "floor relay objects" : "sessions"}`, figures);
writeResults(floor ? "sessions-floor" : "sessions", { figures, floor, path: viaProxy ? "wrangler dev" : "straight at the runtime", ...r });
