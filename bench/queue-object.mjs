// The queue object under churn, measured at the object: 200 joins/leaves/
// accepts per second on one RequestQueue, driven from inside workerd
// (bench/queue-object/queue-churn.run.ts, run through Cloudflare's Vitest
// integration with the real objects from wrangler.toml). Through wrangler
// dev the same mix also pays the dev server's HTTP proxy and the Worker's
// sign-in lookups per join and accept; `npm run bench` measures that path.
//
// The objects' storage lives in the temp directory. It runs twice: on disk
// (every durable write waits for this VM's fsync) and on tmpfs (/dev/shm).
//
//   node bench/queue-object.mjs [--rate=200] [--seconds=15] [--storage=disk|tmpfs|both]
//
// Exit code 1 on a failed operation or an "overloaded" error.
import os from "node:os";
import { atMost, cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { runWorkerdDriver } from "./lib/workerd-driver.mjs";

const opts = cliOptions();
const rate = Number(opts.rate ?? 200);
const seconds = Number(opts.seconds ?? 15);
const storages = { disk: os.tmpdir(), tmpfs: "/dev/shm" };
const wanted = opts.storage && opts.storage !== "both" ? [opts.storage] : Object.keys(storages);

/** Runs the driver once with its storage under `tmp`; resolves with its result and the CPU of the run's processes. */
const runDriver = (tmp) =>
  runWorkerdDriver("queue-churn.run.ts", { tmp, env: { BENCH_OPS_PER_SECOND: String(rate), BENCH_SECONDS: String(seconds) }, timeoutSeconds: seconds + 240 });

const figures = [];
const results = {};
let correct = true;
for (const storage of wanted) {
  console.log(`queue object, storage on ${storage} (${storages[storage]}): ${rate} operations per second for ${seconds} s…`);
  const r = await runDriver(storages[storage]).catch((error) => {
    console.error(String(error));
    return null;
  });
  if (!r) {
    correct = false;
    figures.push(figure(`${storage}: driver finished and reported`, "no", "", "yes", false));
    continue;
  }
  results[storage] = r;
  correct &&= r.errors === 0 && r.overloaded === 0;
  figures.push(figure(`${storage}: joins/leaves/accepts per second achieved`, r.achievedOpsPerSecond, "/s", `≥ ${rate} /s`, r.achievedOpsPerSecond >= rate * 0.97));
  figures.push(figure(`${storage}: failed operations, "overloaded" errors`, `${r.errors}, ${r.overloaded}`, "", "0, 0", r.errors === 0 && r.overloaded === 0));
  figures.push(figure(`${storage}: join p50 / p99`, `${r.joinMs.p50} / ${r.joinMs.p99}`, "ms"));
  figures.push(figure(`${storage}: accept p50 / p99`, `${r.acceptMs.p50} / ${r.acceptMs.p99}`, "ms", "p99 ≤ 1000 ms", atMost(r.acceptMs.p99, 1000)));
  figures.push(figure(`${storage}: leave p99, new request p99`, `${r.leaveMs.p99}, ${r.newRequestMs.p99}`, "ms"));
  if (r.cpu) figures.push(figure(`${storage}: CPU of workerd + vitest / other jobs`, `${r.cpu.serverPercent.total} / ${r.cpu.otherProcessesPercent}`, "% of a core"));
}

printTable(`Queue object: ${rate} joins/leaves/accepts per second (driven inside workerd)`, figures);
writeResults("queue-object", { rate, seconds, figures, results, correct });
process.exit(correct ? 0 : 1);
