// Accept race: 50 librarians accept the same request at the same instant,
// 1,000 trials, on the ordinary accept path and with an extra awaited D1 write
// before the claim is decided (bench/lib/slow-accept.ts, a bench-only
// ChatSession). Every trial must have exactly one winner and 49 "taken".
//
//   node bench/accept-race.mjs                 1,000 trials per variant
//   node bench/accept-race.mjs --trials=50 --racers=20
//
// Exit code 1 if any trial broke a rule.
import { acceptRace } from "./lib/accept-race.mjs";
import { cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const trials = Number(opts.trials ?? 1000);
const racers = Number(opts.racers ?? 50);

const VARIANTS = [
  { name: "ordinary accept path (claim stored, then awaited D1 update and queue calls)", key: "ordinary", slowAccept: false },
  { name: "extra awaited D1 write before the claim is decided", key: "extraAwaitedWrite", slowAccept: true },
];

const figures = [];
const results = {};
let correct = true;
for (const v of VARIANTS) {
  const server = await startBenchServer({ name: `race-${v.key}`, slowAccept: v.slowAccept });
  try {
    console.log(`${v.name}: ${trials} trials × ${racers} librarians…`);
    const cpu = server.cpuWindow();
    const r = await acceptRace(server.base, {
      trials,
      racers,
      onProgress: (n) => n % 100 === 0 && console.log(`  ${n}/${trials}`),
    });
    r.cpu = cpu.stop();
    results[v.key] = { variant: v.name, ...r };
    const ok = r.brokenTrials === 0;
    correct &&= ok;
    figures.push(figure(`${v.key}: trials with exactly 1 winner and ${racers - 1} "taken"`, `${r.trialsWithExactlyOneWinnerAndAllOthersTaken}/${trials}`, "", "all", ok && r.trialsWithExactlyOneWinnerAndAllOthersTaken === trials));
    figures.push(figure(`${v.key}: trials breaking any rule (monitors, stored winner, joined line)`, r.brokenTrials, "", "0", ok));
    figures.push(figure(`${v.key}: trials where a rival was refused before the winner was answered`, r.rivalAnsweredBeforeWinner, ""));
    figures.push(figure(`${v.key}: accept p50 / p99 (${racers} at once)`, `${r.acceptMs.p50} / ${r.acceptMs.p99}`, "ms"));
  } finally {
    await server.stop();
  }
}

printTable(`Accept race: ${racers} librarians × ${trials} trials`, figures);
writeResults("accept-race", { trials, racers, figures, results, correct });
process.exit(correct ? 0 : 1);
