// A statewide cooperative's queue: 500 librarians monitoring one queue object
// while 5 new requests a second arrive and are accepted (two monitors racing
// for each), their chats go on, the members' sites ask for the queue's status
// on every page view (1,000 a second) and librarians come, go and change their
// status — driven from inside workerd (bench/queue-object/statewide.run.ts),
// the objects' storage on disk unless --storage=tmpfs.
//
//   node bench/statewide.mjs [--monitors=500] [--seconds=30] [--requests=5] [--status=1000] [--churn=2] [--storage=disk|tmpfs]
//
// Exit code 1 on a failed operation, an "overloaded" error, a request not shown
// to every monitor, or an accept with other than one winner.
import os from "node:os";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { runWorkerdDriver } from "./lib/workerd-driver.mjs";

const opts = cliOptions();
const settings = {
  BENCH_MONITORS: opts.monitors ?? "500",
  BENCH_SECONDS: opts.seconds ?? "30",
  BENCH_REQUESTS_PER_SECOND: opts.requests ?? "5",
  BENCH_STATUS_PER_SECOND: opts.status ?? "1000",
  BENCH_CHURN_PER_SECOND: opts.churn ?? "2",
};
const storage = opts.storage ?? "disk";
const tmp = storage === "tmpfs" ? "/dev/shm" : os.tmpdir();
const seconds = Number(settings.BENCH_SECONDS);

console.log(`statewide queue: ${settings.BENCH_MONITORS} monitors, ${settings.BENCH_REQUESTS_PER_SECOND} new requests/s, ${settings.BENCH_STATUS_PER_SECOND} status checks/s, for ${seconds} s, storage on ${storage}…`);
const r = await runWorkerdDriver("statewide.run.ts", { tmp, env: settings, timeoutSeconds: seconds + 600 });

const opsTarget = 1000;
const figures = [
  figure("queue operations per second (offers, accepts, status checks, joins, leaves, status changes)", r.queueOpsPerSecond, "/s", `≥ ${opsTarget} /s`, r.queueOpsPerSecond >= opsTarget),
  figure('failed operations, "overloaded" errors', `${r.errors}, ${r.overloaded}`, "", "0, 0", r.errors === 0 && r.overloaded === 0),
  figure("requests / shown to every monitor: missing deliveries", `${r.requests} / ${r.missing}`, "", "0 missing", r.missing === 0),
  figure("accepts with other than exactly one winner (two racing each)", `${r.acceptViolations} of ${r.byKind.accept}`, "", "0", r.acceptViolations === 0),
  figure(`new request → each of ${r.monitors} monitors p50 / p99`, `${r.reachEachMonitorMs.p50} / ${r.reachEachMonitorMs.p99}`, "ms"),
  figure("new request stored and offered (start → waiting) p50 / p99", `${r.offerMs.p50} / ${r.offerMs.p99}`, "ms"),
  figure("accept (two racing) p50 / p99", `${r.acceptMs.p50} / ${r.acceptMs.p99}`, "ms", "p99 ≤ 1000 ms", atMost(r.acceptMs.p99, 1000)),
  figure("status check (is anybody monitoring?) p50 / p99", `${r.staffingMs.p50} / ${r.staffingMs.p99}`, "ms"),
  figure("monitor joins / leaves p99", `${r.joinMs.p99} / ${r.leaveMs.p99}`, "ms"),
  figure("chat lines sent / acknowledged, ack p99", `${r.chatLines.sent} / ${r.chatLines.acknowledged}, ${r.chatLineAckMs.p99}`, "ms"),
];
if (r.cpu) figures.push(figure("CPU of workerd + vitest / other jobs", `${r.cpu.serverPercent.total} / ${r.cpu.otherProcessesPercent}`, "% of a core"));
const correct = r.errors === 0 && r.overloaded === 0 && r.missing === 0 && r.acceptViolations === 0;
printTable(`Statewide queue: one queue object, ${r.monitors} monitors (driven inside workerd, storage on ${storage})`, figures);
writeResults("statewide", { settings, storage, figures, result: r, correct });
process.exit(correct && r.queueOpsPerSecond >= opsTarget ? 0 : 1);
