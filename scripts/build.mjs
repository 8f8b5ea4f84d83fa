// Bundles the front ends into public/build/ with esbuild: the patron chat page,
// the librarian monitor, the questions module, the admin and policy pages, and
// the Qwidget — its loader (qwidget.js, on every page view of a library's site)
// and the widget it imports when opened (qwidget-app.js, versioned by content
// hash). Minified, ES2020, one file each.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { build, transform } from "esbuild";
import { minify } from "terser";

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
    monitor: "src/client/monitor/main.tsx",
    questions: "src/client/questions/main.tsx",
    admin: "src/client/admin/main.tsx",
    // Policy pages (issue 6): copy buttons and the rich-text editor.
    policies: "src/client/policies/main.ts",
  },
});

/**
 * The Qwidget has a byte budget (bench/weight.mjs): esbuild bundles it, then
 * terser's extra compression passes take another few percent off (about half a
 * kilobyte gzipped) before it is written.
 */
async function buildQwidgetPart(name, entry, options) {
  const result = await build({ ...common, ...options, entryPoints: { [name]: entry }, write: false });
  const { code } = await minify(result.outputFiles[0].text, { module: options.format === "esm", ecma: 2020, compress: { passes: 3 }, mangle: true });
  await mkdir("public/build", { recursive: true });
  await writeFile(`public/build/${name}.js`, code);
  return code;
}

// The widget first: the loader names it by its content hash, so it can be cached for good.
const app = await buildQwidgetPart("qwidget-app", "src/client/qwidget/app.tsx", { format: "esm" });
const hash = createHash("sha256").update(app).digest("hex").slice(0, 12);
// A classic script (sites paste <script async src>), so an IIFE; it imports the widget as a module.
await buildQwidgetPart("qwidget", "src/client/qwidget/loader.ts", { format: "iife", define: { QWIDGET_APP: JSON.stringify(`/qwidget/app.js?v=${hash}`) } });

console.log(`built patron, monitor, questions, admin, policies, qwidget (loader) and qwidget-app (v=${hash}) into public/build/`);
