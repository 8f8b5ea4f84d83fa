import { describe, expect, it } from "vitest";
import { PAGES, ROUTES } from "../../scripts/protocol-routes";
import { app } from "../../src/index";

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** Every route the app answers (method + path), without the middleware Hono lists as "ALL". */
function appRoutes(): Set<string> {
  return new Set(app.routes.filter((r) => r.method !== "ALL").map(key));
}

const documented = [...ROUTES, ...PAGES].map(key);

describe("the route list behind docs/protocol.md", () => {
  it("documents every route the app has (add new ones to scripts/protocol-routes.ts, then run `npm run docs`)", () => {
    const listed = new Set(documented);
    expect([...appRoutes()].filter((r) => !listed.has(r))).toEqual([]);
  });

  it("documents no route the app does not have", () => {
    const real = appRoutes();
    expect(documented.filter((r) => !real.has(r))).toEqual([]);
  });

  it("lists each route once", () => {
    expect(documented.filter((r, i) => documented.indexOf(r) !== i)).toEqual([]);
  });

  it("puts every JSON API route in the API tables, not among the pages", () => {
    expect(PAGES.filter((p) => p.path.startsWith("/api/")).map(key)).toEqual([]);
  });

  it("gives every API route who may call it, what it does, its answer, and errors with a status that is an error", () => {
    for (const r of ROUTES) {
      expect(r.who.trim(), key(r)).not.toBe("");
      expect(r.what.trim(), key(r)).not.toBe("");
      expect(r.answers, key(r)).toMatch(/^\d{3} /);
      for (const e of r.errors) expect(e.status, `${key(r)}: ${e.when}`).toBeGreaterThanOrEqual(400);
    }
  });
});
