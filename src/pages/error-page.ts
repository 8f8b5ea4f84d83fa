/**
 * Errors as pages for people: a browser that asks for a page that does not
 * exist, or that it may not see, gets an HTML page with the staff app's
 * header (when signed in) and a way on — never the JSON the API answers.
 * Everything under /api, and every client that does not ask for HTML, keeps
 * the JSON error (src/http/errors.ts).
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../http/app-env";
import { ApiError, notFound, renderError } from "../http/errors";
import { appHeader } from "./app-header";
import { page } from "./layout";

/** A browser asking for a page (not the API, not a script or an image). */
export function wantsPage(c: Context<AppEnv>): boolean {
  const path = new URL(c.req.url).pathname;
  if (path === "/api" || path.startsWith("/api/")) return false;
  if (c.req.header("upgrade")) return false;
  return (c.req.header("accept") ?? "").includes("text/html");
}

const TITLES: Record<number, string> = { 400: "Something is not right", 401: "Sign in first", 403: "Not available to you", 404: "Page not found", 409: "Something is not right", 413: "Too large", 429: "Too many requests" };

/** An error page with `status`, `title` and `message`. */
export function errorPage(c: Context<AppEnv>, status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500, message: string, title = TITLES[status] ?? "Something went wrong") {
  const librarian = c.get("librarian");
  const path = new URL(c.req.url).pathname;
  const back = librarian ? html`<p><a href="/monitor">Go to the chat monitor</a> or use the links above.</p>` : html`<p><a href="/">Go to Refdesk's start page</a> or <a href="/login?next=${encodeURIComponent(path)}">sign in</a>.</p>`;
  return c.html(
    page({
      title: `${title} — Refdesk`,
      body: html`${librarian ? appHeader(librarian, path) : ""}<main class="narrow" id="main" tabindex="-1"><h1>${title}</h1><p>${message}</p>${back}</main>`,
    }),
    status,
  );
}

/** The app's "not found": a page for a browser, JSON for everyone else. */
export function notFoundResponse(c: Context<AppEnv>) {
  if (wantsPage(c)) return errorPage(c, 404, "There is no page at this address. Check the address, or follow a link.");
  return renderError(notFound("Page"), c);
}

/** The app's error handler: a page for a browser asking for one, JSON for the API. */
export function errorResponse(err: Error, c: Context<AppEnv>) {
  if (!wantsPage(c)) return renderError(err, c);
  if (err instanceof HTTPException) {
    const status = ([400, 401, 403, 404, 409, 413, 429] as const).find((s) => s === err.status) ?? 400;
    return errorPage(c, status, err instanceof ApiError || err.message ? err.message : "This request was refused.");
  }
  // Logged and recorded as the API's handler does; the person gets a page.
  renderError(err, c);
  return errorPage(c, 500, "Something went wrong on our side. Please try again.", "Something went wrong");
}
