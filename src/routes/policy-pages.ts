/**
 * Policy pages, server-rendered, for signed-in librarians only (never patrons):
 * - /policies — the pages a librarian may read (their library's and its
 *   partners'), with a search box (/policies?q=…) the monitor can link to;
 * - /policies/:libraryId — one library's page, with jump links, key links,
 *   quick-copy answers and the address for reporting mistakes (the monitor's
 *   "Policies" link on a session opens the patron library's page here);
 * - /policies/:libraryId/edit — the library administrator's editor;
 * - /groups/:groupId — the group's own page: its rules, members and schedule.
 */
import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import type { Librarian } from "../auth/librarian";
import { coverageNow, loadShifts } from "../coverage/store";
import { formatInZone, formatSpanInZone, occurrences } from "../coverage/schedule";
import { groupsOfLibrary, findGroup, memberLibraries } from "../coop/groups";
import { assertCanReadPolicyPage, assertGroupMember, assertLibraryAdmin, isLibraryAdmin } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { ApiError, notFound } from "../http/errors";
import { readFields, validate } from "../http/validate";
import { libraryTimeZone } from "../libraries/time-zone";
import { coopPage, renderPageError, signInFirst } from "../pages/coop-layout";
import type { Html } from "../pages/layout";
import { loadGroupPage, loadPolicyPage, readablePolicyLibraries, savePolicyPage, searchPolicyPages, type PolicyPage, type PolicySearchHit } from "../policies/store";
import { LINK_KINDS, LINK_KIND_LABELS, POLICY_LIMITS, POLICY_SECTIONS, sectionAnchor, type LinkKind } from "../policies/sections";
import { slugSchema } from "../shared/api";
import { policyPageSchema } from "../shared/coop-api";
import { SIGNED_IN_PAGE, signedIn } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";
import { PARAMS } from "./openapi/shapes";

export const policyPageRoutes = new Hono<AppEnv>();

const POLICY_SCRIPT = "/build/policies.js";

/** Runs a page handler for a signed-in librarian; ApiErrors become HTML error pages. */
function librarianPage(handler: (c: Context<AppEnv>, librarian: Librarian) => Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    const librarian = c.get("librarian");
    if (!librarian) return signInFirst(c);
    try {
      return await handler(c, librarian);
    } catch (err) {
      return renderPageError(c, err);
    }
  };
}

function slugParam(value: string, what: string): string {
  if (!slugSchema.safeParse(value).success) throw notFound(what);
  return value;
}

// ---- the index and search -------------------------------------------------------

policyPageRoutes.get(
  "/policies",
  documentedPage({
    summary: "Policy pages",
    description: "Policy pages the librarian may read, and search.",
    who: SIGNED_IN_PAGE,
    query: { q: "Words to search for." },
  }),
  librarianPage(async (c, librarian) => {
    const q = (c.req.query("q") ?? "").trim();
    const libraries = await readablePolicyLibraries(c.env.DB, librarian);
    const groups = await groupsOfLibrary(c.env.DB, librarian.libraryId);
    let hits: PolicySearchHit[] | null = null;
    let error: string | null = null;
    if (q) {
      try {
        hits = await searchPolicyPages(c.env.DB, librarian, q);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 400) throw err;
        error = err.message;
      }
    }
    return coopPage(c, {
      title: q ? `Search policy pages for “${q}”` : "Policy pages",
      body: html`<h1>Policy pages</h1>
<p>What each library in your cooperatives asks partner librarians to know. For librarians only; never share these pages with patrons.</p>
<form method="get" action="/policies" role="search" class="search-form">
  <label for="policy-q">Search all policy pages</label>
  <div class="inline">
    <input id="policy-q" name="q" type="search" value="${q}" maxlength="${POLICY_LIMITS.queryChars}" ${error ? html`aria-invalid="true" aria-describedby="search-error"` : ""}>
    <button type="submit" class="primary">Search</button>
  </div>
  ${error ? html`<p class="field-error" id="search-error">${error}</p>` : ""}
</form>
${hits ? searchResults(q, hits) : ""}
<h2>Libraries</h2>
<ul class="library-list">${libraries.map((l) => html`<li><a href="/policies/${l.id}"><bdi>${l.name}</bdi></a></li>`)}</ul>
${groups.length ? html`<h2>Your cooperatives</h2><ul>${groups.map((g) => html`<li><a href="/groups/${g.id}"><bdi>${g.name}</bdi></a></li>`)}</ul>` : ""}`,
    });
  }),
);

