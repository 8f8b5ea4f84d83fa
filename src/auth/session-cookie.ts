/**
 * The sign-in cookies, set and read one way everywhere:
 *
 * - the session cookie: the sign-in session (HttpOnly, SameSite=Lax, until the
 *   session expires);
 * - the device cookie: a random token a browser keeps after a successful
 *   sign-in, so the sign-in throttle knows it as a browser the librarian has
 *   used before (./sign-in-throttle.ts). Only librarians' browsers get it; it
 *   identifies nothing outside the throttle.
 *
 * Both carry the `__Host-` prefix: the browser then accepts them only with
 * Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or
 * overwrite them. Browsers treat loopback (127.0.0.1, localhost) as secure,
 * so local development and the browser tests use the same names. Only plain
 * http to another host (a local server reached over a LAN) cannot hold a
 * Secure cookie; there the cookies go without the prefix and without Secure,
 * and only there are unprefixed cookies read.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SIGN_IN_THROTTLE } from "./sign-in-throttle";

export const SESSION_COOKIE = "__Host-refdesk_session";

/** A sign-in session just started: the cookie's token (only its digest is stored) and when it ends. */
export interface StartedSession {
  token: string;
  expiresAt: number;
}
const DEVICE_COOKIE = "__Host-refdesk_device";
const HOST_PREFIX = "__Host-";

const LOOPBACK_HOSTS = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Whether the browser will keep a Secure cookie from this request's origin. */
function secureOrigin(c: Context): boolean {
  const url = new URL(c.req.url);
  return url.protocol === "https:" || LOOPBACK_HOSTS.test(url.hostname);
}

/** A cookie's name on this origin: `__Host-…`, or without the prefix over plain http to a non-loopback host. */
function cookieName(c: Context, name: string): string {
  return secureOrigin(c) ? name : name.slice(HOST_PREFIX.length);
}

const baseOptions = (c: Context) => ({ httpOnly: true, secure: secureOrigin(c), path: "/" }) as const;

/** The session cookie's token, if the request carries one. */
export function readSessionToken(c: Context): string | undefined {
  return getCookie(c, cookieName(c, SESSION_COOKIE));
}

export function setSessionCookie(c: Context, session: StartedSession): void {
  setCookie(c, cookieName(c, SESSION_COOKIE), session.token, { ...baseOptions(c), sameSite: "Lax", expires: new Date(session.expiresAt) });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, cookieName(c, SESSION_COOKIE), baseOptions(c));
}

/** The browser's device token, if it has a well-formed one. */
export function readDeviceToken(c: Context): string | null {
  const token = getCookie(c, cookieName(c, DEVICE_COOKIE));
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export function setDeviceCookie(c: Context, token: string): void {
  // Strict: only our own sign-in form and page ever need it.
  setCookie(c, cookieName(c, DEVICE_COOKIE), token, { ...baseOptions(c), sameSite: "Strict", maxAge: Math.floor(SIGN_IN_THROTTLE.deviceTrustMs / 1000) });
}
