// `npm run bench`: latency and load against `wrangler dev` on loopback, the
// load generator (this process) and the server on the same machine, with the
// CPU each used. Starts its own server (fresh state, bench libraries), runs
// each scenario for a bounded time, prints every figure against its target as
// a table and as JSON (also written to bench/results/), and stops.
//
//   node bench/load.mjs                 full run (about 10 minutes)
//   node bench/load.mjs --quick         small counts, a few seconds each
//   node bench/load.mjs --no-floor      without the floors (each delivery scenario
//                                       otherwise also runs against a minimal relay
//                                       object and a raw loopback relay, bench/floor/)
//   node bench/load.mjs --only=delivery200,fanout --duration=30
//   node bench/load.mjs --quiet         wait (up to 10 min) before each scenario
//                                       until other jobs on the machine are idle
//   BENCH_STATE_ROOT=/dev/shm node bench/load.mjs   state on tmpfs (no disk fsync)
//
// Exit code 1 if a correctness figure fails (lost, duplicated, errors); timing
// misses are reported, not fatal, unless --strict.
import { startLoopbackRelay } from "./floor/loopback-relay.mjs";
import { fanoutScenario, deliveryScenario, floorDeliveryScenario, httpRoundTrips, queueChurnScenario } from "./lib/load-scenarios.mjs";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { waitForQuietMachine } from "./lib/processes.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const quick = Boolean(opts.quick);
const only = opts.only ? new Set(String(opts.only).split(",")) : null;
const durationMs = Number(opts.duration ?? (quick ? 8 : 60)) * 1000;
const wanted = (name) => !only || only.has(name);
const machineBefore = {};
/** With --quiet, waits for the machine to be idle before a scenario and records how busy it was. */
async function settle(name, server) {
  if (!opts.quiet) return;
  const q = await waitForQuietMachine({ ownPids: () => server.processes().map((p) => p.pid) });
  machineBefore[name] = q;
  console.log(`  machine ${q.quiet ? "quiet" : "still busy"}: other processes at ${q.otherPercent} % of a core`);
}

const results = {};
const figures = [];
let correct = true;
let timely = true;
/** A runtime replaced mid-scenario (crash or reload) is a finding in itself, and makes that scenario's figures partial. */
function checkRuntime(name, r, server) {
  if (r.cpu?.runtimeRestarted) {
    const crashes = (server.output().match(/crashed unexpectedly/g) ?? []).length;
    check(figure(`${name}: runtime workerd replaced during the run (${crashes} crash reports in the log so far)`, "yes", "", "no", false), true);
  }
}
const check = (f, correctness = false) => {
  figures.push(f);
  if (f.ok === false) {
    if (correctness) correct = false;
    else timely = false;
  }
};

/**
 * Each scenario gets its own fresh server, so what one leaves behind (2,000
 * sockets closing, 1,000 objects being evicted) is not measured by the next.
 */
async function scenario(name, run, { floor = false } = {}) {
  if (!wanted(name)) return;
  const server = await startBenchServer({ name: `load-${name}`, floor });
  try {
    await settle(name, server);
    await run(server);
  } finally {
    await server.stop();
  }
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100);

/**
 * A delivery scenario and its figures; `p50Target` and `p99Target` in ms (null: reported only).
 * Unless --no-floor, the same traffic first runs against the two floors on the
 * same server and in the same run — the minimal relay object
 * (bench/floor/relay-floor.ts) and a raw loopback WebSocket relay
 * (bench/floor/loopback-relay.mjs) — and Refdesk's latency is given as a
 * multiple of theirs.
 */
