// Every public route of the Worker, read from the source: the sub-apps that
// src/index.ts mounts with app.route(prefix, x) and the routes each declares
// (x.get("/path"), x.post(…), …), plus any declared on the app itself. Read
// from source rather than listed by hand so a route added later is covered by
// the hostile sweep without anyone remembering to add it.
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const METHODS = ["get", "post", "put", "patch", "delete"];

function routesDeclared(source, variable) {
  const out = [];
  const re = new RegExp(`\\b${variable}\\.(${METHODS.join("|")}|all)\\(\\s*["'\`]([^"'\`]*)["'\`]`, "g");
  for (const m of source.matchAll(re)) {
    const methods = m[1] === "all" ? METHODS : [m[1]];
    for (const method of methods) out.push({ method: method.toUpperCase(), path: m[2] });
  }
  return out;
}

function join(prefix, sub) {
  const p = `${prefix.replace(/\/$/, "")}/${sub.replace(/^\//, "")}`;
  return p.length > 1 ? p.replace(/\/$/, "") : p;
}

/** [{ method, path, file }] for every route, with Hono path parameters (":id") left in place. */
export function publicRoutes() {
  const indexFile = path.join(root, "src", "index.ts");
  const index = readFileSync(indexFile, "utf8");
  const imports = new Map();
  for (const m of index.matchAll(/import\s*\{([^}]+)\}\s*from\s*["'](\.\/routes\/[^"']+)["']/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().split(/\s+as\s+/).pop())) if (name) imports.set(name, m[2]);
  }
  const routes = routesDeclared(index, "app").map((r) => ({ ...r, file: "src/index.ts" }));
  for (const m of index.matchAll(/app\.route\(\s*["']([^"']+)["']\s*,\s*(\w+)\s*\)/g)) {
    const [, prefix, variable] = m;
    const from = imports.get(variable);
    if (!from) continue;
    const file = path.join(root, "src", `${from.replace(/^\.\//, "")}.ts`);
    for (const r of routesDeclared(readFileSync(file, "utf8"), variable)) {
      routes.push({ method: r.method, path: join(prefix, r.path), file: path.relative(root, file) });
    }
  }
  const seen = new Set();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Fills a route's ":param" placeholders with `value` (URL-encoded). */
export function fillParams(routePath, value) {
  return routePath.replace(/:(\w+)(\{[^}]*\})?/g, () => encodeURIComponent(value));
}
