/**
 * The auth gate: reads the sign-in cookie once per request and puts the
 * librarian (or null) on the context. Routes call `requireLibrarian` and
 * never read the cookie themselves.
 */
import type { Context, MiddlewareHandler } from "hono";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { forbidden, unauthorized } from "../http/errors";
import type { Librarian } from "./librarian";
import { readSessionToken } from "./session-cookie";
import { librarianForToken } from "./sign-in";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A change made with the sign-in cookie must come from our own pages. SameSite
 * keeps other *sites'* requests from carrying the cookie, and the CSRF check
 * covers form posts; this also shuts out a sibling subdomain (same site, other
 * origin) sending JSON. Such a request is refused outright (403), whatever route it is for.
 */
function cookieMayAct(c: Context<AppEnv>): boolean {
  if (SAFE_METHODS.has(c.req.method)) return true;
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) return false;
  const fetchSite = c.req.header("sec-fetch-site");
  return !fetchSite || fetchSite === "same-origin" || fetchSite === "none";
}

export const loadLibrarian: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = readSessionToken(c);
  if (token && !cookieMayAct(c)) throw forbidden("Requests from other sites are not accepted here.");
  c.set("librarian", token ? await librarianForToken(database(c.env.DB), token, Date.now()) : null);
  await next();
};

export function requireLibrarian(c: Context<AppEnv>): Librarian {
  const librarian = c.get("librarian");
  if (!librarian) throw unauthorized();
  return librarian;
}
