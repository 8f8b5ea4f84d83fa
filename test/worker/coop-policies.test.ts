/**
 * Policy pages: sanitised rich text (unsafe markup refused with a clear error
 * and nothing saved), editing only by the library's own administrators, reading
 * by the library and its cooperative partners only, server-rendered pages with
 * jump links and quick answers, and full-text search across the pages a
 * librarian may read.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sanitizeRichText } from "../../src/policies/sanitize";
import { POLICY_SECTIONS, sectionAnchor } from "../../src/policies/sections";
import type { PolicyPageBody } from "../../src/shared/coop-api";
import { call, countRows, createGroup, createLibrarian, createLibrary, signIn, uniqueId } from "./helpers";

/** A library and a partner in one group, plus an outsider library; an admin and a librarian of each. */
async function partners() {
  const home = await createLibrary({ name: "Maple Public Library" });
  const partner = await createLibrary({ name: "Birch County Library" });
  const outsider = await createLibrary({ name: "Faraway Library" });
  await createGroup(uniqueId("coop"), "Tree Cooperative", [home.id, partner.id]);
  const cookie = async (libraryId: string, role = "librarian") => signIn(await createLibrarian(libraryId, `${role} of ${libraryId}`, role));
  return {
    home,
    partner,
    outsider,
    homeAdmin: await cookie(home.id, "library_admin"),
    homeLibrarian: await cookie(home.id),
    partnerAdmin: await cookie(partner.id, "library_admin"),
    partnerLibrarian: await cookie(partner.id),
    outsiderAdmin: await cookie(outsider.id, "library_admin"),
  };
}

const PAGE: PolicyPageBody = {
  sections: {
    serves: "<p>Residents of <strong>Maple County</strong> and students of Maple College.</p>",
    remote_access: '<p>Databases work from home through the <a href="https://proxy.maple.example/login">EZproxy login</a> with the library card.</p>',
    notes: "<ul><li>Tell patrons about the <em>genealogy room</em>.</li></ul>",
  },
  links: [{ kind: "catalog", label: "Maple catalog", url: "https://catalog.maple.example" }],
  quickAnswers: [{ title: "Renewals", text: "You can renew twice online at https://catalog.maple.example/account." }],
  reportEmail: "webmaster@maple.example",
};

const putPage = (libraryId: string, cookie: string, body: unknown) => call(`/api/policies/${libraryId}`, { method: "PUT", cookie, json: body });
const storedPage = (libraryId: string) => env.DB.prepare("SELECT sections, links, quick_answers, report_email, updated_at FROM policy_pages WHERE library_id = ?").bind(libraryId).first();

describe("the sanitiser", () => {
  it.each([
    ["<script>alert(1)</script><p>hi</p>", /<script> tag/],
    ['<p onclick="alert(1)">hi</p>', /event-handler attributes \(onclick\)/],
    ['<a href="javascript:alert(1)">x</a>', /link address/],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', /link address/],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', /link address/],
    ['<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', /link address/],
    ['<iframe src="https://evil.example"></iframe>', /<iframe> tag/],
    ['<img src=x onerror="alert(1)">', /<img> tag/],
    ["<svg><script>alert(1)</script></svg>", /<svg> tag/],
  ])("refuses %s", (input, problem) => {
    const { problems } = sanitizeRichText(input);
    expect(problems.join("; ")).toMatch(problem);
  });

  it("keeps allowed markup, drops harmless extras quietly, forces rel on links and balances tags", () => {
    const { html, problems } = sanitizeRichText('<p class="x" style="color:red">Hours: <span>9–5</span> <b>daily<i> except</b> Sunday</p></div><a href="https://a.example" rel="opener" target="_self">site</a><ul><li>one');
    expect(problems).toEqual([]);
    expect(html).toBe('<p>Hours: 9–5 <b>daily<i> except</i></b> Sunday</p><a rel="noopener noreferrer" target="_blank" href="https://a.example">site</a><ul><li>one</li></ul>');
    expect(sanitizeRichText("1 < 2 & 3 > 2").html).toBe("1 &lt; 2 &amp; 3 &gt; 2");
  });
});

