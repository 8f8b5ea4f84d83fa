import { describe, expect, it } from "vitest";
import { app } from "../../src/index";
import { openApiPath, servedDocument } from "./openapi-document";

/** Every route the app answers (method + path as Hono registers it), without the middleware Hono lists as "ALL". */
function appRoutes(): { method: string; path: string }[] {
  const keys = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
  return [...keys].map((k) => {
    const [method, path] = k.split(" ");
    return { method: method!, path: path! };
  });
}

describe("the OpenAPI document behind docs/protocol.md", () => {
  it("documents every route the app has (add documented({…}) to the route, then run `npm run docs`)", async () => {
    const doc = await servedDocument();
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(100);
    const missing = routes.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it("gives every route what it does, who may call it, what it answers, and refusals whose status is an error", async () => {
    const doc = await servedDocument();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary?.trim(), where).toBeTruthy();
        expect(op.description?.trim(), where).toBeTruthy();
        expect(op["x-who"]?.trim(), where).toBeTruthy();
        expect(op.tags?.length, where).toBe(1);
        expect(Object.keys(op.responses ?? {}).some((s) => Number(s) < 400 || op["x-kind"] !== "json"), `${where} answers something`).toBe(true);
        for (const r of op["x-refusals"] ?? []) {
          expect(r.status, `${where}: ${r.when}`).toBeGreaterThanOrEqual(400);
          expect(op.responses?.[String(r.status)], `${where}: ${r.status} in responses`).toBeDefined();
        }
      }
    }
  });

  it("files every JSON API route under a resource and every page under Pages", async () => {
    const doc = await servedDocument();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const isPage = op.tags?.includes("Pages") ?? false;
        expect(isPage, `${method.toUpperCase()} ${path}`).toBe(op["x-kind"] === "page");
        if (path.startsWith("/api/")) expect(isPage, `${method.toUpperCase()} ${path}`).toBe(false);
      }
    }
  });
});
