// `npm run bench:noisy`: the noisy neighbour. 200 chats at normal traffic
// (500 B every 5 s each) while one patron floods each frame type in turn, as
// fast as the socket takes them, in a waiting chat and in an active one.
// Every flood window's patron→librarian p99 is compared with the quiet
// windows of the same run (target: within 1.5×). Starts its own server, stops
// by itself, prints the figures as a table and JSON (bench/results/).
//
//   node bench/noisy-neighbour.mjs                    full run (about 6 minutes)
//   node bench/noisy-neighbour.mjs --quick            40 chats, short windows
//   node bench/noisy-neighbour.mjs --flood=10 --quiet=10 --sessions=200
//   node bench/noisy-neighbour.mjs --through-proxy   through wrangler dev's proxy
//
// By default every client talks to the runtime's own port: wrangler dev's
// proxy is one Node process relaying every socket's frames, so a flood through
// it delays everyone at the proxy — a part of the local server a deployment
// does not have. `--through-proxy` measures with it.
//
// Exit code 1 if a message is lost or a flood pushes others' p99 past 1.5×.
import { FLOODS } from "./lib/floods.mjs";
import { noisyNeighbourScenario } from "./lib/noisy-neighbour.mjs";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const quick = Boolean(opts.quick);
const sessions = Number(opts.sessions ?? (quick ? 40 : 200));
const floodMs = Number(opts.flood ?? (quick ? 4 : 12)) * 1000;
const quietMs = Number(opts.quiet ?? (quick ? 4 : 8)) * 1000;
const only = opts.only ? new Set(String(opts.only).split(",")) : null;
const RATIO_TARGET = 1.5;

const server = await startBenchServer({ name: "noisy" });
let r;
try {
  console.log(`noisy neighbour: ${sessions} chats, ${FLOODS.length} floods of ${floodMs / 1000} s, quiet ${quietMs / 1000} s between…`);
  const base = opts["through-proxy"] ? server.base : await server.directBase();
  console.log(`clients talk to ${opts["through-proxy"] ? "wrangler dev's proxy" : "the runtime directly"} (${base})`);
  r = await noisyNeighbourScenario(base, {
    sessions,
    librarians: Math.max(1, Math.round(sessions / 10)),
    floods: only ? FLOODS.filter((f) => only.has(f.name)) : FLOODS,
    floodMs,
    quietMs,
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
];
let fair = true;
for (const f of r.floods) {
  const ok = f.p99Ratio !== null && atMost(f.p99Ratio, RATIO_TARGET) && f.lost === 0;
  fair &&= ok;
  const flooded = `${f.flooder.sent} frames, ${f.flooder.connections} sockets, ${f.flooder.refusedUpgrades} refused`;
  figures.push(figure(`${f.flood}: others' p99 ÷ quiet p99 (${f.deliveryMs.p99} ms; flooder ${flooded})`, f.p99Ratio === null ? "n/a" : Math.round(f.p99Ratio * 100) / 100, "×", `≤ ${RATIO_TARGET}×`, ok));
}
printTable(`Noisy neighbour: ${sessions} chats, ${r.floods.length} floods`, figures);
writeResults("noisy-neighbour", { figures, throughProxy: Boolean(opts["through-proxy"]), results: r });
process.exit(r.lost === 0 && fair ? 0 : 1);
