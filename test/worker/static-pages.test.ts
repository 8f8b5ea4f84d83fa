/**
 * Static pages carry a policy like the Worker's own pages (public/_headers):
 * a CSP with frame-ancestors 'none' (the co-browse probe, which every library
 * page frames, excepted), nosniff and a referrer policy. The demo and test
 * pages are served only where DEMO_PAGES is "true": a production Worker
 * answers 404 for every one of them.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/index";
import { ORIGIN, worker } from "./helpers";

/** A static file as the asset server answers it (following its .html redirects). */
async function asset(path: string): Promise<Response> {
  let url = `${ORIGIN}${path}`;
  for (let hop = 0; hop < 3; hop++) {
    const res = await env.ASSETS.fetch(new Request(url, { redirect: "manual" }));
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return res;
    url = new URL(location, url).href;
  }
  throw new Error(`too many redirects for ${path}`);
}

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | null): Map<string, string> {
  return new Map((csp ?? "").split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(" ") + 1)] as const));
}

const DEMO_AND_TEST_PAGES = [
  "/demo/library.html",
  "/demo/hostile.html",
  "/demo/cobrowse-test/index.html",
  "/demo/cobrowse-test/hours.html",
  "/demo/framing/allowed.html",
  "/demo/framing/xfo-deny",
  "/demo/framing/csp-hosts",
  "/demo/framing/moved",
  "/demo/library.css",
];

describe("static pages' headers", () => {
  it("a demo library page: our scripts only, no plugins, never framed, frames for the Qwidget's viewport", async () => {
    const res = await asset("/demo/library.html");
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("script-src")).toBe("'self'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'self'");
    expect(csp.get("frame-src")).toContain("https:");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // One policy, not two joined: the page's own replaces the default.
    expect(res.headers.get("content-security-policy")!.split(",")).toHaveLength(1);
  });

  it("any other static file gets the Worker pages' policy", async () => {
    const res = await asset("/styles/base.css");
    const csp = directives(res.headers.get("content-security-policy"));
    expect([csp.get("default-src"), csp.get("script-src"), csp.get("frame-src"), csp.get("frame-ancestors")]).toEqual(["'self'", "'self'", "'self'", "'none'"]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("the co-browse probe runs only our script and may be framed by any library page", async () => {
    const res = await asset("/viewport/probe.html");
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get("content-security-policy"));
    expect([csp.get("default-src"), csp.get("script-src"), csp.has("frame-ancestors")]).toEqual(["'none'", "'self'", false]);
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(await res.text()).toContain('<script src="/viewport/probe.js"></script>');
    expect((await asset("/viewport/probe.js")).status).toBe(200);
  });

  it("the framing test pages send exactly the framing headers their names say", async () => {
    const allowed = await asset("/demo/framing/allowed");
    expect(allowed.headers.get("x-frame-options")).toBeNull();
    expect(directives(allowed.headers.get("content-security-policy")).has("frame-ancestors")).toBe(false);
    expect(directives(allowed.headers.get("content-security-policy")).get("script-src")).toBe("'self'");
    expect((await asset("/demo/framing/xfo-deny")).headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("demo and test pages", () => {
  it("answer 404 from a Worker without DEMO_PAGES (production), whatever the path", async () => {
    expect((env as { DEMO_PAGES?: string }).DEMO_PAGES).toBeUndefined();
    for (const path of DEMO_AND_TEST_PAGES) {
      const res = await worker().fetch(new Request(`${ORIGIN}${path}`));
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
    // The start page does not point at them either.
    expect(await (await worker().fetch(new Request(`${ORIGIN}/`))).text()).not.toContain("/demo/");
  });

  it("are served, with their own headers, where DEMO_PAGES is \"true\" (local development and the tests)", async () => {
    const local = { ...env, DEMO_PAGES: "true" };
    const page = await app.fetch(new Request(`${ORIGIN}/demo/library`), local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("qwidget.js");
    expect(directives(page.headers.get("content-security-policy")).get("frame-ancestors")).toBe("'none'");
    const deny = await app.fetch(new Request(`${ORIGIN}/demo/framing/xfo-deny`), local);
    expect(deny.headers.get("x-frame-options")).toBe("DENY");
    const allowed = await app.fetch(new Request(`${ORIGIN}/demo/framing/allowed`), local);
    expect(allowed.headers.get("x-frame-options")).toBeNull();
    expect(await (await app.fetch(new Request(`${ORIGIN}/`), local)).text()).toContain("/demo/library.html");
  });
});
