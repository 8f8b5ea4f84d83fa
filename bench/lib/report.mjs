// Results: each figure against its target, printed as a table and written as
// JSON to bench/results/ (git-ignored), with the machine they came from.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const resultsDir = path.resolve(import.meta.dirname, "..", "results");

/**
 * A figure: what was measured, its value and unit, the target as text and
 * whether it was met (`ok` null when the figure has no target).
 */
export function figure(name, value, unit, target, ok) {
  return { name, value, unit, target: target ?? null, ok: ok ?? null };
}

/** `value ≤ limit`, treating a missing value as a miss. */
export function atMost(value, limit) {
  return value !== null && value !== undefined && value <= limit;
}

/** The machine the figures were measured on. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "..", "node_modules", "wrangler", "package.json"), "utf8")).version,
  };
}

/** Prints the figures as an aligned table. */
export function printTable(title, figures) {
  const rows = figures.map((f) => [f.name, f.value === null || f.value === undefined ? "—" : `${f.value}${f.unit ? " " + f.unit : ""}`, f.target ?? "", f.ok === null ? "" : f.ok ? "yes" : "NO"]);
  const head = ["figure", "measured", "target", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 1 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

/**
 * Writes `data` (plus the machine and time) to bench/results/<name>-<time>.json and prints it. Returns the path.
 * Every benchmark's file has the same shape — `benchmark`, `at`, `machine`, `figures` (see `figure`), then its
 * own raw results — so `npm run bench:compare` can set any two runs side by side.
 */
export function writeResults(name, data) {
  if (!Array.isArray(data.figures)) throw new Error(`results of ${name} have no figures`);
  mkdirSync(resultsDir, { recursive: true });
  const at = new Date().toISOString();
  const file = path.join(resultsDir, `${name}-${at.replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}.json`);
  const full = { benchmark: name, at, machine: machine(), ...data };
  writeFileSync(file, JSON.stringify(full, null, 2) + "\n");
  console.log(`\nJSON (${path.relative(process.cwd(), file)}):`);
  console.log(JSON.stringify(full, null, 2));
  return file;
}

/** Parses `--name=value` and `--flag` arguments. */
export function cliOptions(argv = process.argv.slice(2)) {
  const out = {};
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (m) out[m[1]] = m[2] ?? true;
  }
  return out;
}
