// `npm run docs`: regenerates docs/protocol.md from the zod schemas (bundled with esbuild, then run).
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(os.tmpdir(), `refdesk-protocol-docs-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, "scripts", "protocol-docs.ts")], outfile: out, bundle: true, platform: "node", format: "esm", logLevel: "warning" });
const { protocolMarkdown } = await import(pathToFileURL(out).href);
mkdirSync(path.join(root, "docs"), { recursive: true });
writeFileSync(path.join(root, "docs", "protocol.md"), protocolMarkdown());
rmSync(out);
console.log("wrote docs/protocol.md");
