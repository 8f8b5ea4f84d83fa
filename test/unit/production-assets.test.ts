/**
 * What a production deploy serves from public/: no demo or test page. Every
 * HTML page under public/ is either one the product itself needs or lives
 * under /demo/, which the Worker answers (wrangler.toml routes /demo/* to it
 * first) only where DEMO_PAGES is "true" — a variable wrangler.toml never sets.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const publicDir = path.join(root, "public");
const wranglerToml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
const demoRoute = readFileSync(path.join(root, "src", "routes", "demo-pages.ts"), "utf8");

/** Pages a production deploy needs: the co-browse probe that library pages frame. */
const PRODUCT_PAGES = ["/viewport/probe.html"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [`/${path.relative(publicDir, full).split(path.sep).join("/")}`];
  });
}

describe("the production asset set", () => {
  it("has no demo or test page: every HTML page is a product page or under the development-only /demo/", () => {
    const prefix = /DEMO_PATH_PREFIX = "([^"]+)"/.exec(demoRoute)?.[1];
    expect(prefix).toBe("/demo/");
    const pages = files(publicDir).filter((f) => /\.html?$/.test(f));
    expect(pages.length).toBeGreaterThan(5);
    const servedInProduction = pages.filter((p) => !p.startsWith(prefix!));
    expect(servedInProduction).toEqual(PRODUCT_PAGES);
  });

  it("routes /demo/* through the Worker, and never sets DEMO_PAGES in the deployed configuration", () => {
    const runWorkerFirst = /run_worker_first\s*=\s*\[([^\]]*)\]/.exec(wranglerToml)?.[1] ?? "";
    expect(runWorkerFirst).toContain('"/demo/*"');
    expect(wranglerToml).not.toMatch(/^\s*DEMO_PAGES\s*=/m);
  });
});
