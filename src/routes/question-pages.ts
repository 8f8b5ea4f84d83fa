/**
 * The Ask a Librarian module's pages: /questions (the lists), /questions/:id
 * (one question) and /questions/codes (descriptive codes and whether chats
 * end with them, for library administrators). Each is a server shell — the
 * staff app's header, the module's own links, a landmark — around the Preact
 * module in src/client/questions/.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { Librarian } from "../auth/librarian";
import { isLibraryAdmin } from "../auth/roles";
import type { AppEnv } from "../http/app-env";
import { libraryTimeZone } from "../libraries/time-zone";
import { appHeader } from "../pages/app-header";
import { page } from "../pages/layout";
import type { QuestionsBootstrap } from "../shared/questions-api";
import { SIGNED_IN_PAGE } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";
import { PARAMS } from "./openapi/shapes";

export const questionPageRoutes = new Hono<AppEnv>();

const TITLES: Record<QuestionsBootstrap["view"], string> = {
  list: "Questions",
  question: "Question",
  codes: "Descriptive codes",
};

async function modulePage(c: Context<AppEnv>, librarian: Librarian, view: QuestionsBootstrap["view"], questionId: string | null, status: 200 | 403 = 200) {
  const timeZone = (await libraryTimeZone(c.env.DB, librarian.libraryId)) ?? "UTC";
  const admin = isLibraryAdmin(librarian);
  const boot: QuestionsBootstrap = {
    view,
    questionId,
    librarian: { id: librarian.id, displayName: librarian.displayName, libraryId: librarian.libraryId, libraryName: librarian.libraryName, isAdmin: admin },
    timeZone,
  };
  const current = (href: string, match: boolean) => (match ? html`<a href="${href}" aria-current="page">` : html`<a href="${href}">`);
  return c.html(
    page({
      title: `${TITLES[view]} — Ask a Librarian — Refdesk`,
      bodyClass: "questions-module",
      styles: ["/styles/questions.css"],
      scripts: status === 200 ? ["/build/questions.js"] : [],
      bootstrap: status === 200 ? boot : undefined,
      body: html`${appHeader(librarian, new URL(c.req.url).pathname)}
${admin ? html`<nav class="sub-nav" aria-label="Ask a Librarian"><ul>
  <li>${current("/questions", view !== "codes")}Questions</a></li>
  <li>${current("/questions/codes", view === "codes")}Descriptive codes</a></li>
</ul></nav>` : ""}
<main id="main" tabindex="-1">
  ${status === 200
    ? html`<div id="questions-root"><p class="loading">Loading…</p></div>`
    : html`<h1>Descriptive codes</h1><p>Only a library administrator can change the descriptive codes. <a href="/questions">Back to the questions</a></p>`}
</main>`,
    }),
    status,
  );
}

function signInFirst(c: Context<AppEnv>) {
  return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
}

questionPageRoutes.get("/questions", documentedPage({
  summary: "The questions module",
  description: "The Ask a Librarian module: lists and search.",
  who: SIGNED_IN_PAGE,
}), async (c) => {
  const librarian = c.get("librarian");
  return librarian ? modulePage(c, librarian, "list", null) : signInFirst(c);
});

// Before "/questions/:id", so "codes" is not taken for a question id.
questionPageRoutes.get("/questions/codes", documentedPage({
  summary: "The descriptive codes editor",
  description: "Descriptive codes editor.",
  who: SIGNED_IN_PAGE,
  answers: { 200: "The page.", 403: "A page saying only a library administrator may change the codes." },
}), async (c) => {
  const librarian = c.get("librarian");
  if (!librarian) return signInFirst(c);
  return modulePage(c, librarian, "codes", null, isLibraryAdmin(librarian) ? 200 : 403);
});

questionPageRoutes.get("/questions/:id", documentedPage({
  summary: "One question",
  description: "One question (the API decides whether it may be seen).",
  who: SIGNED_IN_PAGE,
  params: PARAMS.questionId,
}), async (c) => {
  const librarian = c.get("librarian");
  // The page is only a shell: whether this librarian may see the question is the API's answer.
  return librarian ? modulePage(c, librarian, "question", c.req.param("id")) : signInFirst(c);
});
