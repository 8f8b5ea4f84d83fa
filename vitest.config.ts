import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Three projects, one run:
// - "worker": tests inside workerd with the real D1, Durable Objects, Queues and
//   send_email bindings from wrangler.toml (storage is fresh per test file);
// - "browser": tests in Node that drive real Chromium against `wrangler dev`;
// - "unit": tests in plain Node (the code-health checks: lint, unused code, Env types).

// FILE_LINK_SECRET signs file links; deployments set it as a secret (wrangler.toml [secrets]),
// and wrangler takes a local value from the environment.
process.env.FILE_LINK_SECRET ??= "test-file-link-secret";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // FRAMING_CHECK_ALLOW_PRIVATE stays unset, as in production: these tests
              // check that the framing check refuses loopback and private addresses.
              // PUBLIC_ORIGIN as in production, where mails carry links (the rating link of a transcript mail):
              // the same origin the tests call the Worker at (test/worker/helpers.ts ORIGIN).
              bindings: { TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")), PUBLIC_ORIGIN: "https://refdesk.test" },
              // A second, empty installation's database: archives exported from DB are imported
              // into it, and migrations are tried on it over older schemas.
              d1Databases: { EMPTY_DB: "refdesk-empty-installation" },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./test/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
    ],
  },
});
