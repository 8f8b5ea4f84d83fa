// The Worker as `wrangler deploy` would upload it, built without deploying
// (`wrangler deploy --dry-run --outdir`): whether it builds for an environment
// of wrangler.toml, and its size, raw and compressed, against the Workers
// limit. Used by the deploy check in `npm test` and by `npm run bench:weight`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** The Workers limit on a Worker's compressed size: 3 MB on the Free plan (10 MB on Paid); we keep to the smaller. */
export const WORKER_GZIP_LIMIT = 3 * 1024 * 1024;

/**
 * Builds the Worker for `env` ("" for the top level, else "staging" or "production").
 * @returns {{ ok: boolean, output: string, bytes: number, gzipBytes: number }}
 */
export function buildWorker(env = "") {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "refdesk-worker-"));
  try {
    const r = spawnSync(process.execPath, [wranglerJs, "deploy", "--dry-run", "--outdir", outdir, `--env=${env}`], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    const output = `${r.stdout}${r.stderr}`;
    const scripts = r.status === 0 ? readdirSync(outdir).filter((f) => f.endsWith(".js")) : [];
    const code = scripts.map((f) => readFileSync(path.join(outdir, f)));
    return {
      ok: r.status === 0 && scripts.length > 0,
      output,
      bytes: code.reduce((n, b) => n + b.length, 0),
      gzipBytes: code.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
