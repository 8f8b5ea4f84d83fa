// Comparing two benchmark runs: every figure of one result file (matched by
// name) beside the same figure of another, with the change of each number in
// it. A figure's value is a number or a text holding several ("2401/2401, 0",
// "3.9 / 54.4 ms"); the numbers are compared in order.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/** The numbers in a figure's value, in order (none for a missing value). */
export function numbersIn(value) {
  if (typeof value === "number") return Number.isFinite(value) ? [value] : [];
  if (typeof value !== "string") return [];
  return [...value.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)].map((m) => Number(m[0]));
}

const round = (x) => Math.round(x * 100) / 100;

/**
 * Every figure of `before` and `after` (result objects with a `figures`
 * array), matched by name: `changed`, `same`, `added` (only after),
 * `removed` (only before) or `reshaped` (a different count of numbers, so
 * not comparable number by number). Each comparable number gets its delta and
 * its change in percent (null from zero).
 */
export function compareRuns(before, after) {
  const old = new Map((before.figures ?? []).map((f) => [f.name, f]));
  const now = new Map((after.figures ?? []).map((f) => [f.name, f]));
  const names = [...new Set([...old.keys(), ...now.keys()])];
  return names.map((name) => {
    const a = old.get(name);
    const b = now.get(name);
    const row = { name, unit: (b ?? a).unit ?? "", before: a?.value ?? null, after: b?.value ?? null, metBefore: a?.ok ?? null, metAfter: b?.ok ?? null, changes: [] };
    if (!a) return { ...row, status: "added" };
    if (!b) return { ...row, status: "removed" };
    const x = numbersIn(a.value);
    const y = numbersIn(b.value);
    if (x.length !== y.length) return { ...row, status: "reshaped" };
    const changes = x.map((v, i) => ({ before: v, after: y[i], delta: round(y[i] - v), percent: v === 0 ? null : round(((y[i] - v) / Math.abs(v)) * 100) }));
    const same = changes.every((c) => c.delta === 0) && a.ok === b.ok;
    return { ...row, changes, status: same ? "same" : "changed" };
  });
}

const signed = (x) => (x > 0 ? `+${x}` : String(x));

/** One line of text per figure: both values, each number's change, and a target newly met or missed. */
export function formatComparison(rows) {
  const shown = (v) => (v === null || v === undefined ? "—" : String(v));
  const lines = rows.map((r) => {
    const change =
      r.status === "changed" ? r.changes.map((c) => `${signed(c.delta)}${c.percent === null ? "" : ` (${signed(c.percent)} %)`}`).join(" / ") : r.status === "same" ? "=" : r.status;
    const met = r.metBefore !== r.metAfter && (r.metBefore !== null || r.metAfter !== null) ? `  target ${r.metBefore ? "met" : r.metBefore === false ? "missed" : "—"} → ${r.metAfter ? "met" : r.metAfter === false ? "MISSED" : "—"}` : "";
    return [r.name, `${shown(r.before)} → ${shown(r.after)}${r.unit ? ` ${r.unit}` : ""}`, change + met];
  });
  const widths = [0, 1].map((i) => Math.max(...lines.map((l) => l[i].length), 0));
  return lines.map((l) => `${l[0].padEnd(widths[0])}  ${l[1].padEnd(widths[1])}  ${l[2]}`).join("\n");
}

/** The two newest result files of benchmark `name` in `dir` (older first), by the time they were written. */
export function latestTwo(dir, name) {
  const runs = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      try {
        const data = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
        return { file: path.join(dir, f), benchmark: data.benchmark, at: data.at };
      } catch {
        return null;
      }
    })
    .filter((r) => r !== null && r.benchmark === name)
    .sort((x, y) => String(x.at).localeCompare(String(y.at)));
  if (runs.length < 2) throw new Error(`fewer than two results of "${name}" in ${dir}`);
  return runs.slice(-2).map((r) => r.file);
}