function searchResults(q: string, hits: PolicySearchHit[]): Html {
  return html`<section aria-labelledby="results-heading" class="search-results">
  <h2 id="results-heading">${hits.length === 0 ? `Nothing found for “${q}”` : `${hits.length} ${hits.length === 1 ? "match" : "matches"} for “${q}”`}</h2>
  <ol>${hits.map((h) => html`<li><a href="${h.url}"><bdi>${h.libraryName}</bdi>: <bdi>${h.title}</bdi></a><p>${raw(h.snippetHtml)}</p></li>`)}</ol>
</section>`;
}

// ---- one library's page --------------------------------------------------------

policyPageRoutes.get(
  "/policies/:libraryId",
  documentedPage({
    summary: "A library's policy page",
    description: "One library's policy page.",
    who: signedIn("Librarian of the library or a partner, or `service_admin`"),
    params: PARAMS.coopLibraryId,
  }),
  librarianPage(async (c, librarian) => {
    const libraryId = slugParam(c.req.param("libraryId") ?? "", "Policy page");
    await assertCanReadPolicyPage(c.env.DB, librarian, libraryId);
    const p = await loadPolicyPage(c.env.DB, libraryId);
    if (!p) throw notFound("Policy page");
    return coopPage(c, { title: `${p.libraryName}: policy page`, body: policyPageBody(p, librarian, c.req.query("saved") === "1"), scripts: [POLICY_SCRIPT] });
  }),
);

function policyPageBody(p: PolicyPage, librarian: Librarian, saved: boolean): Html {
  const jump: [string, string][] = [
    ...POLICY_SECTIONS.filter((s) => s.id !== "notes").map((s) => [sectionAnchor(s.id), s.title] as [string, string]),
    [sectionAnchor("links"), "Key links"],
    [sectionAnchor("quick_answers"), "Quick answers"],
    [sectionAnchor("notes"), "Notes: what to tell our patrons"],
    [sectionAnchor("report"), "Report a mistake"],
  ];
  const section = (id: string) => {
    const def = POLICY_SECTIONS.find((s) => s.id === id)!;
    const body = p.sections[def.id];
    return html`<section id="${sectionAnchor(def.id)}" aria-labelledby="${sectionAnchor(def.id)}-h" class="policy-section">
  <h2 id="${sectionAnchor(def.id)}-h">${def.title}</h2>
  ${body ? html`<div class="rich-text">${raw(body)}</div>` : html`<p class="empty"><bdi>${p.libraryName}</bdi> has not written this section yet.</p>`}
</section>`;
  };
  const linksByKind = LINK_KINDS.map((k) => [k, p.links.filter((l) => l.kind === k)] as const).filter(([, list]) => list.length > 0);
  return html`<p class="breadcrumb"><a href="/policies">Policy pages</a></p>
<h1>${p.libraryName}</h1>
<p class="lede">Policy page for cooperative librarians. Not for patrons.
  ${p.updatedAt ? html`Last updated ${new Date(p.updatedAt).toISOString().slice(0, 10)}.` : ""}
  ${isLibraryAdmin(librarian, p.libraryId) ? html`<a href="/policies/${p.libraryId}/edit">Edit this page</a>` : ""}</p>
${saved ? html`<p class="saved" role="status">Saved.</p>` : ""}
<nav aria-labelledby="jump-heading" class="jump-links">
  <h2 id="jump-heading">On this page</h2>
  <ul>${jump.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)}</ul>
</nav>
${POLICY_SECTIONS.filter((s) => s.id !== "notes").map((s) => section(s.id))}
<section id="${sectionAnchor("links")}" aria-labelledby="${sectionAnchor("links")}-h" class="policy-section">
  <h2 id="${sectionAnchor("links")}-h">Key links</h2>
  ${linksByKind.length === 0
    ? html`<p class="empty">No links yet.</p>`
    : html`<dl class="key-links">${linksByKind.map(
        ([kind, list]) => html`<dt>${LINK_KIND_LABELS[kind]}</dt>${list.map((l) => html`<dd><a href="${l.url}" target="_blank" rel="noopener noreferrer">${l.label}</a></dd>`)}`,
      )}</dl>`}
</section>
<section id="${sectionAnchor("quick_answers")}" aria-labelledby="${sectionAnchor("quick_answers")}-h" class="policy-section">
  <h2 id="${sectionAnchor("quick_answers")}-h">Quick answers</h2>
  ${p.quickAnswers.length === 0
    ? html`<p class="empty">No quick answers yet.</p>`
    : html`<p>Ready-made answers to paste into a chat.</p>
  <ul class="quick-answers">${p.quickAnswers.map(
        (qa, i) => html`<li class="quick-answer">
    <h3 id="qa-${i}-h">${qa.title}</h3>
    <p id="qa-${i}" class="quick-text">${qa.text}</p>
    <button type="button" class="copy" data-copy="qa-${i}"><span class="copy-label">Copy</span><span class="visually-hidden"> answer: ${qa.title}</span></button>
  </li>`,
      )}</ul>
  <p id="copy-status" class="visually-hidden" role="status" aria-live="polite"></p>`}
</section>
${section("notes")}
<section id="${sectionAnchor("report")}" aria-labelledby="${sectionAnchor("report")}-h" class="policy-section">
  <h2 id="${sectionAnchor("report")}-h">Report a mistake</h2>
  ${p.reportEmail
    ? html`<p>Found something wrong or out of date? Write to <a href="mailto:${p.reportEmail}?subject=${encodeURIComponent(`Policy page: ${p.libraryName}`)}">${p.reportEmail}</a>.</p>`
    : html`<p class="empty"><bdi>${p.libraryName}</bdi> has not named a policy page e-mail contact yet.</p>`}
</section>`;
}

