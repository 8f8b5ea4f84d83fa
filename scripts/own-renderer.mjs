// esbuild plugin: the Qwidget renders with its own small renderer
// (src/client/qwidget/renderer.ts), which has Preact's API, so its imports of
// Preact resolve there. Used by scripts/build.mjs and the renderer's tests.
import path from "node:path";

const RENDERER = path.resolve(import.meta.dirname, "../src/client/qwidget/renderer.ts");

export const ownRenderer = {
  name: "own-renderer",
  setup(b) {
    b.onResolve({ filter: /^preact(\/hooks|\/jsx-runtime)?$/ }, () => ({ path: RENDERER }));
  },
};
