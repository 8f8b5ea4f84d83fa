// Weight: builds the front ends and prints each one's gzip size against its
// budget (PRODUCT.md, "Promises"), as a table and as JSON. Exit code 1 if over.
//   node bench/weight.mjs
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildFrontEnds } from "../scripts/local-state.mjs";
import { writeResults } from "./lib/report.mjs";

const root = path.resolve(import.meta.dirname, "..");
const KB = 1024;

/** What a visitor downloads for each surface, and its budget in gzip bytes. */
export const WEIGHTS = [
  { name: "monitor first load (JS + CSS)", files: ["public/build/monitor.js", "public/styles/base.css", "public/styles/monitor.css", "public/styles/chat.css"], budget: 60 * KB },
  { name: "admin pages (JS + CSS)", files: ["public/build/admin.js", "public/styles/base.css", "public/styles/admin.css"], budget: 60 * KB },
  { name: "patron chat page (JS + CSS)", files: ["public/build/patron.js", "public/styles/base.css", "public/styles/chat.css"], budget: 60 * KB },
  { name: "questions module (JS + CSS)", files: ["public/build/questions.js", "public/styles/base.css", "public/styles/questions.css"], budget: 40 * KB },
  // Policy pages and the cooperative admin pages (issue 6): copy buttons and the rich-text editor.
  { name: "policy pages (JS + CSS)", files: ["public/build/policies.js", "public/styles/base.css", "public/styles/coop.css"], budget: 15 * KB },
  // Every page view of a library's site downloads the loader; the widget (its CSS inside) loads when a patron opens it.
  { name: "Qwidget per page view (loader)", files: ["public/build/qwidget.js"], budget: 2 * KB },
  { name: "Qwidget whole (loader + widget)", files: ["public/build/qwidget.js", "public/build/qwidget-app.js"], budget: 15 * KB },
];

buildFrontEnds();
const rows = WEIGHTS.map((w) => {
  const missing = w.files.filter((f) => !existsSync(path.join(root, f)));
  const gzip = w.files.filter((f) => !missing.includes(f)).reduce((sum, f) => sum + gzipSync(readFileSync(path.join(root, f)), { level: 9 }).length, 0);
  return { name: w.name, gzipBytes: gzip, budgetBytes: w.budget, ok: missing.length === 0 && gzip <= w.budget, missing };
});
console.log("\nsurface".padEnd(40) + "gzip".padStart(10) + "budget".padStart(10) + "  ok");
for (const r of rows) console.log(r.name.padEnd(39) + `${(r.gzipBytes / KB).toFixed(1)} KB`.padStart(10) + `${(r.budgetBytes / KB).toFixed(0)} KB`.padStart(10) + (r.ok ? "  yes" : "  NO"));
writeResults("weight", { weights: rows });
process.exit(rows.every((r) => r.ok) ? 0 : 1);