// ---- the editor ------------------------------------------------------------------

interface EditorValues {
  sections: Record<string, string>;
  links: { kind: string; label: string; url: string }[];
  quickAnswers: { title: string; text: string }[];
  reportEmail: string;
}

function editorValuesOf(p: PolicyPage): EditorValues {
  return { sections: p.sections, links: p.links, quickAnswers: p.quickAnswers, reportEmail: p.reportEmail ?? "" };
}

const BLANK_LINK_ROWS = 3;
const BLANK_ANSWER_ROWS = 2;

function editorBody(p: PolicyPage, v: EditorValues, error: { message: string; field?: string } | null): Html {
  const links = [...v.links, ...Array.from({ length: BLANK_LINK_ROWS }, () => ({ kind: "other", label: "", url: "" }))].slice(0, POLICY_LIMITS.links);
  const answers = [...v.quickAnswers, ...Array.from({ length: BLANK_ANSWER_ROWS }, () => ({ title: "", text: "" }))].slice(0, POLICY_LIMITS.quickAnswers);
  const invalid = (field: string) => (error?.field === field || error?.field?.startsWith(`${field}.`) ? html`aria-invalid="true" aria-describedby="editor-error"` : "");
  return html`<p class="breadcrumb"><a href="/policies/${p.libraryId}">Back to the page</a></p>
<h1>Edit the policy page of ${p.libraryName}</h1>
${error ? html`<div class="error-summary" role="alert" id="editor-error"><p>${error.message}</p></div>` : ""}
<form method="post" action="/policies/${p.libraryId}/edit" class="stack policy-editor">
  <p class="help">Write for librarians at partner libraries. Formatting: bold, italics, lists, links (http, https, mailto, tel). Scripts, embedded content and event handlers are refused.</p>
  ${POLICY_SECTIONS.map(
    (s) => html`<div class="field">
    <label for="sec-${s.id}" id="sec-${s.id}-label">${s.title}</label>
    <p class="help" id="sec-${s.id}-help">${s.help}</p>
    <textarea id="sec-${s.id}" name="section:${s.id}" rows="6" maxlength="${POLICY_LIMITS.sectionChars}" data-rich-text aria-describedby="sec-${s.id}-help" ${invalid(`sections.${s.id}`)}>${v.sections[s.id] ?? ""}</textarea>
  </div>`,
  )}
  <fieldset>
    <legend>Key links</legend>
    <p class="help">The catalog, the databases, the patron account page, and anything else partners need often. Leave a row empty to skip it.</p>
    ${links.map(
      (l, i) => html`<div class="link-row">
      <div class="field"><label for="link-kind-${i}">Link ${i + 1}: kind</label>
        <select id="link-kind-${i}" name="linkKind[]">${LINK_KINDS.map((k) => html`<option value="${k}" ${k === l.kind ? "selected" : ""}>${LINK_KIND_LABELS[k as LinkKind]}</option>`)}</select></div>
      <div class="field"><label for="link-label-${i}">Link ${i + 1}: label</label>
        <input id="link-label-${i}" name="linkLabel[]" type="text" value="${l.label}" maxlength="${POLICY_LIMITS.titleChars}" ${invalid(`links.${i}`)}></div>
      <div class="field"><label for="link-url-${i}">Link ${i + 1}: address</label>
        <input id="link-url-${i}" name="linkUrl[]" type="url" value="${l.url}" maxlength="${POLICY_LIMITS.urlChars}" ${invalid(`links.${i}`)}></div>
    </div>`,
    )}
  </fieldset>
  <fieldset>
    <legend>Quick answers</legend>
    <p class="help">Plain-text answers partners can copy into a chat with one click.</p>
    ${answers.map(
      (a, i) => html`<div class="answer-row">
      <div class="field"><label for="qa-title-${i}">Answer ${i + 1}: title</label>
        <input id="qa-title-${i}" name="quickTitle[]" type="text" value="${a.title}" maxlength="${POLICY_LIMITS.titleChars}" ${invalid(`quickAnswers.${i}`)}></div>
      <div class="field"><label for="qa-text-${i}">Answer ${i + 1}: text</label>
        <textarea id="qa-text-${i}" name="quickText[]" rows="3" maxlength="${POLICY_LIMITS.quickAnswerChars}" ${invalid(`quickAnswers.${i}`)}>${a.text}</textarea></div>
    </div>`,
    )}
  </fieldset>
  <div class="field">
    <label for="report-email">Policy page e-mail contact</label>
    <p class="help" id="report-email-help">Partners write here to report a mistake on this page.</p>
    <input id="report-email" name="reportEmail" type="email" value="${v.reportEmail}" aria-describedby="report-email-help" ${invalid("reportEmail")}>
  </div>
  <button type="submit" class="primary">Save the policy page</button>
</form>`;
}

