/**
 * Server-rendered pages: the start page, librarian sign-in, the monitor's
 * shell, the hosted chat request forms and the patron chat window's shell.
 */
import { eq, isNull } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { database } from "../db/client";
import { chatSessions, forms, libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { appHeader } from "../pages/app-header";
import { page } from "../pages/layout";
import { formMissingPage, formTurnedOffPage, requestFormPage } from "../pages/request-form";
import { chatAvailable, closedReason, loadForm } from "../patrons/forms";
import { alternativesIn, languageFor, languageOptions, localizeForm } from "../patrons/form-language";
import { patronCatalog, translator } from "../i18n/catalog";
import { acceptedLanguages, directionOf, LANGUAGES } from "../i18n/languages";
import { staffableQueues } from "../queues/staffing";
import { signInSchema } from "../shared/api";
import { localPathOr } from "../shared/local-path";
import { RESOLUTION_CODES } from "../shared/codes";
import { brandColor, textColorOn } from "../shared/color";
import { readBody } from "../http/validate";
import { signInAndSetCookie, signInErrorMessage, signInRefusalStatus, signOutAndClearCookie } from "./auth";
import { demoPagesServed } from "./demo-pages";
import { SIGNED_IN_PAGE, anyone } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";
import { PARAMS } from "./openapi/shapes";

const ANYONE_PAGE = anyone("Anyone");

export const pageRoutes = new Hono<AppEnv>();

pageRoutes.get("/", documentedPage({
  summary: "Start page",
  description: "Start page: links to the monitor, administration, the questions module and every enabled form.",
  who: ANYONE_PAGE,
}), async (c) => {
  const rows = await database(c.env.DB)
    .select({ id: forms.id, title: forms.title, library: libraries.name, enabled: forms.enabled })
    .from(forms)
    .innerJoin(libraries, eq(libraries.id, forms.libraryId))
    .where(isNull(libraries.archivedAt))
    .all();
  return c.html(
    page({
      title: "Refdesk",
      body: html`<main class="narrow">
  <h1>Refdesk</h1>
  <p>Cooperative, real-time Ask a Librarian chat.</p>
  <h2>Librarians</h2>
  <p><a href="/monitor">Open the chat monitor</a> · <a href="/admin">Administration</a></p>
  <p><a href="/questions">Open the Ask a Librarian module (questions and follow-ups)</a></p>
  <h2>Patrons: chat request forms</h2>
  <ul>${rows.filter((r) => r.enabled).map((r) => html`<li><a href="/f/${r.id}">${r.title}</a> (${r.library})</li>`)}</ul>
  ${demoPagesServed(c.env) ? html`<h2>Demo</h2>
  <p><a href="/demo/library.html">A library home page with the Qwidget</a></p>` : ""}
</main>`,
    }),
  );
});

// ---- sign-in -----------------------------------------------------------------

/** Where signing in leads when no (acceptable) `next` was given. */
const DEFAULT_NEXT = "/monitor";

function signInPage(c: Context<AppEnv>, opts: { error?: string; email?: string; next?: string }, status: 200 | 400 | 401 | 429 = 200) {
  return c.html(
    page({
      title: opts.error ? "Sign in (error) — Refdesk" : "Sign in — Refdesk",
      body: html`<main class="narrow">
  <h1>Sign in to Refdesk</h1>
  ${opts.error ? html`<div class="error-summary" role="alert" id="sign-in-error"><p>${opts.error}</p></div>` : ""}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="next" value="${opts.next ?? "/monitor"}">
    <div class="field">
      <label for="email">E-mail</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${opts.email ?? ""}"
        ${opts.error ? html`aria-invalid="true" aria-describedby="sign-in-error"` : ""} ${opts.error ? "" : "autofocus"}>
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required
        ${opts.error ? html`aria-invalid="true" aria-describedby="sign-in-error" autofocus` : ""}>
    </div>
    <button type="submit" class="primary">Sign in</button>
  </form>
</main>`,
    }),
    status,
  );
}

pageRoutes.get("/login", documentedPage({
  summary: "Sign-in page",
  description: "Librarian sign-in form.",
  who: ANYONE_PAGE,
  query: { next: "A path on this site to return to after signing in (anything else, another host included: the monitor)." },
}), (c) => signInPage(c, { next: localPathOr(c.req.query("next"), DEFAULT_NEXT) }));

pageRoutes.post("/login", documentedPage({
  summary: "Sign in (form post)",
  description: "Signs in (the fields of `POST /api/auth/sign-in`).",
  who: anyone("Anyone, same origin"),
  rawBody: { types: ["application/x-www-form-urlencoded"], description: "The sign-in form's fields.", schema: signInSchema },
  answers: {
    303: "To `next` when it is a path on this site, else to the monitor.",
    400: "The form again, with the error.",
    401: "The form again, with the one message for every refused sign-in.",
    429: "The form again, saying when to try again (and a `Retry-After` header): too many attempts lately.",
  },
}), async (c) => {
  const raw = await readBody(c);
  // A `next` leading off the site is dropped, not an error: the sign-in still goes ahead.
  const next = localPathOr((raw as { next?: unknown } | null)?.next, DEFAULT_NEXT);
  const parsed = signInSchema.omit({ next: true }).safeParse(raw);
  if (!parsed.success) return signInPage(c, { error: "Enter your e-mail address and password.", next }, 400);
  const result = await signInAndSetCookie(c, parsed.data.email, parsed.data.password);
  if (!result.ok) return signInPage(c, { error: signInErrorMessage(result), email: parsed.data.email, next }, signInRefusalStatus(result));
  return c.redirect(next, 303);
});

pageRoutes.post("/logout", documentedPage({
  summary: "Sign out (form post)",
  description: "Signs out.",
  who: anyone("Anyone, same origin"),
  answers: { 303: "To `/login`." },
}), async (c) => {
  await signOutAndClearCookie(c);
  return c.redirect("/login", 303);
});

// ---- the monitor ---------------------------------------------------------------

pageRoutes.get("/monitor", documentedPage({
  summary: "The chat monitor",
  description: "The chat monitor (Preact app).",
  who: SIGNED_IN_PAGE,
  answers: { 200: "The page.", 303: "To `/login?next=/monitor` when not signed in." },
}), async (c) => {
  const librarian = c.get("librarian");
  if (!librarian) return c.redirect("/login?next=/monitor", 303);
  const queues = await staffableQueues(database(c.env.DB), librarian);
  return c.html(
    page({
      title: "Chat monitor — Refdesk",
      body: html`${appHeader(librarian, "/monitor")}<div id="monitor-root"><p class="loading">Loading the chat monitor…</p></div>`,
      styles: ["/styles/monitor.css"],
      scripts: ["/build/monitor/monitor.js"],
      bootstrap: { librarian, queues, resolutionCodes: RESOLUTION_CODES },
      bodyClass: "monitor",
    }),
  );
});

// ---- hosted chat request forms ----------------------------------------------

pageRoutes.get("/f/:formId", documentedPage({
  summary: "A hosted chat request form",
  description: "A hosted chat request form; posts to `POST /api/chats`. In the language `lang=` names when the form offers it, else the first the browser's `Accept-Language` asks for that the form offers, else the form's default; `<html lang dir>` follow it.",
  who: ANYONE_PAGE,
  params: PARAMS.formId,
  query: { lang: "A language tag (`en`, `es`, `fr`, `ar`): shown when the form offers it." },
  answers: { 200: "The form.", 404: "A page saying the form does not exist.", 410: "A page saying the form is turned off, or its library takes no chat requests any more (archived)." },
}), async (c) => {
  const found = await loadForm(database(c.env.DB), c.req.param("formId"));
  const asked = c.req.query("lang");
  if (!found) return c.html(formMissingPage(languageFor({ languages: [...LANGUAGES], defaultLanguage: "en" }, asked, acceptedLanguages(c.req.header("accept-language")))), 404);
  const language = languageFor(found.form, asked, acceptedLanguages(c.req.header("accept-language")));
  if (closedReason(found)) return c.html(formTurnedOffPage(found, language), 410);
  return c.html(requestFormPage({ found, local: localizeForm(found, language), available: await chatAvailable(c.env, found.form) }));
});

// ---- the patron chat window ---------------------------------------------------

pageRoutes.get("/chat/:id", documentedPage({
  summary: "The patron's chat window",
  description: "The patron's chat window, in the chat's language — or in `lang=` when the chat's form offers it (the window's language switcher).",
  who: anyone("The patron (the token travels in the URL fragment)"),
  params: PARAMS.sessionId,
  query: { lang: "A language tag the chat's form offers: the window in that language." },
  answers: { 200: "The page.", 404: "A page saying the chat link is not valid." },
}), async (c) => {
  const found = await database(c.env.DB)
    .select({ library: libraries, form: forms, language: chatSessions.language })
    .from(chatSessions)
    .innerJoin(libraries, eq(libraries.id, chatSessions.libraryId))
    .leftJoin(forms, eq(forms.id, chatSessions.formId))
    .where(eq(chatSessions.id, c.req.param("id")))
    .get();
  const asked = c.req.query("lang");
  if (!found) {
    const language = languageFor({ languages: [...LANGUAGES], defaultLanguage: "en" }, asked, acceptedLanguages(c.req.header("accept-language")));
    const t = translator(language);
    return c.html(page({ title: `${t("chat.notFoundTitle")} — Refdesk`, lang: language, dir: directionOf(language), body: html`<main class="narrow"><h1>${t("chat.notFoundTitle")}</h1><p>${t("chat.notFoundText")}</p></main>` }), 404);
  }
  const { library, form } = found;
  // The chat's own language, or another its form offers when the patron switches (`?lang=`).
  const languages = form ?? { languages: [found.language], defaultLanguage: found.language };
  const language = languageFor(languages, asked, [found.language]);
  const t = translator(language);
  const color = brandColor(form?.brandColor ?? library.brandColor);
  const local = form ? localizeForm({ form, library }, language) : null;
  return c.html(
    page({
      title: t("chat.title", { library: library.name }),
      bodyClass: "chat-page",
      styles: ["/styles/chat.css"],
      lang: language,
      dir: directionOf(language),
      body: html`<header class="brand-bar" style="--brand:${color};--brand-text:${textColorOn(color)}"><p class="brand-name">${library.name}</p></header>
<main id="chat-root" class="chat-main"><p class="loading">${t("chat.connecting")}</p></main>`,
      scripts: ["/build/patron.js"],
      bootstrap: {
        sessionId: c.req.param("id"),
        libraryName: library.name,
        language: { tag: language, dir: directionOf(language), offered: languageOptions(languages) },
        catalog: patronCatalog(language),
        alternatives: alternativesIn(library, language, local?.unavailableMessage),
        waitLimitSeconds: library.waitLimitSeconds,
        chatMethod: found.form?.chatMethod === "viewport" ? "viewport" : "chat",
      },
    }),
  );
});
