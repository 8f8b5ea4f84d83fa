/**
 * Server-rendered pages: the start page, librarian sign-in, the monitor's
 * shell, the hosted chat request forms and the patron chat window's shell.
 */
import { eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { html } from "hono/html";
import { SESSION_COOKIE, endSession } from "../auth/sign-in";
import { database } from "../db/client";
import { chatSessions, forms, libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { requestQueue } from "../objects";
import { page } from "../pages/layout";
import { staffableQueues } from "../queues/staffing";
import { planRoute } from "../queues/routing-policy";
import { signInSchema } from "../shared/api";
import { RESOLUTION_CODES } from "../shared/codes";
import { parseFormFields, type FormField } from "../shared/forms";
import { formLayout, inputName } from "../shared/form-layout";
import { LIMITS } from "../shared/limits";
import { readBody } from "../http/validate";
import { alternativesOf } from "./chats";
import { signInAndSetCookie, signInErrorMessage } from "./auth";

export const pageRoutes = new Hono<AppEnv>();

pageRoutes.get("/", async (c) => {
  const rows = await database(c.env.DB)
    .select({ id: forms.id, title: forms.title, library: libraries.name, enabled: forms.enabled })
    .from(forms)
    .innerJoin(libraries, eq(libraries.id, forms.libraryId))
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
  <h2>Demo</h2>
  <p><a href="/demo/library.html">A library home page with the Qwidget</a></p>
</main>`,
    }),
  );
});

// ---- sign-in -----------------------------------------------------------------

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

pageRoutes.get("/login", (c) => {
  const next = c.req.query("next");
  return signInPage(c, { next: next && /^\/[a-zA-Z0-9/_-]*$/.test(next) ? next : "/monitor" });
});

pageRoutes.post("/login", async (c) => {
  const parsed = signInSchema.safeParse(await readBody(c));
  if (!parsed.success) return signInPage(c, { error: "Enter your e-mail address and password." }, 400);
  const result = await signInAndSetCookie(c, parsed.data.email, parsed.data.password);
  if (!result.ok) return signInPage(c, { error: signInErrorMessage(result), email: parsed.data.email, next: parsed.data.next }, result.reason === "locked" ? 429 : 401);
  return c.redirect(parsed.data.next ?? "/monitor", 303);
});

pageRoutes.post("/logout", async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await endSession(database(c.env.DB), token, Date.now());
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.redirect("/login", 303);
});

// ---- the monitor ---------------------------------------------------------------

pageRoutes.get("/monitor", async (c) => {
  const librarian = c.get("librarian");
  if (!librarian) return c.redirect("/login?next=/monitor", 303);
  const queues = await staffableQueues(database(c.env.DB), librarian);
  return c.html(
    page({
      title: "Chat monitor — Refdesk",
      body: html`<div id="monitor-root"><p class="loading">Loading the chat monitor…</p></div>`,
      styles: ["/styles/monitor.css"],
      scripts: ["/build/monitor.js"],
      bootstrap: { librarian, queues, resolutionCodes: RESOLUTION_CODES },
      bodyClass: "monitor",
    }),
  );
});

// ---- hosted chat request forms ----------------------------------------------

function fieldInput(f: FormField) {
  const name = inputName(f);
  const id = `f-${f.id}`;
  const help = f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : "";
  const describedBy = f.help ? `${id}-help` : undefined;
  const label = html`<label for="${id}">${f.label}${f.required ? "" : html` <span class="optional">(optional)</span>`}</label>`;
  if (f.kind === "select") {
    return html`<div class="field">${label}${help}<select id="${id}" name="${name}" ${f.required ? "required" : ""} ${describedBy ? html`aria-describedby="${describedBy}"` : ""}>
      <option value="">Choose…</option>${(f.options ?? []).map((o) => html`<option>${o}</option>`)}</select></div>`;
  }
  if (f.kind === "textarea") {
    const isQuestion = f.id === "question";
    return html`<div class="field">${label}${help}<textarea id="${id}" name="${name}" rows="${isQuestion ? 4 : 3}" maxlength="${isQuestion ? LIMITS.questionChars : LIMITS.fieldChars}"
      ${f.required ? "required" : ""} ${describedBy ? html`aria-describedby="${describedBy}"` : ""}></textarea></div>`;
  }
  const maxLength = f.kind === "email" ? LIMITS.emailChars : f.id === "name" ? LIMITS.nameChars : LIMITS.fieldChars;
  return html`<div class="field">${label}${help}<input id="${id}" name="${name}" type="${f.kind === "email" ? "email" : "text"}"
    maxlength="${maxLength}" ${f.required ? "required" : ""} ${describedBy ? html`aria-describedby="${describedBy}"` : ""}></div>`;
}

pageRoutes.get("/f/:formId", async (c) => {
  const found = await database(c.env.DB)
    .select({ form: forms, library: libraries })
    .from(forms)
    .innerJoin(libraries, eq(libraries.id, forms.libraryId))
    .where(eq(forms.id, c.req.param("formId")))
    .get();
  if (!found) {
    return c.html(page({ title: "Form not found — Refdesk", body: html`<main class="narrow"><h1>Chat form not found</h1><p>Check the link, or go back to your library's website.</p></main>` }), 404);
  }
  const { form, library } = found;
  const brand = form.brandColor ?? library.brandColor;
  if (!form.enabled) {
    const alt = alternativesOf(library);
    return c.html(
      page({
        title: `${form.title} — unavailable`,
        body: html`<main class="narrow"><h1>${form.title}</h1><p>${library.name} is not taking chats through this form any more.</p>${alternativesBlock(alt)}</main>`,
      }),
      410,
    );
  }
  // Cooperative routing (issue 6): a librarian is "online" for this form when any queue on its route is staffed.
  const route = await planRoute(database(c.env.DB), library.id, form.queueId);
  const staffing = await Promise.all(route.stages.map((q) => requestQueue(c.env, q).staffing()));
  const snapshot = { staffed: staffing.some((s) => s.staffed) };
  const fields = formLayout(parseFormFields(form.fields));
  return c.html(
    page({
      title: `${form.title} — ${library.name}`,
      bodyClass: "hosted-form",
      body: html`<header class="brand-bar" style="--brand:${brand}">${form.logoUrl ? html`<img class="brand-logo" src="${form.logoUrl}" alt="${library.name}" height="40">` : html`<p class="brand-name">${library.name}</p>`}</header>
<main class="narrow">
  <h1>${form.title}</h1>
  ${form.intro ? html`<p class="intro">${form.intro}</p>` : ""}
  <p class="availability ${snapshot.staffed ? "available" : "unavailable"}">
    ${snapshot.staffed ? "A librarian is online now." : "No librarian is online right now. You can still send your question and we will show you other ways to get help."}
  </p>
  <form method="post" action="/api/chats" class="stack">
    <input type="hidden" name="formId" value="${form.id}">
    ${fields.map(fieldInput)}
    <div class="field checkbox">
      <input id="f-no-transcript" name="noTranscript" type="checkbox">
      <label for="f-no-transcript">Do not e-mail me a transcript</label>
    </div>
    <button type="submit" class="primary" style="--brand:${brand}">Ask a librarian</button>
  </form>
</main>`,
    }),
  );
});

function alternativesBlock(alt: ReturnType<typeof alternativesOf>) {
  return html`<section aria-labelledby="alt-heading" class="alternatives">
  <h2 id="alt-heading">Other ways to get help</h2>
  <p>${alt.message}</p>
  <ul>
    ${alt.email ? html`<li>E-mail: <a href="mailto:${alt.email}">${alt.email}</a></li>` : ""}
    ${alt.phone ? html`<li>Phone: ${alt.phone}</li>` : ""}
    ${alt.hours ? html`<li>Hours: ${alt.hours}</li>` : ""}
    ${alt.links.map((l) => html`<li><a href="${l.url}" target="_blank" rel="noopener noreferrer">${l.label}</a></li>`)}
  </ul>
</section>`;
}

// ---- the patron chat window ---------------------------------------------------

pageRoutes.get("/chat/:id", async (c) => {
  const found = await database(c.env.DB)
    .select({ library: libraries, brand: forms.brandColor })
    .from(chatSessions)
    .innerJoin(libraries, eq(libraries.id, chatSessions.libraryId))
    .leftJoin(forms, eq(forms.id, chatSessions.formId))
    .where(eq(chatSessions.id, c.req.param("id")))
    .get();
  if (!found) return c.html(page({ title: "Chat not found — Refdesk", body: html`<main class="narrow"><h1>Chat not found</h1><p>This chat link is not valid.</p></main>` }), 404);
  const { library } = found;
  return c.html(
    page({
      title: `Chat with ${library.name}`,
      bodyClass: "chat-page",
      styles: ["/styles/chat.css"],
      body: html`<div class="brand-bar" style="--brand:${found.brand ?? library.brandColor}"><p class="brand-name">${library.name}</p></div>
<main id="chat-root" class="chat-main"><p class="loading">Connecting…</p></main>`,
      scripts: ["/build/patron.js"],
      bootstrap: { sessionId: c.req.param("id"), libraryName: library.name, alternatives: alternativesOf(library) },
    }),
  );
});