/** Turns the editor's form fields into the API's body shape (empty rows dropped). */
function formToPolicyBody(form: Record<string, unknown>): EditorValues {
  const list = (key: string): string[] => {
    const v = form[key];
    return Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [];
  };
  const sections: Record<string, string> = {};
  for (const s of POLICY_SECTIONS) {
    const v = form[`section:${s.id}`];
    if (typeof v === "string") sections[s.id] = v;
  }
  const kinds = list("linkKind[]");
  const urls = list("linkUrl[]");
  const links = list("linkLabel[]")
    .map((label, i) => ({ kind: kinds[i] ?? "other", label: label.trim(), url: (urls[i] ?? "").trim() }))
    .filter((l) => l.label || l.url);
  const texts = list("quickText[]");
  const quickAnswers = list("quickTitle[]")
    .map((title, i) => ({ title: title.trim(), text: (texts[i] ?? "").trim() }))
    .filter((q) => q.title || q.text);
  return { sections, links, quickAnswers, reportEmail: typeof form.reportEmail === "string" ? form.reportEmail : "" };
}

policyPageRoutes.get(
  "/policies/:libraryId/edit",
  documentedPage({
    summary: "The policy page editor",
    description: "Policy page editor.",
    who: signedIn("`library_admin` of the library, or `service_admin`", ["library_admin", "service_admin"]),
    params: PARAMS.coopLibraryId,
  }),
  librarianPage(async (c, librarian) => {
    const libraryId = slugParam(c.req.param("libraryId") ?? "", "Policy page");
    assertLibraryAdmin(librarian, libraryId, "this policy page");
    const p = await loadPolicyPage(c.env.DB, libraryId);
    if (!p) throw notFound("Policy page");
    return coopPage(c, { title: `Edit the policy page of ${p.libraryName}`, body: editorBody(p, editorValuesOf(p), null), scripts: [POLICY_SCRIPT] });
  }),
);

