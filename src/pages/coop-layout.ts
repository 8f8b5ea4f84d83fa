/**
 * Shared pieces of the cooperative pages (policy pages, group and library
 * administration, feedback): the page around them, with the staff app's
 * header, and HTML error pages.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/errors";
import { appHeader } from "./app-header";
import { page, type Html } from "./layout";

/** A full page around `body` with the staff app's header (src/pages/app-header.ts). */
export function coopPage(c: Context<AppEnv>, o: { title: string; body: Html; scripts?: string[] }, status: 200 | 400 | 403 | 404 | 409 = 200) {
  const librarian = c.get("librarian")!;
  return c.html(
    page({
      title: `${o.title} — Refdesk`,
      styles: ["/styles/coop.css"],
      scripts: o.scripts,
      body: html`${appHeader(librarian, new URL(c.req.url).pathname)}<main id="main" class="coop-main" tabindex="-1">${o.body}</main>`,
    }),
    status,
  );
}

/** Renders an ApiError thrown by a page handler as an HTML page; anything else goes to the app's handler. */
export function renderPageError(c: Context<AppEnv>, err: unknown) {
  if (!(err instanceof ApiError)) throw err;
  const status = ([400, 403, 404, 409] as const).find((s) => s === err.status) ?? 400;
  const title = status === 403 ? "Not available to you" : status === 404 ? "Not found" : "Something is not right";
  const body = html`<h1>${title}</h1><div class="error-summary" role="alert"><p>${err.message}</p></div><p><a href="/policies">Back to the policy pages</a></p>`;
  if (!c.get("librarian")) {
    return c.html(page({ title: `${title} — Refdesk`, styles: ["/styles/coop.css"], body: html`<main class="coop-main">${body}</main>` }), status);
  }
  return coopPage(c, { title, body }, status);
}

/** Redirects a visitor who is not signed in to the sign-in page, coming back here afterwards. */
export function signInFirst(c: Context<AppEnv>) {
  const path = new URL(c.req.url).pathname;
  return c.redirect(`/login?next=${/^\/[a-zA-Z0-9/_-]*$/.test(path) ? path : "/monitor"}`, 303);
}
