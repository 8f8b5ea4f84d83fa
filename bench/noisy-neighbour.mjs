// `npm run bench:noisy`: the noisy neighbour. 200 chats at normal traffic
// (200 B every 5 s each) while one patron floods each frame type in turn, in a
// waiting chat and in an active one, from a process of its own (a real
// flooder is another machine). Each flood runs in rounds, each after a quiet
// window, and every flood's patron→librarian p99 over its rounds is compared
// with the quiet windows of the same run. Two paces:
//   - at the highest rate the server accepts from a socket (its burst, then
//     its rate per second, for the whole window): target within 1.5×;
//   - "firehose": as fast as the connection takes frames, far past that. The
//     server closes the socket and refuses the author's reconnects for a
//     while; its ratio is reported (no target: the runtime still delivers,
//     one by one, the frames already in flight when the socket was closed),
//     and the socket must have been closed.
// Starts its own server, stops by itself, prints the figures as a table and
// JSON (bench/results/).
//
//   node bench/noisy-neighbour.mjs                    full run (about 17 minutes)
//   node bench/noisy-neighbour.mjs --quick            40 chats, short windows
//   node bench/noisy-neighbour.mjs --flood=4 --quiet=3 --rounds=4 --sessions=200
//   node bench/noisy-neighbour.mjs --only='send (waiting),typing'
//   node bench/noisy-neighbour.mjs --paces=accepted  only the accepted pace (or firehose)
//   node bench/noisy-neighbour.mjs --through-proxy   through wrangler dev's proxy
//   node bench/noisy-neighbour.mjs --no-pin          everything on every core (see pinApart)
//
// By default every client talks to the runtime's own port: wrangler dev's
// proxy is one Node process relaying every socket's frames, so a flood through
// it delays everyone at the proxy — a part of the local server a deployment
// does not have. `--through-proxy` measures with it.
//
// Exit code 1 if a message is lost, a flood at the accepted pace pushes
// others' p99 past 1.5×, or a firehose's socket is not closed.
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { FLOODS } from "./lib/floods.mjs";
import { noisyNeighbourScenario } from "./lib/noisy-neighbour.mjs";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const quick = Boolean(opts.quick);
const sessions = Number(opts.sessions ?? (quick ? 40 : 200));
const floodMs = Number(opts.flood ?? (quick ? 2 : 4)) * 1000;
const quietMs = Number(opts.quiet ?? (quick ? 2 : 3)) * 1000;
const rounds = Number(opts.rounds ?? (quick ? 2 : 4));
const only = opts.only ? new Set(String(opts.only).split(",")) : null;
const RATIO_TARGET = 1.5;

/**
 * A real flooder is another machine. Where this one has two cores or more, the
 * runtime (every thread) and this process — the timed clients — share CPU 0,
 * and the flooder gets the others, so what a flood costs the others is what
 * its frames cost the server, not the flooder's own loop competing for a core.
 * Returns the flooder's CPUs, or null when it cannot be done.
 */
function pinApart(runtimePid) {
  const cores = availableParallelism();
  if (cores < 2 || runtimePid === null) return null;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", "0", String(runtimePid)], { stdio: "ignore" });
    execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
    return cores === 2 ? "1" : `1-${cores - 1}`;
  } catch {
    return null;
  }
}

const server = await startBenchServer({ name: "noisy" });
let r;
try {
  console.log(`noisy neighbour: ${sessions} chats, each flood ${rounds} × ${floodMs / 1000} s, quiet ${quietMs / 1000} s before each…`);
  const base = opts["through-proxy"] ? server.base : await server.directBase();
  console.log(`clients talk to ${opts["through-proxy"] ? "wrangler dev's proxy" : "the runtime directly"} (${base})`);
  const cpus = opts["no-pin"] ? null : pinApart(server.runtimePid());
  console.log(cpus ? `runtime and timed clients on CPU 0, the flooder on CPU ${cpus}` : "processes not pinned (the flooder runs at the lowest priority)");
  r = await noisyNeighbourScenario(base, {
    sessions,
    librarians: Math.max(1, Math.round(sessions / 10)),
    floods: only ? FLOODS.filter((f) => only.has(f.name)) : FLOODS,
    paces: opts.paces ? String(opts.paces).split(",") : undefined,
    rounds,
    floodMs,
    quietMs,
    cpuWindow: () => server.cpuWindow(),
    flooderCpus: cpus ?? undefined,
    warmupMs: quick ? 2000 : 5000,
    log: (s) => console.log(s),
  });
} finally {
  await server.stop();
}

const figures = [
  figure("normal chats: messages delivered / sent", `${r.delivered}/${r.sent}`, "", "all", r.lost === 0),
  figure("quiet windows: patron→librarian p50", r.quiet.deliveryMs.p50, "ms"),
  figure("quiet windows: patron→librarian p99", r.quiet.deliveryMs.p99, "ms"),
  figure("quiet windows: runtime CPU, other processes (percent of a core)", r.quiet.cpu ? `${r.quiet.cpu.runtimePercent}, ${r.quiet.cpu.otherProcessesPercent}` : "n/a", "%"),
];
let fair = true;
for (const f of r.floods) {
  const flooded = `${f.flooder.sent} frames, ${f.flooder.connections} sockets, ${f.flooder.refusedUpgrades} refused`;
  const cpu = f.cpu ? `; runtime ${f.cpu.runtimePercent} % of a core, others ${f.cpu.otherProcessesPercent} %` : "";
  const ratio = f.p99Ratio === null ? "n/a" : Math.round(f.p99Ratio * 100) / 100;
  const label = `${f.flood}: others' p99 ÷ quiet p99 (${f.deliveryMs.p99} ms; flooder ${flooded}${cpu})`;
  if (f.pace === "accepted") {
    const ok = f.p99Ratio !== null && atMost(f.p99Ratio, RATIO_TARGET) && f.lost === 0;
    fair &&= ok;
    figures.push(figure(label, ratio, "×", `≤ ${RATIO_TARGET}×`, ok));
  } else {
    // Past what the server accepts: the socket is closed (policy, 1008) every round.
    const closed = (f.flooder.closes[1008] ?? 0) >= rounds && f.lost === 0;
    fair &&= closed;
    figures.push(figure(`${label}; closed for flooding ${f.flooder.closes[1008] ?? 0} times`, ratio, "×", "closed each round", closed));
  }
}
printTable(`Noisy neighbour: ${sessions} chats, ${r.floods.length} floods`, figures);
writeResults("noisy-neighbour", { figures, throughProxy: Boolean(opts["through-proxy"]), results: r });
process.exit(r.lost === 0 && fair ? 0 : 1);
