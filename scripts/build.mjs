// Bundles the front ends into public/build/ with esbuild: the patron chat page,
// the librarian monitor, the questions module, the admin and policy pages, and
// the Qwidget — its loader (qwidget.js, on every page view of a library's site)
// and the widget it imports when opened (qwidget/app.js, versioned by content
// hash). Minified, ES2020.
//
// Code only some visitors need is split into chunks loaded when used:
// the monitor's co-browse viewer (rrweb's replayer), and in the Qwidget the
// viewport pane, the co-browse recorder and files in the chat. public/build/chunks.json says which
// files each surface loads first and which chunks it loads later, for
// bench/weight.mjs.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
import { minify } from "terser";
import { ownRenderer } from "./own-renderer.mjs";

/**
 * CSS the Qwidget imports becomes a minified string for its shadow root. rem
 * becomes em: inside a shadow root rem still follows the host page's root font
 * size, which a library's site may set to anything.
 */
const cssAsText = {
  name: "css-as-text",
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = (await readFile(args.path, "utf8")).replace(/(\d*\.?\d+)rem\b/g, "$1em");
      const { code } = await transform(source, { loader: "css", minify: true, target: ["chrome100", "firefox100", "safari15"] });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: "js" };
    });
  },
};

const common = {
  outdir: "public/build",
  bundle: true,
  minify: true,
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  sourcemap: false,
  logLevel: "warning",
  plugins: [cssAsText],
};

await build({ ...common, format: "esm", entryPoints: {
    patron: "src/client/patron/main.tsx",
    questions: "src/client/questions/main.tsx",
    admin: "src/client/admin/main.tsx",
    // Policy pages: copy buttons and the rich-text editor.
    policies: "src/client/policies/main.ts",
    // Statistics pages: the live refresh (the pages work without it).
    stats: "src/client/stats/main.ts",
  },
});

/**
 * Splits `entry` with esbuild (dynamic imports become chunks) into `outdir`,
 * optionally compressing each file further with terser, and returns which
 * files load first (the entry and the chunks it imports statically) and which
 * load later (each dynamic import's chunk, by source file).
 */
async function buildSplit(entryName, entry, outdir, { terse = false } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({ ...common, format: "esm", splitting: true, metafile: true, write: false, outdir, entryPoints: { [entryName]: entry }, entryNames: "[name]", chunkNames: "[name]-[hash]" });
  const code = {};
  for (const file of result.outputFiles) {
    const text = terse ? (await minify(file.text, { module: true, ecma: 2020, compress: { passes: 3 }, mangle: true })).code : file.text;
    await writeFile(file.path, text);
    code[path.relative(process.cwd(), file.path)] = text;
  }
  const outputs = result.metafile.outputs;
  const entryFile = path.join(outdir, `${entryName}.js`);
  const firstLoad = [];
  const visit = (file) => {
    if (firstLoad.includes(file)) return;
    firstLoad.push(file);
    for (const i of outputs[file]?.imports ?? []) if (i.kind === "import-statement") visit(i.path);
  };
  visit(entryFile);
  const lazy = {};
  for (const [file, meta] of Object.entries(outputs)) {
    if (firstLoad.includes(file) || !meta.entryPoint) continue;
    lazy[meta.entryPoint] = [file, ...(meta.imports ?? []).filter((i) => i.kind === "import-statement" && !firstLoad.includes(i.path)).map((i) => i.path)];
  }
  return { firstLoad, lazy, code };
}

// The monitor: its co-browse viewer (rrweb's replayer) is a chunk of its own, loaded when co-browsing starts.
await rm("public/build/monitor.js", { force: true });
const monitor = await buildSplit("monitor", "src/client/monitor/main.tsx", "public/build/monitor");

/**
 * The Qwidget has a byte budget (bench/weight.mjs): esbuild bundles it, then
 * terser's extra compression passes take another few percent off (about half a
 * kilobyte gzipped), and catalog keys become short ids (below).
 */
const minifyWidget = async (code, module = true) => (await minify(shortenKeys(code), { module, ecma: 2020, compress: { passes: 3 }, mangle: true })).code;

async function buildQwidgetPart(name, entry, options) {
  const result = await build({ ...common, ...options, entryPoints: { [name]: entry }, write: false });
  const code = await minifyWidget(result.outputFiles[0].text, options.format === "esm");
  await mkdir(path.dirname(`public/build/${name}.js`), { recursive: true });
  await writeFile(`public/build/${name}.js`, code);
  return code;
}

/**
 * The widget's lazy chunks, each a bundle of its own named by content
 * hash, imported relative to the widget (/qwidget/<name>-<hash>.js): a
 * dynamic import of one of their sources becomes an import of that file.
 */
