// Runs a benchmark driver inside workerd: one of bench/queue-object/*.run.ts,
// through Cloudflare's Vitest integration with the real Worker and objects
// from wrangler.toml, its objects' storage under `tmp`. The driver marks its
// measuring window (BENCH-WINDOW-START / -END), across which the CPU of workerd
// and vitest is sampled, and prints one `BENCH-RESULT {json}` line.
import { spawn } from "node:child_process";
import path from "node:path";
import { cpuWindow } from "./processes.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * @param {string} runFile the driver's file name under bench/queue-object/ (e.g. "statewide.run.ts")
 * @param {{ tmp: string, env: Record<string, string>, timeoutSeconds: number }} options
 * @returns {Promise<any>} the driver's result with `cpu` (null when no window was seen)
 */
export function runWorkerdDriver(runFile, { tmp, env, timeoutSeconds }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "bench/queue-object/vitest.config.ts", `bench/queue-object/${runFile}`], {
      cwd: root,
      env: { ...process.env, ...env, TMPDIR: tmp, WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let window = null;
    let cpu = null;
    child.stdout.on("data", (d) => {
      out += d;
      if (!window && out.includes("BENCH-WINDOW-START")) window = cpuWindow(child.pid, -1);
      if (window && !cpu && out.includes("BENCH-WINDOW-END")) cpu = window.stop();
    });
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.includes("BENCH-RESULT "));
      if (!line) return reject(new Error(`driver printed no result (exit ${code}):\n${out.slice(-3000)}`));
      resolve({ ...JSON.parse(line.slice(line.indexOf("BENCH-RESULT ") + 13)), cpu });
    });
  });
}
