// Hostile input: the corpus in bench/hostile/ sent at every public route and
// socket of a fresh bench server — every refusal clear (status, code, field;
// or an error frame; or a close with the right code), no 5xx, nothing stored,
// no payload ever run in a page (checked in Chromium), no message body in the
// server log. Prints each group's checks and every failure; JSON in
// bench/results/.
//
//   node bench/hostile.mjs              full corpus and sweep
//   node bench/hostile.mjs --quick      smaller sweep
//   node bench/hostile.mjs --no-browser skip the Chromium page checks
//   node bench/hostile.mjs --properties=N [--seed=S]
//                                       also N generated cases per route and per
//                                       frame type, at and past every schema edge
//   node bench/hostile.mjs --properties=N --properties-only
//                                       those alone
//
// Exit code 1 on any failed check.
import { buildFrontEnds } from "../scripts/local-state.mjs";
import { hostileRun, propertyRun } from "./lib/hostile-runner.mjs";
import { cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const properties = Number(opts.properties ?? 0);
const seed = Number(opts.seed ?? Date.now() % 1_000_000);
const propertiesOnly = Boolean(opts["properties-only"]) && properties > 0;
const browser = !opts["no-browser"] && !propertiesOnly;
// The pages are checked with the front ends as they are now.
if (browser) buildFrontEnds();
const server = await startBenchServer({ name: "hostile" });
let run;
try {
  const log = (l) => console.log(`  ${l}`);
  if (properties > 0) log(`property phase: ${properties} cases per route and frame type, seed ${seed}`);
  run = propertiesOnly ? await propertyRun(server, { properties, seed, log }) : await hostileRun(server, { sweep: opts.quick ? "quick" : "full", browser, properties, seed, log });
} finally {
  await server.stop();
}
const figures = Object.entries(run.groups).map(([group, g]) => figure(`${group}: checks passed`, `${g.passed}/${g.checks}`, "", "all", g.passed === g.checks));
printTable(`Hostile input: ${run.checks} checks over ${run.routes.length} routes`, figures);
for (const f of run.failures) console.log(`FAILED [${f.group}] ${f.name}: ${f.problem}`);
writeResults("hostile", { figures, ...run, correct: run.failures.length === 0 });
process.exit(run.failures.length === 0 ? 0 : 1);