describe("editing a policy page", () => {
  it("lets the library's administrator save it, sanitised, and shows it to partners", async () => {
    const t = await partners();
    const res = await putPage(t.home.id, t.homeAdmin, PAGE);
    expect(res.status, await res.clone().text()).toBe(200);
    const read = await call(`/api/policies/${t.home.id}`, { cookie: t.partnerLibrarian });
    expect(read.status).toBe(200);
    const { page } = (await read.json()) as { page: { sections: Record<string, string>; reportEmail: string; quickAnswers: unknown[] } };
    expect(page.sections.remote_access).toContain('rel="noopener noreferrer"');
    expect(page.reportEmail).toBe("webmaster@maple.example");
    expect(page.quickAnswers).toEqual(PAGE.quickAnswers);
  });

  it("refuses unsafe HTML with the section as the field, and changes nothing", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    const before = await storedPage(t.home.id);
    const bad = await putPage(t.home.id, t.homeAdmin, { ...PAGE, sections: { ...PAGE.sections, hours: '<p>Open <img src=x onerror="fetch(`//evil`)"></p>' } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string; field: string } };
    expect(error).toMatchObject({ code: "validation_failed", field: "sections.hours" });
    expect(error.message).toMatch(/^Hours: the <img> tag is not allowed/);
    expect(error.message).toMatch(/Nothing was saved/);
    expect(await storedPage(t.home.id)).toEqual(before);
  });

  it("refuses edits by anyone but that library's administrators (403), changing nothing", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    const before = await storedPage(t.home.id);
    const vandal = { ...PAGE, sections: { serves: "<p>Nobody.</p>" } };
    for (const cookie of [t.homeLibrarian, t.partnerAdmin, t.partnerLibrarian, t.outsiderAdmin]) {
      const res = await putPage(t.home.id, cookie, vandal);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    expect(await storedPage(t.home.id)).toEqual(before);
    // The editor page and its form post say no as well.
    expect((await call(`/policies/${t.home.id}/edit`, { cookie: t.partnerAdmin })).status).toBe(403);
    const post = await call(`/policies/${t.home.id}/edit`, {
      method: "POST",
      cookie: t.partnerAdmin,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "section%3Aserves=%3Cp%3ENobody%3C%2Fp%3E",
    });
    expect(post.status).toBe(403);
    expect(await storedPage(t.home.id)).toEqual(before);
  });

  it("refuses bad links and e-mail addresses field by field", async () => {
    const t = await partners();
    const cases: [unknown, string][] = [
      [{ ...PAGE, links: [{ kind: "catalog", label: "Evil", url: "javascript:alert(1)" }] }, "links.0.url"],
      [{ ...PAGE, links: [{ kind: "shop", label: "x", url: "https://x.example" }] }, "links.0.kind"],
      [{ ...PAGE, reportEmail: "not-an-address" }, "reportEmail"],
      [{ ...PAGE, sections: { secret: "<p>x</p>" } }, "sections.secret"],
      [{ ...PAGE, quickAnswers: [{ title: "", text: "x" }] }, "quickAnswers.0.title"],
    ];
    for (const [body, field] of cases) {
      const res = await putPage(t.home.id, t.homeAdmin, body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    expect(await countRows("SELECT 1 FROM policy_pages WHERE library_id = ?", t.home.id)).toBe(0);
  });

  it("saves through the HTML editor and redirects to the page", async () => {
    const t = await partners();
    const form = new URLSearchParams();
    form.set("section:hours", "<p>Mon–Fri <strong>9–17</strong></p>");
    form.append("linkKind[]", "account");
    form.append("linkLabel[]", "My account");
    form.append("linkUrl[]", "https://maple.example/account");
    form.append("linkKind[]", "other");
    form.append("linkLabel[]", "");
    form.append("linkUrl[]", "");
    form.append("quickTitle[]", "Hours");
    form.append("quickText[]", "We are open 9–17 on weekdays.");
    form.set("reportEmail", "");
    const res = await call(`/policies/${t.home.id}/edit`, { method: "POST", redirect: "manual", cookie: t.homeAdmin, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/policies/${t.home.id}?saved=1`);
    const row = await storedPage(t.home.id);
    expect(JSON.parse(row!.links as string)).toEqual([{ kind: "account", label: "My account", url: "https://maple.example/account" }]);

    form.set("section:hours", '<p>Open</p><script src="https://evil.example/x.js"></script>');
    const bad = await call(`/policies/${t.home.id}/edit`, { method: "POST", cookie: t.homeAdmin, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("the &lt;script&gt; tag is not allowed");
    expect(text).toContain('role="alert"');
    expect(await storedPage(t.home.id)).toEqual(row);
  });
});

describe("reading policy pages", () => {
  it("renders the page for partners with jump links, sections, key links, quick answers and the report address", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    const res = await call(`/policies/${t.home.id}`, { cookie: t.partnerLibrarian });
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const s of POLICY_SECTIONS) {
      expect(page).toContain(`href="#${sectionAnchor(s.id)}"`);
      expect(page).toContain(`id="${sectionAnchor(s.id)}"`);
    }
    expect(page).toContain("Maple County");
    expect(page).toContain('href="https://catalog.maple.example" target="_blank" rel="noopener noreferrer"');
    expect(page).toContain('<span class="copy-label">Copy</span><span class="visually-hidden"> answer: Renewals</span>');
    expect(page).toContain("mailto:webmaster@maple.example");
    // Partners do not get the edit link; the library's administrator does.
    expect(page).not.toContain(`/policies/${t.home.id}/edit`);
    expect(await (await call(`/policies/${t.home.id}`, { cookie: t.homeAdmin })).text()).toContain(`/policies/${t.home.id}/edit`);
  });

  it("is for signed-in librarians only, and only of the library and its partners", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    const anonymous = await call(`/policies/${t.home.id}`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(`/login?next=/policies/${t.home.id}`);
    expect((await call(`/api/policies/${t.home.id}`)).status).toBe(401);
    const outsider = await call(`/policies/${t.home.id}`, { cookie: t.outsiderAdmin });
    expect(outsider.status).toBe(403);
    expect(await outsider.text()).not.toContain("Maple County");
    expect((await call(`/api/policies/${t.home.id}`, { cookie: t.outsiderAdmin })).status).toBe(403);
  });
});

describe("searching policy pages", () => {
  it("finds words across the pages of the librarian's partners, not of other libraries", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    await putPage(t.outsider.id, t.outsiderAdmin, { sections: { remote_access: "<p>Our proxy is secret.</p>" } });
    const res = await call(`/api/policies/search?q=${encodeURIComponent("proxy")}`, { cookie: t.partnerLibrarian });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { libraryId: string; section: string; snippetHtml: string; url: string }[] };
    expect(results.map((r) => r.libraryId)).toEqual([t.home.id]);
    expect(results[0]).toMatchObject({ section: "remote_access", url: `/policies/${t.home.id}#section-remote-access` });
    expect(results[0]!.snippetHtml).toContain("<mark>");
    // Prefixes and stems match; quick answers are searchable too.
    const renew = (await (await call(`/api/policies/search?q=renew`, { cookie: t.partnerLibrarian })).json()) as { results: { section: string }[] };
    expect(renew.results.map((r) => r.section)).toContain("quick-0");
    // The outsider finds only their own page.
    const theirs = (await (await call(`/api/policies/search?q=proxy`, { cookie: t.outsiderAdmin })).json()) as { results: { libraryId: string }[] };
    expect(theirs.results.map((r) => r.libraryId)).toEqual([t.outsider.id]);
  });

  it("answers a search with no words with 400, and FTS syntax in the query is just text", async () => {
    const t = await partners();
    await putPage(t.home.id, t.homeAdmin, PAGE);
    const empty = await call(`/api/policies/search?q=${encodeURIComponent('"*)(')}`, { cookie: t.partnerLibrarian });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { field: string } }).error.field).toBe("q");
    const tricky = await call(`/api/policies/search?q=${encodeURIComponent('maple" OR NEAR(')}`, { cookie: t.partnerLibrarian });
    expect(tricky.status).toBe(200);
    const page = await call(`/policies?q=genealogy`, { cookie: t.partnerLibrarian });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<mark>genealogy</mark>");
  });
});
