/**
 * Code health, counted with the other tests: the linter (oxlint, .oxlintrc.json),
 * the unused-code check (knip, knip.jsonc) and the freshness of the committed
 * bindings types (src/env.d.ts against `wrangler types`) must each find nothing.
 * Each runs as its own process, as a developer would run it; a failure prints
 * what it found.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

function run(script: string, args: string[] = []): { exitCode: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(root, script), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
  });
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("code health", () => {
  it("oxlint finds nothing", () => {
    const { exitCode, output } = run("node_modules/oxlint/bin/oxlint", ["--format", "unix"]);
    expect(exitCode, `oxlint found:\n${output}`).toBe(0);
  });

  it("knip finds no unused files, exports, types or dependencies", () => {
    const { exitCode, output } = run("node_modules/knip/bin/knip.js", ["--no-progress"]);
    expect(exitCode, `knip found:\n${output}`).toBe(0);
  });

  it("src/env.d.ts is what `wrangler types` generates from wrangler.toml now", () => {
    const { exitCode, output } = run("scripts/check-env-types.mjs");
    expect(exitCode, output).toBe(0);
  });
});
