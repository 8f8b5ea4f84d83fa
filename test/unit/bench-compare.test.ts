/**
 * `npm run bench:compare`: every figure of two benchmark runs side by side,
 * matched by name, with the change of each number in it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns, formatComparison, latestTwo, numbersIn } from "../../bench/lib/compare.mjs";

const fig = (name: string, value: unknown, ok: boolean | null = null, unit = "ms") => ({ name, value, unit, target: null, ok });

describe("comparing two benchmark runs", () => {
  it("reads the numbers out of a figure's value, in order", () => {
    expect(numbersIn(8.53)).toEqual([8.53]);
    expect(numbersIn("2401/2401, 0")).toEqual([2401, 2401, 0]);
    expect(numbersIn("3.94 / -1.5 / 54")).toEqual([3.94, -1.5, 54]);
    expect(numbersIn(null)).toEqual([]);
    expect(numbersIn("n/a")).toEqual([]);
  });

  it("gives each figure's change number by number, and a target newly missed", () => {
    const rows = compareRuns(
      { figures: [fig("p99", 20, true), fig("delivered / sent", "100/100"), fig("zero", 0), fig("gone", 1)] },
      { figures: [fig("p99", 25, false), fig("delivered / sent", "99/100"), fig("zero", 3), fig("new", 2)] },
    );
    const by = new Map(rows.map((r) => [r.name, r]));
    expect(by.get("p99")).toMatchObject({ status: "changed", metBefore: true, metAfter: false, changes: [{ before: 20, after: 25, delta: 5, percent: 25 }] });
    expect(by.get("delivered / sent")?.changes).toEqual([
      { before: 100, after: 99, delta: -1, percent: -1 },
      { before: 100, after: 100, delta: 0, percent: 0 },
    ]);
    expect(by.get("zero")?.changes[0]).toMatchObject({ delta: 3, percent: null });
    expect(by.get("gone")?.status).toBe("removed");
    expect(by.get("new")?.status).toBe("added");
    const text = formatComparison(rows);
    expect(text).toMatch(/p99\s+20 → 25 ms\s+\+5 \(\+25 %\)\s+target met → MISSED/);
    expect(text).toMatch(/gone .*removed/);
  });

  it("calls equal figures the same, and a value with a different count of numbers reshaped", () => {
    const rows = compareRuns({ figures: [fig("a", "1 / 2"), fig("b", "1 / 2")] }, { figures: [fig("a", "1 / 2"), fig("b", "1 / 2 / 3")] });
    expect(rows.map((r) => r.status)).toEqual(["same", "reshaped"]);
  });

  it("finds a benchmark's latest two runs by the time they were written", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-compare-"));
    const write = (file: string, benchmark: string, at: string) => writeFileSync(path.join(dir, file), JSON.stringify({ benchmark, at, figures: [] }));
    write("x.json", "load", "2026-01-03T00:00:00.000Z");
    write("y.json", "load", "2026-01-01T00:00:00.000Z");
    write("z.json", "load", "2026-01-02T00:00:00.000Z");
    write("q.json", "queue-object", "2026-01-04T00:00:00.000Z");
    writeFileSync(path.join(dir, "broken.json"), "{");
    expect(latestTwo(dir, "load").map((f) => path.basename(f))).toEqual(["z.json", "x.json"]);
    expect(() => latestTwo(dir, "queue-object")).toThrow(/fewer than two/);
  });
});
