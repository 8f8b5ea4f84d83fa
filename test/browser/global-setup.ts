/**
 * Starts one `wrangler dev` for the browser tests: front ends built, a fresh
 * persistence directory with migrations and demo data, a free port. Its log
 * (where the send_email binding names each mail file) goes to a file the
 * tests can read.
 */
import { createWriteStream, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_FIXTURES } from "./fixtures";
// A plain ESM helper shared with npm start and the benchmarks.
import { buildFrontEnds, prepareLocalState, startWranglerDev, stopWranglerDev } from "../../scripts/local-state.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    wranglerLog: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export default async function setup(project: TestProject) {
  buildFrontEnds();
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "refdesk-e2e-"));
  // With the demo's statistics history, so the statistics pages are walked with real-looking figures.
  await prepareLocalState(persistDir, { extra: TEST_FIXTURES, history: true });
  const port = await freePort();
  // Mails carry links (a transcript mail's rating link) to the service's public address: this server's.
  const server = await startWranglerDev({ port, persistDir, vars: { PUBLIC_ORIGIN: `http://127.0.0.1:${port}` } });
  const logFile = path.join(persistDir, "wrangler.log");
  const log = createWriteStream(logFile);
  log.write(server.output());
  server.child.stdout?.on("data", (d: Buffer) => log.write(d));
  server.child.stderr?.on("data", (d: Buffer) => log.write(d));
  project.provide("baseUrl", server.base);
  project.provide("wranglerLog", logFile);
  return () => {
    stopWranglerDev(server.child);
    log.end();
  };
}
