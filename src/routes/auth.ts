/**
 * /api/auth — librarian sign-in and sign-out (JSON). The HTML sign-in page
 * posts to /login (src/routes/pages.ts), which shares `signInAndSetCookie`
 * and `signOutAndClearCookie`.
 */
import { Hono, type Context } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { revokeAccess } from "../auth/revoke-access";
import { clearSessionCookie, readDeviceToken, readSessionToken, setDeviceCookie, setSessionCookie } from "../auth/session-cookie";
import { attemptSignIn, endSession, type SignInResult } from "../auth/sign-in";
import { SIGN_IN_THROTTLE } from "../auth/sign-in-throttle";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { clientAddress } from "../http/client-network";
import { ApiError } from "../http/errors";
import { parseBody } from "../http/validate";
import { signInSchema } from "../shared/api";
import { CLOSE_CODES } from "../shared/close-codes";
import { ANYONE, LIBRARIAN, anyone } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { SIGNED_IN_LIBRARIAN } from "./openapi/shapes";

export const authRoutes = new Hono<AppEnv>();

type SignInRefusal = Exclude<SignInResult, { ok: true }>;

/** Checks credentials and, when they are good, sets the HttpOnly session cookie (and the browser's device cookie). */
export async function signInAndSetCookie(c: Context<AppEnv>, email: string, password: string): Promise<SignInResult> {
  const result = await attemptSignIn(database(c.env.DB), { email, password, address: clientAddress(c), deviceToken: readDeviceToken(c) }, Date.now());
  if (result.ok) {
    setSessionCookie(c, result.session);
    setDeviceCookie(c, result.deviceToken);
  } else if (result.reason === "throttled") {
    c.header("Retry-After", String(Math.ceil(result.retryAfterMs / 1000)));
  }
  return result;
}

/** The one answer to every refused sign-in the throttle did not hold back. */
const NO_MATCH_MESSAGE = "That e-mail and password do not match. If you cannot sign in, ask your library administrator.";

const waitText = (ms: number) => (ms < 60_000 ? `${Math.ceil(ms / 1000)} seconds` : `${Math.ceil(ms / 60_000)} minutes`);

export function signInErrorMessage(result: SignInRefusal): string {
  if (result.reason === "throttled") return `Too many sign-in attempts. Try again in ${waitText(result.retryAfterMs)}.`;
  return NO_MATCH_MESSAGE;
}

export const signInRefusalStatus = (result: SignInRefusal) => (result.reason === "throttled" ? 429 : 401);

/** Ends the cookie's sign-in session, closes the sockets opened with it, and clears the cookie. */
export async function signOutAndClearCookie(c: Context<AppEnv>): Promise<void> {
  const token = readSessionToken(c);
  const db = database(c.env.DB);
  if (token) await endSession(db, token, Date.now());
  // The librarian the auth gate found for this very cookie: their sockets on this sign-in close now.
  const librarian = c.get("librarian");
  if (librarian?.signInKey) await revokeAccess(c.env, db, librarian, [librarian.signInKey]);
  clearSessionCookie(c);
}

const { accountFreeAttempts, networkFreeAttempts, firstDelayMs, maxDelayMs } = SIGN_IN_THROTTLE;

authRoutes.post("/sign-in", documented({
  group: GROUPS.signIn,
  summary: "Sign in",
  description: "Signs a librarian in and sets the cookie (`HttpOnly`, `SameSite=Lax`, `Secure`, `__Host-` prefix) for the sign-in session, and a device cookie by which the sign-in throttle knows this browser later. `next` is ignored here (the HTML form at `/login` uses it).",
  who: ANYONE,
  body: signInSchema,
  answers: { 200: `${SIGNED_IN_LIBRARIAN}.` },
  refusals: [
    BAD_BODY,
    refusal(401, "unauthorized", "The one answer, with the same message, to an unknown address, a wrong password and a disabled account."),
    refusal(
      429,
      "rate_limited",
      `Too many attempts lately (a \`Retry-After\` header says in how many seconds to try again), whether or not the address has an account: ${accountFreeAttempts} for one address or ${networkFreeAttempts} from one network (an IPv4 address, an IPv6 /64) go unhindered, then each further attempt waits ${firstDelayMs / 1000} s, doubling up to ${maxDelayMs / 60_000} minutes. A browser that has signed in to the account before counts on its own.`,
    ),
  ],
}), async (c) => {
  const body = await parseBody(c, signInSchema);
  const result = await signInAndSetCookie(c, body.email, body.password);
  if (!result.ok) throw new ApiError(signInRefusalStatus(result), result.reason === "throttled" ? "rate_limited" : "unauthorized", signInErrorMessage(result));
  return c.json({ librarian: result.librarian });
});

authRoutes.post("/sign-out", documented({
  group: GROUPS.signIn,
  summary: "Sign out",
  description: `Ends the sign-in session, closes the queue and chat sockets opened with it (close code ${CLOSE_CODES.accessEnded}), and clears the cookie.`,
  who: anyone("Anyone (ends the cookie's sign-in session, if there is one)."),
  answers: { 200: "`{signedOut: true}`." },
  refusals: [],
}), async (c) => {
  await signOutAndClearCookie(c);
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
