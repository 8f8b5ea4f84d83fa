// The queue-object benchmark's harness (bench/queue-object.mjs runs it): the
// real Worker and Durable Objects from wrangler.toml inside workerd, through
// Cloudflare's Vitest integration, so the driver can call the objects directly
// — without wrangler dev's HTTP proxy and the Worker's per-request sign-in
// lookups in front of them. Not part of `npm test`: it prints figures.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..", "..");

export default defineConfig({
  root,
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          BENCH_OPS_PER_SECOND: process.env.BENCH_OPS_PER_SECOND ?? "200",
          BENCH_SECONDS: process.env.BENCH_SECONDS ?? "15",
          // The drivers' other settings (bench/statewide.mjs's), as the runner gives them.
          ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith("BENCH_"))),
        },
      },
    })),
  ],
  test: {
    include: ["bench/queue-object/*.run.ts"],
    testTimeout: 600_000,
  },
});