function delivery(name, sessions, { p50Target = null, p99Target }) {
  const withFloor = !opts["no-floor"];
  return scenario(name, async (server) => {
    const n = `${sessions} sessions`;
    const floors = {};
    const common = { sessions, durationMs, warmupMs: quick ? 1000 : 5000 };
    if (withFloor) {
      console.log(`delivery floor (relay object): ${sessions} pairs, ${durationMs / 1000} s…`);
      floors.relay = await floorDeliveryScenario({ ...common, socketUrl: (id, role) => `${server.base.replace(/^http/, "ws")}/__floor/${id}/socket?as=${role}`, cpuWindow: server.cpuWindow });
      const loopback = await startLoopbackRelay();
      try {
        console.log(`delivery floor (loopback relay): ${sessions} pairs, ${durationMs / 1000} s…`);
        floors.loopback = await floorDeliveryScenario({ ...common, socketUrl: (id, role) => `${loopback.base.replace(/^http/, "ws")}/${id}?as=${role}` });
      } finally {
        loopback.stop();
      }
      // The relay objects' sockets closed a moment ago: let the runtime evict them before Refdesk is measured.
      await new Promise((r) => setTimeout(r, quick ? 1000 : 15_000));
    }
    console.log(`delivery: ${sessions} sessions, ${durationMs / 1000} s…`);
    const r = await deliveryScenario(server.base, { ...common, librarians: sessions / 10, cpuWindow: server.cpuWindow });
    results[name] = { ...r, floors };
    checkRuntime(n, r, server);
    check(p50Target === null ? figure(`${n}: patron→librarian p50`, r.deliveryMs.p50, "ms") : figure(`${n}: patron→librarian p50`, r.deliveryMs.p50, "ms", `≤ ${p50Target} ms`, atMost(r.deliveryMs.p50, p50Target)));
    check(figure(`${n}: patron→librarian p99`, r.deliveryMs.p99, "ms", `≤ ${p99Target} ms`, atMost(r.deliveryMs.p99, p99Target)));
    check(figure(`${n}: patron→librarian p99.9`, r.deliveryMs.p999, "ms"));
    check(figure(`${n}: messages delivered / sent`, `${r.delivered}/${r.sent}`, "", "all, once, acknowledged", r.lost === 0 && r.duplicates === 0 && r.unacknowledged === 0), true);
    check(figure(`${n}: errors`, r.errors, "", "0", r.errors === 0), true);
    check(figure(`${n}: server CPU (runtime+proxy+wrangler)`, r.cpu.serverPercent.total, "% of a core"));
    check(figure(`${n}: load generator CPU`, r.cpu.loadGeneratorPercent, "% of a core"));
    check(figure(`${n}: other jobs on the machine meanwhile`, r.cpu.otherProcessesPercent, "% of a core"));
    for (const [key, label] of [["relay", "floor: relay object"], ["loopback", "floor: loopback relay"]]) {
      const f = floors[key];
      if (!f) continue;
      check(figure(`${n}: ${label} p50 / p99 / p99.9`, `${f.deliveryMs.p50} / ${f.deliveryMs.p99} / ${f.deliveryMs.p999}`, "ms"));
      check(figure(`${n}: ${label} delivered / sent, errors`, `${f.delivered}/${f.sent}, ${f.errors}`, "", "all, 0", f.lost === 0 && f.duplicates === 0 && f.errors === 0), true);
      if (f.cpu) check(figure(`${n}: ${label} server / load generator / other jobs CPU`, `${f.cpu.serverPercent.total} / ${f.cpu.loadGeneratorPercent} / ${f.cpu.otherProcessesPercent}`, "% of a core"));
    }
    if (floors.relay) {
      const p50 = ratio(r.deliveryMs.p50, floors.relay.deliveryMs.p50);
      const p99 = ratio(r.deliveryMs.p99, floors.relay.deliveryMs.p99);
      check(figure(`${n}: Refdesk ÷ relay object, p50`, p50, "×", "≤ 1.5×", atMost(p50, 1.5)));
      check(figure(`${n}: Refdesk ÷ relay object, p99`, p99, "×", "≤ 2×", atMost(p99, 2)));
    }
    if (floors.loopback) {
      check(figure(`${n}: Refdesk ÷ loopback relay, p50 / p99`, `${ratio(r.deliveryMs.p50, floors.loopback.deliveryMs.p50)} / ${ratio(r.deliveryMs.p99, floors.loopback.deliveryMs.p99)}`, "×"));
    }
  }, { floor: withFloor });
}

