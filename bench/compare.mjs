// `npm run bench:compare A B`: the change of every figure between two
// benchmark runs. A and B are result files (bench/results/*.json); a single
// benchmark name (e.g. `load`, `queue-object`) compares its latest two runs.
//
//   node bench/compare.mjs bench/results/load-…Z.json bench/results/load-…Z.json
//   node bench/compare.mjs load
//   node bench/compare.mjs load --json     the comparison as JSON
import { readFileSync } from "node:fs";
import path from "node:path";
import { compareRuns, formatComparison, latestTwo } from "./lib/compare.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const json = process.argv.includes("--json");
const resultsDir = path.resolve(import.meta.dirname, "results");
if (args.length < 1 || args.length > 2) {
  console.error("usage: npm run bench:compare -- <before.json> <after.json> | <benchmark name>");
  process.exit(2);
}
const [fileA, fileB] = args.length === 2 ? args : latestTwo(resultsDir, args[0]);
const [a, b] = [fileA, fileB].map((f) => JSON.parse(readFileSync(f, "utf8")));
const rows = compareRuns(a, b);
if (json) console.log(JSON.stringify({ before: { file: fileA, at: a.at }, after: { file: fileB, at: b.at }, rows }, null, 2));
else {
  console.log(`${a.benchmark} ${a.at} (${path.basename(fileA)})\n  → ${b.benchmark} ${b.at} (${path.basename(fileB)})\n`);
  console.log(formatComparison(rows));
  const changed = rows.filter((r) => r.status !== "same").length;
  console.log(`\n${rows.length} figures, ${changed} changed, added, removed or reshaped`);
}