const lazyChunks = (files) => ({
  name: "lazy-chunks",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const source = path.relative(process.cwd(), path.resolve(args.resolveDir, args.path));
      const file = Object.entries(files).find(([src]) => src.replace(/\.tsx?$/, "") === source.replace(/\.tsx?$/, ""))?.[1];
      return file ? { path: `./${path.basename(file)}`, external: true } : undefined;
    });
  },
});

/**
 * A lazy chunk that renders with Preact runs on the widget's own Preact
 * (src/client/shared/preact-host.ts): its imports of Preact, and of
 * preact-adopt, become one module of live bindings that `adoptPreact` fills in.
 */
const HOST_PREACT = ["Fragment", "render", "jsx", "jsxs", "useEffect", "useLayoutEffect", "useMemo", "useRef", "useState", "t"];
const hostPreact = {
  name: "host-preact",
  setup(b) {
    // The widget's messages (shared/i18n) come with its Preact: the chunk's own copy would hold none.
    b.onResolve({ filter: /^preact(\/hooks|\/jsx-runtime)?$|preact-adopt$|shared\/i18n$|^\.\/i18n$/ }, () => ({ path: "host-preact", namespace: "host-preact" }));
    b.onLoad({ filter: /.*/, namespace: "host-preact" }, () => ({
      loader: "js",
      contents: `export let ${HOST_PREACT.join(", ")};\nexport function adoptPreact(kit) { ({ ${HOST_PREACT.join(", ")} } = kit); }`,
    }));
  },
};

/** Builds one lazy chunk of the widget; returns its file. */
async function buildQwidgetChunk(name, entry, plugins, files) {
  const result = await build({ ...common, plugins: [...common.plugins, ...plugins, lazyChunks(files)], format: "esm", entryPoints: { [name]: entry }, write: false });
  const code = await minifyWidget(result.outputFiles[0].text);
  const file = `public/build/qwidget/${name}-${createHash("sha256").update(code).digest("hex").slice(0, 10)}.js`;
  await writeFile(file, code);
  return file;
}

await rm("public/build/qwidget-app.js", { force: true });
await rm("public/build/qwidget", { recursive: true, force: true });
await mkdir("public/build/qwidget", { recursive: true });
/**
 * The widget's messages, one chunk per language (`<tag>-<hash>.js`): the
 * patron-facing catalog (src/i18n/catalogs) without what only the server
 * says — the mails, the hosted pages, the launcher (the status carries its
 * words) — and without anything the widget's code never names.
 */
const SERVER_ONLY = /^(mail\.|launcher\.|alternatives\.message|unavailable\.sent|chat\.(notFound|linkIncomplete)|rating\.(link|intro|errorTitle|thanks)|form\.(offline$|noTranscriptLong|noTranscriptHelp|submit|notSent|error|required|chooseOption|unknownField|rateLimited|missing|turnedOff|archived|unavailableTitle))/;
/**
 * Each language in two chunks, like the code: what the widget shows first
 * (`<tag>-<hash>.js`: the form, the window, the transcript and its choice), and what only a
 * chat under way shows (`<tag>chat-<hash>.js`: system lines, refusals, the extras'
 * words), loaded beside the extras chunk once a chat is open (and by the
 * start form when the service refuses a request).
 */
const IN_CHAT = /^(system\.|problem\.|unavailable\.|rating\.|forget\.|cobrowse\.|push\.|alternatives\.|viewport\.|files\.)/;
/** System lines' keys are put together at run time (src/i18n/system-lines.ts): they keep their names. */
const BY_NAME = /^system\./;

/**
 * Short ids for catalog keys: a key such as "chat.addDetailsPlaceholder" would
 * weigh on the widget's code and on every language's chunk, so in the widget's
 * files each key its code names (as a string literal, as `t("…")` calls do)
 * becomes a one- or two-letter id, the same in code and catalogs. The source
 * keeps its readable keys. The widget's first keys get the shortest ids. A key
 * that is also a word of the wire or of the server's shapes (src/shared, e.g.
 * the frame type "cobrowse.decline") keeps its name: that literal must not change.
 */
