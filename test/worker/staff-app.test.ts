/**
 * One app for staff: every staff page — the monitor, the questions module,
 * policy pages, cooperative feedback, administration — carries the same header
 * with the places the librarian's role may use and the current one marked;
 * a browser asking for a page that is not there (or not theirs) gets an HTML
 * page, while the API keeps answering JSON.
 */
import { describe, expect, it } from "vitest";
import { STAFF_PLACES } from "../../src/shared/staff-nav";
import { call, createLibrarian, createLibrary, signIn } from "./helpers";

const asBrowser = (path: string, cookie?: string) => call(path, { cookie, headers: { Accept: "text/html,application/xhtml+xml" } });

/** The header's links, and which one is marked current. */
function navOf(html: string): { links: string[]; current: string[] } {
  const nav = /<nav class="app-nav" aria-label="Refdesk">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
  const links = [...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
  const current = [...nav.matchAll(/<a href="([^"]+)" aria-current="(?:page|true)"/g)].map((m) => m[1]!);
  return { links, current };
}

async function people() {
  const library = await createLibrary({ name: "Nav Library" });
  return {
    library,
    librarian: await signIn(await createLibrarian(library.id, "Lena")),
    admin: await signIn(await createLibrarian(library.id, "Ada", "library_admin")),
  };
}

describe("the one header", () => {
  it("is on every staff page, the same places each time, the current one marked", async () => {
    const p = await people();
    const pages: [string, string][] = [
      ["/monitor", "/monitor"],
      ["/questions", "/questions"],
      ["/questions/codes", "/questions"],
      ["/policies", "/policies"],
      [`/policies/${p.library.id}`, "/policies"],
      ["/feedback", "/feedback"],
      ["/stats", "/stats"],
      ["/stats/when", "/stats"],
      ["/admin", "/admin"],
      [`/admin/libraries/${p.library.id}/scripts`, "/admin"],
      ["/admin/cooperation", "/admin"],
    ];
    const adminPlaces = STAFF_PLACES.map((s) => s.href);
    for (const [path, place] of pages) {
      const res = await asBrowser(path, p.admin);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html.match(/class="app-header"/g)?.length, path).toBe(1);
      const nav = navOf(html);
      expect(nav.links, path).toEqual(adminPlaces);
      expect(nav.current, path).toEqual([place]);
      expect(html, path).toContain('action="/logout"');
    }
    // The page itself is "page", a page inside a place "true".
    expect(await (await asBrowser("/questions", p.admin)).text()).toContain('href="/questions" aria-current="page"');
    expect(await (await asBrowser("/questions/codes", p.admin)).text()).toContain('href="/questions" aria-current="true"');
    // Statistics is one of the places.
    expect(adminPlaces).toContain("/stats");
  });

  it("shows each role only the places it may use", async () => {
    const p = await people();
    const librarianNav = navOf(await (await asBrowser("/monitor", p.librarian)).text());
    expect(librarianNav.links).not.toContain("/admin");
    expect(librarianNav.links).toEqual(STAFF_PLACES.filter((s) => !s.roles).map((s) => s.href));
    expect(navOf(await (await asBrowser("/monitor", p.admin)).text()).links).toContain("/admin");
    // Everyone reaches their own account from their name.
    expect(await (await asBrowser("/monitor", p.librarian)).text()).toContain('<a href="/admin/account">');
  });
});

describe("errors as pages", () => {
  it("answers a browser's unknown page with an HTML 404, under /admin too, with the header when signed in", async () => {
    const p = await people();
    for (const path of ["/admin/no-such-page", "/admin/libraries/x/y/z", "/nowhere", `/admin/libraries/${p.library.id}/no-such-tab`]) {
      const res = await asBrowser(path, p.admin);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      const html = await res.text();
      expect(html, path).toContain("<h1>Page not found</h1>");
      expect(html, path).toContain('class="app-header"');
    }
    const anonymous = await asBrowser("/admin/no-such-page");
    expect(anonymous.status).toBe(404);
    expect(await anonymous.text()).toContain("/login?next=");
  });

  it("answers a browser refused a page with an HTML 403", async () => {
    const p = await people();
    const other = await createLibrary({ name: "Other" });
    const res = await asBrowser(`/admin/libraries/${other.id}/settings`, p.admin);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("text/html");
    const policy = await asBrowser(`/policies/${other.id}`, p.librarian);
    expect(policy.status).toBe(403);
    expect(policy.headers.get("content-type")).toContain("text/html");
  });

  it("keeps JSON for the API and for clients that do not ask for HTML", async () => {
    const p = await people();
    for (const [path, headers] of [
      ["/api/no-such-thing", { Accept: "text/html" }],
      ["/admin/no-such-page", { Accept: "application/json" }],
      ["/nowhere", {}],
    ] as const) {
      const res = await call(path, { cookie: p.admin, headers });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("application/json");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    const refused = await call(`/api/questions/q-00000000-0000-4000-8000-000000000000`, { cookie: p.librarian, headers: { Accept: "text/html" } });
    expect(refused.headers.get("content-type")).toContain("application/json");
  });
});
