/**
 * Origin rules. Librarian endpoints that ride on the sign-in cookie accept only
 * our own origin; the patron endpoint that starts a chat accepts our origin and
 * the sites each library allows to embed its Qwidget.
 */
import type { Context } from "hono";
import type { AppEnv } from "./app-env";
import { ApiError, forbidden } from "./errors";

export function ownOrigin(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

/** Refuses a cross-origin request (e.g. a WebSocket opened by another site with the librarian's cookie). */
export function assertSameOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin && origin !== ownOrigin(c)) throw forbidden("Requests from other sites are not accepted here.");
}

/** The request's Origin when another site sent it (a page embedding the Qwidget); null for our own pages and non-browser clients. */
export function foreignOrigin(c: Context<AppEnv>): string | null {
  const origin = c.req.header("origin");
  return origin && origin !== ownOrigin(c) ? origin : null;
}

/** Refuses a request from a site the library has not allowed to embed its chat. */
export function assertEmbedAllowed(origin: string, allowedOrigins: string[]): void {
  if (!allowedOrigins.includes(origin)) {
    throw new ApiError(403, "forbidden", `This library has not allowed ${origin} to embed its chat.`, "origin");
  }
}

/**
 * Allows the request if it comes from our own pages or from a site the library
 * allows to embed its widget, and lets that site read the answer (including a
 * refusal, so the site's developer sees why).
 */
export async function corsForEmbed(c: Context<AppEnv>, allowedOrigins: string[]): Promise<void> {
  const origin = foreignOrigin(c);
  if (!origin) return;
  c.header("Access-Control-Allow-Origin", origin);
  c.header("Vary", "Origin");
  assertEmbedAllowed(origin, allowedOrigins);
}