const sharedWords = new Set();
for (const file of (await readdir("src/shared")).filter((f) => f.endsWith(".ts"))) {
  for (const [, , word] of (await readFile(`src/shared/${file}`, "utf8")).matchAll(/(["'`])([\w.]+)\1/g)) sharedWords.add(word);
}
const patronKeys = new Set(Object.keys(JSON.parse(await readFile("src/i18n/catalogs/en.json", "utf8"))).filter((key) => !SERVER_ONLY.test(key) && !BY_NAME.test(key)));
const shortened = [...patronKeys].filter((key) => !sharedWords.has(key));
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shortId = (i) => (i < LETTERS.length ? LETTERS[i] : shortId(Math.floor(i / LETTERS.length) - 1) + LETTERS[i % LETTERS.length]);
const keyIds = new Map([...shortened.filter((key) => !IN_CHAT.test(key)), ...shortened.filter((key) => IN_CHAT.test(key))].map((key, i) => [key, shortId(i)]));
/** The keys the widget's code names: only they (and system lines) go into its catalogs. */
const namedKeys = new Set();
function shortenKeys(code) {
  return code.replace(/(["'`])([\w.]+)\1/g, (literal, quote, key, at) => {
    if (!patronKeys.has(key)) return literal;
    namedKeys.add(key);
    const id = keyIds.get(key);
    if (!id) return literal;
    // A message key is looked up, never sent: one that appears as a frame's type is a word of the wire.
    if (code.slice(Math.max(0, at - 5), at).endsWith("type:")) throw new Error(`catalog key "${key}" is also a frame type: add it to src/shared's words or rename it`);
    return quote + id + quote;
  });
}

// Leaves first: a chunk's name (its hash) goes into whatever imports it.
const lazy = {};
lazy["src/client/qwidget/cobrowse/share.ts"] = await buildQwidgetChunk("share", "src/client/qwidget/cobrowse/share.ts", [], lazy);
lazy["src/client/patron/extras/ViewportPane.ts"] = await buildQwidgetChunk("viewport", "src/client/patron/extras/ViewportPane.ts", [], lazy);
lazy["src/client/patron/extras/PatronFiles.tsx"] = await buildQwidgetChunk("files", "src/client/patron/extras/PatronFiles.tsx", [hostPreact], lazy);
lazy["src/client/patron/extras/PatronExtras.tsx"] = await buildQwidgetChunk("extras", "src/client/patron/extras/PatronExtras.tsx", [hostPreact], lazy);
// The widget's code next, before its catalogs: it names the keys they hold (and QWIDGET_CATALOGS, their files, is filled in after).
const appCode = shortenKeys((await build({ ...common, plugins: [...common.plugins, ownRenderer, lazyChunks(lazy)], format: "esm", entryPoints: { "qwidget/app": "src/client/qwidget/app.tsx" }, write: false })).outputFiles[0].text);

/**
 * The message compiler (src/i18n/message-format.ts), bundled for this script:
 * the widget's catalogs are compiled here, so it carries only the renderer.
 */
const { compileMessage } = await import(`data:text/javascript,${encodeURIComponent((await build({ entryPoints: ["src/i18n/message-format.ts"], bundle: true, format: "esm", write: false, logLevel: "warning" })).outputFiles[0].text)}`);
/** A catalog chunk's object: ids unquoted, messages compiled. */
const catalogCode = (entries) => `export default {${entries.map(([key, text]) => `${keyIds.get(key) ?? JSON.stringify(key)}:${JSON.stringify(compileMessage(text))}`).join(",")}};`;
const catalogs = {};
for (const file of (await readdir("src/i18n/catalogs")).filter((f) => f.endsWith(".json")).sort()) {
  const tag = file.slice(0, -5);
  const entries = Object.entries(JSON.parse(await readFile(`src/i18n/catalogs/${file}`, "utf8"))).filter(([key]) => BY_NAME.test(key) || namedKeys.has(key));
  catalogs[tag] = [];
  for (const [part, inPart] of [["", (key) => !IN_CHAT.test(key)], ["chat", (key) => IN_CHAT.test(key)]]) {
    const code = catalogCode(entries.filter(([key]) => inPart(key)));
    const name = `${tag}${part}-${createHash("sha256").update(code).digest("hex").slice(0, 10)}.js`;
    await writeFile(`public/build/qwidget/${name}`, code);
    catalogs[tag].push(name);
  }
}

// The widget: the loader names it by its content hash, so it can be cached for good.
const app = await minifyWidget(appCode.replace(/\bQWIDGET_CATALOGS\b/g, `(${JSON.stringify(catalogs)})`));
await writeFile("public/build/qwidget/app.js", app);
const hash = createHash("sha256").update(app).digest("hex").slice(0, 12);
// A classic script (sites paste <script async src>), so an IIFE; it imports the widget as a module.
await buildQwidgetPart("qwidget", "src/client/qwidget/loader.ts", { format: "iife", define: { QWIDGET_APP: JSON.stringify(`/qwidget/app.js?v=${hash}`) } });

await writeFile(
  "public/build/chunks.json",
  JSON.stringify(
    {
      monitor: { firstLoad: monitor.firstLoad, lazy: monitor.lazy },
      qwidget: {
        firstLoad: ["public/build/qwidget.js", "public/build/qwidget/app.js"],
        lazy: Object.fromEntries(Object.entries(lazy).map(([src, file]) => [src, [file]])),
        // The patron's language only: its first part with the widget, its chat part with the extras.
        catalogs: Object.fromEntries(Object.entries(catalogs).map(([tag, [first, chat]]) => [tag, { first: `public/build/qwidget/${first}`, chat: `public/build/qwidget/${chat}` }])),
      },
    },
    null,
    2,
  ),
);
console.log(`built patron, monitor, questions, admin, policies, stats, qwidget (loader) and the widget (v=${hash}) into public/build/`);
