// Bundles the front ends into public/build/ with esbuild: the patron chat page,
// the librarian monitor and the admin pages. Minified, ES2020, one file each.
import { build } from "esbuild";

const entries = {
  patron: "src/client/patron/main.tsx",
  monitor: "src/client/monitor/main.tsx",
  questions: "src/client/questions/main.tsx",
  admin: "src/client/admin/main.tsx",
  // Policy pages (issue 6): copy buttons and the rich-text editor.
  policies: "src/client/policies/main.ts",
};

await build({
  entryPoints: entries,
  outdir: "public/build",
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  sourcemap: false,
  logLevel: "warning",
});
console.log(`built ${Object.keys(entries).join(", ")} into public/build/`);
