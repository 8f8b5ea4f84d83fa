// Faults, checked Jepsen-style: 100 sessions × 100 messages (patron and
// librarian alternating) through the real client, while sockets are cut
// without a close frame at random every 0.5–5 s, the Worker's code is
// reloaded, the runtime workerd is killed with SIGKILL (wrangler restarts it on
// the same persisted state) and the objects are left idle long enough to
// hibernate. Then the single cases: a socket that closes without a close frame,
// two connections of one patron, hibernation mid-chat.
//
//   node bench/faults.mjs                       full run (about 3 minutes)
//   node bench/faults.mjs --sessions=10 --messages=20 --window=10
//
// Exit code 1 on any violation (lost, duplicated, reordered, …) or failed case.
import { hibernationMidChat, monitorVanishes, patronVanishes, twoPatronConnections } from "./lib/fault-cases.mjs";
import { faultRun } from "./lib/faults.mjs";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const sessions = Number(opts.sessions ?? 100);
const messagesPerSession = Number(opts.messages ?? 100);
const sendWindowMs = Number(opts.window ?? 90) * 1000;
const idleMs = Number(opts.idle ?? 12) * 1000;

const server = await startBenchServer({ name: "faults" });
let run;
const cases = [];
try {
  console.log(`fault run: ${sessions} sessions × ${messagesPerSession} messages over ${sendWindowMs / 1000} s of sending…`);
  run = await faultRun(server, {
    sessions,
    messagesPerSession,
    sendWindowMs,
    faults: [
      { at: 0.25, kind: "reload" },
      { at: 0.5, kind: "kill-runtime" },
      { at: 0.75, kind: "idle", ms: idleMs },
    ],
    log: (line) => console.log(`  ${line}`),
  });
  for (const c of [patronVanishes, monitorVanishes, twoPatronConnections, (base) => hibernationMidChat(base, { idleMs })]) {
    const r = await c(server.base).catch((error) => ({ name: c.name, ok: false, details: { error: String(error) } }));
    console.log(`  case: ${r.name}: ${r.ok ? "ok" : "FAILED"}`);
    cases.push(r);
  }
} finally {
  await server.stop();
}

const v = run.violations;
const figures = [
  figure("messages sent / acknowledged / stored", `${run.messagesSent} / ${run.acknowledgements} / ${run.storedMessages}`, ""),
  figure("sockets cut without a close frame", run.socketsCut, ""),
  figure("acknowledged messages lost", v.lost ?? 0, "", "0", !v.lost),
  figure("duplicates shown / stored twice", `${v["duplicate shown"] ?? 0} / ${v["stored twice"] ?? 0}`, "", "0 / 0", !v["duplicate shown"] && !v["stored twice"]),
  figure("shown out of sequence order", v.reordered ?? 0, "", "0", !v.reordered),
  figure("other violations (ack changed, not shown, never stored, gaps)", run.violationCount - (v.lost ?? 0) - (v["duplicate shown"] ?? 0) - (v["stored twice"] ?? 0) - (v.reordered ?? 0), "", "0", run.violationCount === (v.lost ?? 0) + (v["duplicate shown"] ?? 0) + (v["stored twice"] ?? 0) + (v.reordered ?? 0)),
  figure("resume: new socket (or server back) → caught up, p50", run.resumeMs.p50, "ms"),
  figure("resume: new socket (or server back) → caught up, p99", run.resumeMs.p99, "ms", "≤ 500 ms", atMost(run.resumeMs.p99, 500)),
  figure("  after a socket cut: count, p99", `${run.resumeAfterSocketCutMs.count}, ${run.resumeAfterSocketCutMs.p99}`, "ms"),
  figure("  after a code reload or kill -9: count, p99", `${run.resumeAfterServerRestartMs.count}, ${run.resumeAfterServerRestartMs.p99}`, "ms"),
  figure("outage incl. client backoff and server restarts, p50 / p99", `${run.outageMs.p50} / ${run.outageMs.p99}`, "ms"),
  ...cases.map((c) => figure(`case: ${c.name}`, c.ok ? "passed" : "FAILED", "", "passes", c.ok)),
];
printTable(`Faults: ${sessions} sessions × ${messagesPerSession} messages`, figures);
const correct = run.violationCount === 0 && cases.every((c) => c.ok);
writeResults("faults", { sessions, messagesPerSession, sendWindowMs, figures, run, cases, correct });
process.exit(correct ? 0 : 1);