policyPageRoutes.post(
  "/policies/:libraryId/edit",
  documentedPage({
    summary: "Save a policy page (form post)",
    description: "Saves the page (`policyPageSchema`).",
    who: signedIn("`library_admin` of the library, or `service_admin`; same origin", ["library_admin", "service_admin"]),
    params: PARAMS.coopLibraryId,
    answers: { 303: "Back to the page.", 400: "The editor again, with the problem." },
  }),
  librarianPage(async (c, librarian) => {
    const libraryId = slugParam(c.req.param("libraryId") ?? "", "Policy page");
    assertLibraryAdmin(librarian, libraryId, "this policy page");
    const p = await loadPolicyPage(c.env.DB, libraryId);
    if (!p) throw notFound("Policy page");
    const values = formToPolicyBody(await readFields(c, POLICY_LIMITS.bodyBytes));
    try {
      await savePolicyPage(c.env.DB, libraryId, validate(policyPageSchema, values), librarian.id);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      return coopPage(c, { title: "Edit the policy page (not saved)", body: editorBody(p, values, { message: err.message, field: err.field }), scripts: [POLICY_SCRIPT] }, 400);
    }
    return c.redirect(`/policies/${libraryId}?saved=1`, 303);
  }),
);

// ---- the group's page ------------------------------------------------------------

policyPageRoutes.get(
  "/groups/:groupId",
  documentedPage({
    summary: "A group's page",
    description: "A group's page, members and coverage.",
    who: signedIn("Librarian of a member library, or `service_admin`"),
    params: PARAMS.coopGroupId,
  }),
  librarianPage(async (c, librarian) => {
    const groupId = slugParam(c.req.param("groupId") ?? "", "Group");
    const access = await assertGroupMember(c.env.DB, librarian, groupId);
    const group = await findGroup(c.env.DB, groupId);
    const members = await memberLibraries(c.env.DB, groupId);
    const viewerZone = (await libraryTimeZone(c.env.DB, librarian.libraryId)) ?? "UTC";
    const groupPage = await loadGroupPage(c.env.DB, groupId);
    const shifts = await loadShifts(c.env.DB, groupId);
    const now = Date.now();
    const coverage = await coverageNow(c.env.DB, groupId, now, viewerZone);
    const thisWeek = (i: number) => {
      const [o] = occurrences(shifts[i]!, i, now - 24 * 3600_000, now + 7 * 24 * 3600_000);
      return o ? formatSpanInZone(viewerZone, o.start, o.end) : "—";
    };
    return coopPage(c, {
      title: `${group!.name}: group page`,
      body: html`<p class="breadcrumb"><a href="/policies">Policy pages</a></p>
<h1>${group!.name}</h1>
${access.admin ? html`<p><a href="/admin/groups/${groupId}/cooperation">Administer this group</a></p>` : ""}
<nav aria-labelledby="jump-heading" class="jump-links"><h2 id="jump-heading">On this page</h2>
  <ul><li><a href="#section-rules">Cooperative rules</a></li><li><a href="#section-members">Member libraries</a></li><li><a href="#section-schedule">Coverage schedule</a></li></ul></nav>
<section id="section-rules" aria-labelledby="section-rules-h" class="policy-section"><h2 id="section-rules-h">Cooperative rules</h2>
  ${groupPage.body ? html`<div class="rich-text">${raw(groupPage.body)}</div>` : html`<p class="empty">The group's administrators have not written this yet.</p>`}</section>
<section id="section-members" aria-labelledby="section-members-h" class="policy-section"><h2 id="section-members-h">Member libraries</h2>
  <ul>${members.map((m) => html`<li><a href="/policies/${m.id}"><bdi>${m.name}</bdi></a> (${m.timeZone})</li>`)}</ul></section>
<section id="section-schedule" aria-labelledby="section-schedule-h" class="policy-section"><h2 id="section-schedule-h">Coverage schedule</h2>
  <p role="status">${coverage.current ? html`Now: <bdi>${coverage.current.libraryName}</bdi> (until ${formatInZone(viewerZone, Date.parse(coverage.current.endsAt))} your time).` : "Now: nobody is scheduled."}
    ${coverage.next ? html`Next: <bdi>${coverage.next.libraryName}</bdi>, ${coverage.next.local} your time.` : ""}</p>
  ${shifts.length === 0
    ? html`<p class="empty">No shifts yet.</p>`
    : html`<table class="schedule"><caption>Weekly shifts (times in ${viewerZone} are for this week)</caption>
    <thead><tr><th scope="col">Library</th><th scope="col">Shift (library's time)</th><th scope="col">Time zone</th><th scope="col">Your time (${viewerZone})</th></tr></thead>
    <tbody>${shifts.map((s, i) => html`<tr><td>${s.libraryName}</td><td>${s.label}</td><td>${s.timeZone}</td><td>${thisWeek(i)}</td></tr>`)}</tbody></table>`}
</section>`,
    });
  }),
);
