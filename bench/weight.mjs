// Weight: builds the front ends and prints each one's gzip size against its
// budget (PRODUCT.md, "Promises"), and the Worker as `wrangler deploy
// --dry-run` builds it against the Workers limit on compressed size, as a
// table and as JSON. Exit code 1 if over.
//   node bench/weight.mjs
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildFrontEnds } from "../scripts/local-state.mjs";
import { buildWorker, WORKER_GZIP_LIMIT } from "../scripts/worker-bundle.mjs";
import { figure, writeResults } from "./lib/report.mjs";

const root = path.resolve(import.meta.dirname, "..");
const KB = 1024;

/**
 * The files a surface loads: its first load, or a chunk it loads
 * only when used, as scripts/build.mjs wrote them into public/build/chunks.json.
 */
const chunks = () => JSON.parse(readFileSync(path.join(root, "public/build/chunks.json"), "utf8"));
const firstLoad = (surface) => () => chunks()[surface].firstLoad;
const lazy = (surface, source) => () => chunks()[surface].lazy[source] ?? [`(no chunk for ${source})`];
/** A language's part of the Qwidget's catalog ("first" loads with the widget, "chat" once a chat is open). */
const catalog = (tag, part) => chunks().qwidget.catalogs?.[tag]?.[part] ?? `(no ${part} catalog for ${tag})`;
/** The languages with a catalog (src/i18n/catalogs/<tag>.json). */
const LANGUAGES = readdirSync(path.join(root, "src/i18n/catalogs"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

/** What a visitor downloads for each surface, and its budget in gzip bytes. */
export const WEIGHTS = [
  { name: "monitor first load (JS + CSS)", files: () => [...firstLoad("monitor")(), "public/styles/base.css", "public/styles/monitor.css", "public/styles/chat.css"], budget: 60 * KB },
  { name: "admin pages (JS + CSS)", files: ["public/build/admin.js", "public/styles/base.css", "public/styles/admin.css"], budget: 60 * KB },
  { name: "patron chat page (JS + CSS)", files: ["public/build/patron.js", "public/styles/base.css", "public/styles/chat.css"], budget: 60 * KB },
  { name: "questions module (JS + CSS)", files: ["public/build/questions.js", "public/styles/base.css", "public/styles/questions.css"], budget: 40 * KB },
  // Statistics: server-rendered pages (charts are SVG in the page); the script only adds the live refresh.
  { name: "statistics page (JS + CSS)", files: ["public/build/stats.js", "public/styles/base.css", "public/styles/stats.css"], budget: 40 * KB },
  // Policy pages and the cooperative admin pages: copy buttons and the rich-text editor.
  { name: "policy pages (JS + CSS)", files: ["public/build/policies.js", "public/styles/base.css", "public/styles/coop.css"], budget: 15 * KB },
  // Every page view of a library's site downloads the loader; the widget (its CSS inside) loads when a patron opens it.
  { name: "Qwidget per page view (loader)", files: ["public/build/qwidget.js"], budget: 2 * KB },
  // The widget with one language: the patron's catalog chunk loads with it (scripts/build.mjs), one row per language.
  ...LANGUAGES.map((tag) => ({ name: `Qwidget whole (loader + widget + ${tag})`, files: () => [...firstLoad("qwidget")(), catalog(tag, "first")], budget: 15 * KB })),
  // Lazy chunks: loaded only when used, never on the widget's first load.
  { name: "Qwidget chat extras (lazy: check, consent, rating)", files: lazy("qwidget", "src/client/patron/extras/PatronExtras.tsx"), budget: 6 * KB },
  // A chat's words (system lines; what the extras, files and viewport chunks say, moved out of them): loaded beside those chunks once a chat is open.
  ...LANGUAGES.map((tag) => ({ name: `Qwidget chat words, ${tag} (lazy)`, files: () => [catalog(tag, "chat")], budget: 3 * KB })),
  { name: "Qwidget files in the chat (lazy: attach, thumbnails)", files: lazy("qwidget", "src/client/patron/extras/PatronFiles.tsx"), budget: 4 * KB },
  { name: "Qwidget viewport pane (lazy)", files: lazy("qwidget", "src/client/patron/extras/ViewportPane.ts"), budget: 4 * KB },
  { name: "Qwidget co-browse recorder (lazy)", files: lazy("qwidget", "src/client/qwidget/cobrowse/share.ts"), budget: 30 * KB },
  { name: "monitor co-browse viewer (lazy)", files: lazy("monitor", "src/client/monitor/cobrowse/replay.ts"), budget: 70 * KB },
];

buildFrontEnds();
const rows = WEIGHTS.map((w) => {
  const files = typeof w.files === "function" ? w.files() : w.files;
  const missing = files.filter((f) => !existsSync(path.join(root, f)));
  const gzip = files.filter((f) => !missing.includes(f)).reduce((sum, f) => sum + gzipSync(readFileSync(path.join(root, f)), { level: 9 }).length, 0);
  return { name: w.name, files, gzipBytes: gzip, budgetBytes: w.budget, ok: missing.length === 0 && gzip <= w.budget, missing };
});
// The Worker itself (all server code and its dependencies), as it would be uploaded.
const worker = buildWorker("production");
if (!worker.ok) console.error(worker.output);
rows.push({ name: "Worker (deploy --dry-run, production)", files: ["(wrangler bundle)"], gzipBytes: worker.gzipBytes, budgetBytes: WORKER_GZIP_LIMIT, ok: worker.ok && worker.gzipBytes <= WORKER_GZIP_LIMIT, missing: worker.ok ? [] : ["(the build failed)"] });
console.log("\nsurface".padEnd(40) + "gzip".padStart(10) + "budget".padStart(10) + "  ok");
for (const r of rows) console.log(r.name.padEnd(39) + `${(r.gzipBytes / KB).toFixed(1)} KB`.padStart(10) + `${(r.budgetBytes / KB).toFixed(0)} KB`.padStart(10) + (r.ok ? "  yes" : "  NO"));
const figures = rows.map((r) => figure(`${r.name}: gzip`, Math.round((r.gzipBytes / KB) * 10) / 10, "KB", `≤ ${(r.budgetBytes / KB).toFixed(0)} KB`, r.ok));
writeResults("weight", { figures, weights: rows });
process.exit(rows.every((r) => r.ok) ? 0 : 1);
