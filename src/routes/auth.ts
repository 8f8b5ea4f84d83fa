/**
 * /api/auth — librarian sign-in and sign-out (JSON). The HTML sign-in page
 * posts to /login (src/routes/pages.ts), which shares `signInAndSetCookie`.
 */
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { requireLibrarian } from "../auth/middleware";
import { LOCKOUT_MS, MAX_FAILED_SIGN_INS, SESSION_COOKIE, checkCredentials, endSession, startSession, type SignInResult } from "../auth/sign-in";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/errors";
import { parseBody } from "../http/validate";
import { signInSchema } from "../shared/api";
import { ANYONE, LIBRARIAN, anyone } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { SIGNED_IN_LIBRARIAN } from "./openapi/shapes";

export const authRoutes = new Hono<AppEnv>();

/** Checks credentials and, when they are good, sets the HttpOnly session cookie. */
export async function signInAndSetCookie(c: Context<AppEnv>, email: string, password: string): Promise<SignInResult> {
  const db = database(c.env.DB);
  const now = Date.now();
  const result = await checkCredentials(db, email, password, now);
  if (result.ok) {
    const { token, expiresAt } = await startSession(db, result.librarian.id, now);
    setSessionCookie(c, token, expiresAt);
  }
  return result;
}

/** The HttpOnly sign-in cookie, set the one way every sign-in path sets it. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Lax",
    path: "/",
    expires: new Date(expiresAt),
  });
}

export function signInErrorMessage(result: Exclude<SignInResult, { ok: true }>): string {
  if (result.reason === "locked") return `Too many wrong passwords. Try again in ${Math.ceil((result.retryAfterMs ?? 0) / 60000)} minutes.`;
  if (result.reason === "disabled") return "This account has been disabled. Ask your library administrator.";
  return "That e-mail and password do not match.";
}

authRoutes.post("/sign-in", documented({
  group: GROUPS.signIn,
  summary: "Sign in",
  description: "Signs a librarian in and sets the cookie (`HttpOnly`, `SameSite=Lax`, `Secure` over https) for the sign-in session. `next` is ignored here (the HTML form at `/login` uses it).",
  who: ANYONE,
  body: signInSchema,
  answers: { 200: `${SIGNED_IN_LIBRARIAN}.` },
  refusals: [
    BAD_BODY,
    refusal(401, "unauthorized", "Wrong e-mail or password, or the account is disabled (the message says which)."),
    refusal(429, "rate_limited", `The account is locked: ${MAX_FAILED_SIGN_INS} wrong passwords in a row lock it for ${LOCKOUT_MS / 60000} minutes.`),
  ],
}), async (c) => {
  const body = await parseBody(c, signInSchema);
  const result = await signInAndSetCookie(c, body.email, body.password);
  if (!result.ok) throw new ApiError(result.reason === "locked" ? 429 : 401, result.reason === "locked" ? "rate_limited" : "unauthorized", signInErrorMessage(result));
  return c.json({ librarian: result.librarian });
});

authRoutes.post("/sign-out", documented({
  group: GROUPS.signIn,
  summary: "Sign out",
  description: "Ends the sign-in session and clears the cookie.",
  who: anyone("Anyone (ends the cookie's sign-in session, if there is one)."),
  answers: { 200: "`{signedOut: true}`." },
  refusals: [],
}), async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await endSession(database(c.env.DB), token, Date.now());
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.json({ signedOut: true });
});

authRoutes.get("/me", documented({
  group: GROUPS.signIn,
  summary: "Who is signed in",
  description: "Who is signed in.",
  who: LIBRARIAN,
  answers: { 200: `${SIGNED_IN_LIBRARIAN}.` },
  refusals: [NOT_SIGNED_IN],
}), (c) => c.json({ librarian: requireLibrarian(c) }));
