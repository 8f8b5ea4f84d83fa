// `npm test`: every test — workerd tests and real-Chromium tests — in one
// Vitest run, then one line with the runner's own counts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// The browser tests need Debian's Chromium (Playwright's own download cannot work offline).
if (!existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  console.log(`Chromium is not at ${chromium}; ${isRoot ? "installing Debian's chromium package" : "install it with: sudo apt-get install -y chromium"}`);
  if (isRoot) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update"], { stdio: "inherit", env });
    const r = spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

mkdirSync(path.join(root, "test-results"), { recursive: true });
const report = path.join(root, "test-results", "vitest.json");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, WRANGLER_SEND_METRICS: "false" },
});

if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  // A file that fails before its tests run (a hook, an import) marks them skipped:
  // count those as failed, so the line never says "0 failed" over a red run.
  const notRun = r.testResults
    .filter((file) => file.status === "failed" && file.assertionResults.every((a) => a.status !== "failed"))
    .reduce((n, file) => n + Math.max(1, file.assertionResults.length), 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + notRun} failed`);
} else {
  console.log("0 passed, 0 failed (the test runner wrote no report)");
}
process.exit(run.status ?? 1);
