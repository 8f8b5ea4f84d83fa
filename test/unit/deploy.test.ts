/**
 * The deploy check: `wrangler deploy --dry-run` builds the Worker for the top
 * level and for each environment of wrangler.toml (staging, production) —
 * every binding resolved, the bundle made — and the bundle stays under the
 * Workers limit on compressed size. `npm run bench:weight` prints the figure.
 */
import { describe, expect, it } from "vitest";
import { buildWorker, WORKER_GZIP_LIMIT } from "../../scripts/worker-bundle.mjs";

describe("wrangler deploy --dry-run", () => {
  it.each(["", "staging", "production"])("builds the Worker for %j within the Workers size limit", (env) => {
    const built = buildWorker(env);
    expect(built.ok, built.output).toBe(true);
    expect(built.output).toContain("--dry-run: exiting now.");
    expect(built.gzipBytes).toBeGreaterThan(50_000);
    expect(built.gzipBytes).toBeLessThan(WORKER_GZIP_LIMIT);
  }, 120_000);
});
