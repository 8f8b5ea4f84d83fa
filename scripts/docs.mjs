// `npm run docs`: regenerates docs/protocol.md from the OpenAPI document the app
// serves (GET /api/openapi.json, asked of a private `wrangler dev`) and the frame
// schemas, rendered by scripts/protocol-docs.ts (bundled with esbuild, then run).
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startWranglerDev, stopWranglerDev } from "./local-state.mjs";

const root = path.resolve(import.meta.dirname, "..");

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The document as the Worker serves it (no stored data needed: it describes routes, not rows). */
async function servedDocument() {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "refdesk-docs-"));
  const server = await startWranglerDev({ port: await freePort(), persistDir });
  try {
    const res = await fetch(`${server.base}/api/openapi.json`);
    if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}: ${await res.text()}`);
    return await res.json();
  } finally {
    stopWranglerDev(server.child);
    rmSync(persistDir, { recursive: true, force: true });
  }
}

const out = path.join(os.tmpdir(), `refdesk-protocol-docs-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, "scripts", "protocol-docs.ts")], outfile: out, bundle: true, platform: "node", format: "esm", logLevel: "warning" });
const { protocolMarkdown } = await import(pathToFileURL(out).href);
rmSync(out);
const document = await servedDocument();
mkdirSync(path.join(root, "docs"), { recursive: true });
writeFileSync(path.join(root, "docs", "protocol.md"), protocolMarkdown(document));
console.log(`wrote docs/protocol.md (OpenAPI ${document.openapi}, ${Object.keys(document.paths).length} paths)`);