await delivery("delivery200", quick ? 20 : 200, { p50Target: 3, p99Target: 20 });
await delivery("delivery1000", quick ? 50 : 1000, { p99Target: 100 });
await scenario("fanout", async (server) => {
  const monitors = quick ? 10 : 50;
  const requests = quick ? 30 : 300;
  // Every other request and every other monitor goes straight to the runtime's own port behind
  // wrangler dev's proxy, interleaved in one run so both paths see the same load: the difference is
  // what the dev server's proxy adds, which a deployment does not have.
  const direct = opts["no-direct"] ? undefined : await server.directBase();
  console.log(`fan-out: ${requests} requests to ${monitors} monitors${direct ? ", half of each straight at the runtime" : ""}…`);
  const r = await fanoutScenario(server.base, { monitors, requests, ratePerSecond: 10, cpuWindow: server.cpuWindow, direct });
  r.httpRoundTripMs = { proxy: await httpRoundTrips(server.base, quick ? 50 : 200), ...(direct ? { direct: await httpRoundTrips(direct, quick ? 50 : 200) } : {}) };
  results.fanout = r;
  checkRuntime("fan-out", r, server);
  check(figure(`request → "queued" acknowledgement p50`, r.queuedAckMs.p50, "ms"));
  check(figure(`request → "queued" acknowledgement p99`, r.queuedAckMs.p99, "ms", "≤ 50 ms", atMost(r.queuedAckMs.p99, 50)));
  check(figure(`new request → each of ${monitors} monitors p50`, r.reachAllMonitorsMs.p50, "ms"));
  check(figure(`new request → each of ${monitors} monitors p99`, r.reachAllMonitorsMs.p99, "ms", "≤ 30 ms", atMost(r.reachAllMonitorsMs.p99, 30)));
  if (r.byPath) {
    const { proxy, direct: straight } = r.byPath;
    const share = (a, b) => (a === null || b === null ? null : Math.round((a - b) * 100) / 100);
    for (const [how, p] of [["via wrangler dev", proxy], ["direct to the runtime", straight]]) {
      check(figure(`${how}: "queued" p50 / p99`, `${p.queuedAckMs.p50} / ${p.queuedAckMs.p99}`, "ms"));
      check(figure(`${how}: reaching monitors (same path) p50 / p99`, `${p.reachMonitorsMs.p50} / ${p.reachMonitorsMs.p99}`, "ms"));
    }
    check(figure(`dev proxy's share of "queued" p50 / p99`, `${share(proxy.queuedAckMs.p50, straight.queuedAckMs.p50)} / ${share(proxy.queuedAckMs.p99, straight.queuedAckMs.p99)}`, "ms"));
    check(figure(`dev proxy's share of "reaching monitors" p50 / p99`, `${share(proxy.reachMonitorsMs.p50, straight.reachMonitorsMs.p50)} / ${share(proxy.reachMonitorsMs.p99, straight.reachMonitorsMs.p99)}`, "ms"));
  }
  for (const [how, rt] of Object.entries(r.httpRoundTripMs)) check(figure(`bare HTTP round trip ${how === "proxy" ? "via wrangler dev" : "direct to the runtime"} (404 at once) p50 / p99`, `${rt.p50} / ${rt.p99}`, "ms"));
  check(figure(`fan-out: server CPU / load generator CPU / other jobs`, `${r.cpu.serverPercent.total} / ${r.cpu.loadGeneratorPercent} / ${r.cpu.otherProcessesPercent}`, "% of a core"));
  check(figure(`fan-out: missed / duplicated / errors`, `${r.missing}/${r.duplicates}/${r.errors}`, "", "0/0/0", r.missing === 0 && r.duplicates === 0 && r.errors === 0), true);
});
await scenario("queue", async (server) => {
  // Through wrangler dev every join and accept also pays the dev server's HTTP proxy and the
  // Worker's sign-in lookups, so the rate is stepped up to find what this machine sustains end
  // to end. The object's own figure (200/s, the target) is bench/queue-object.mjs.
  const steps = quick ? [50] : [50, 100, 200];
  const seconds = quick ? 2 : 8;
  results.queueChurn = [];
  let sustained = 0;
  for (const ops of steps) {
    console.log(`queue churn through wrangler dev: ${ops} joins/leaves/accepts per second for ${seconds} s…`);
    const r = await queueChurnScenario(server.base, { opsPerSecond: ops, durationMs: seconds * 1000, cpuWindow: server.cpuWindow, serverLog: server.output });
    results.queueChurn.push(r);
    checkRuntime(`queue @ ${ops}/s`, r, server);
    const ok = r.errors === 0 && r.achievedOpsPerSecond >= ops * 0.95 && (r.acceptMs.p99 ?? Infinity) < 1000 && (r.joinMs.p99 ?? Infinity) < 1000;
    if (ok) sustained = ops;
    check(figure(`queue via wrangler dev @ ${ops}/s: achieved, failed, "overloaded"`, `${r.achievedOpsPerSecond}/s, ${r.errors}, ${r.overloadedInLog}`, ""), false);
    check(figure(`queue via wrangler dev @ ${ops}/s: join p99 / accept p99`, `${r.joinMs.p99} / ${r.acceptMs.p99}`, "ms"));
    check(figure(`queue via wrangler dev @ ${ops}/s: server / load generator / other jobs CPU`, `${r.cpu.serverPercent.total} / ${r.cpu.loadGeneratorPercent} / ${r.cpu.otherProcessesPercent}`, "% of a core"));
    if (r.overloadedInLog > 0) check(figure(`queue via wrangler dev @ ${ops}/s: "overloaded" errors`, r.overloadedInLog, "", "0", false), true);
    if (!ok) break;
  }
  check(figure("queue via wrangler dev: highest step sustained (no failures, p99 < 1 s)", sustained, "/s"));
});

printTable(`Refdesk load on loopback (${quick ? "quick" : "full"} run)`, figures);
writeResults(quick ? "load-quick" : "load", { stateRoot: process.env.BENCH_STATE_ROOT ?? "os temp dir", figures, results, machineBefore, correct, timely });
process.exit(!correct || (opts.strict && !timely) ? 1 : 0);
