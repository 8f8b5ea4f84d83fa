/**
 * The auth gate: reads the sign-in cookie once per request and puts the
 * librarian (or null) on the context. Routes call `requireLibrarian` and
 * never read the cookie themselves.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { unauthorized } from "../http/errors";
import type { Librarian } from "./librarian";
import { SESSION_COOKIE, librarianForToken } from "./sign-in";

export const loadLibrarian: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  c.set("librarian", token ? await librarianForToken(database(c.env.DB), token, Date.now()) : null);
  await next();
};

export function requireLibrarian(c: Context<AppEnv>): Librarian {
  const librarian = c.get("librarian");
  if (!librarian) throw unauthorized();
  return librarian;
}
