/**
 * Librarian sign-in: password check with lock-out, and the sign-in sessions
 * behind the HttpOnly cookie (stored as digests, expiring, revocable).
 */
import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { authSessions, librarians, libraries } from "../db/schema";
import { TIMING } from "../shared/limits";
import type { Librarian, Role } from "./librarian";
import { verifyPassword } from "./password";
import { digestToken, newToken } from "./tokens";

export const SESSION_COOKIE = "refdesk_session";

/** After this many wrong passwords in a row the account is locked for LOCKOUT_MS. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type SignInResult =
  | { ok: true; librarian: Librarian }
  | { ok: false; reason: "invalid" | "locked" | "disabled"; retryAfterMs?: number };

/** Checks e-mail and password; counts failures and locks the account after too many. */
export async function checkCredentials(db: Database, email: string, password: string, now: number): Promise<SignInResult> {
  const row = await db
    .select({ l: librarians, libraryName: libraries.name })
    .from(librarians)
    .innerJoin(libraries, eq(libraries.id, librarians.libraryId))
    .where(eq(librarians.email, email.trim().toLowerCase()))
    .get();
  if (!row) {
    // Spend the same time as a real check so response time does not reveal which addresses exist.
    await verifyPassword(password, "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    return { ok: false, reason: "invalid" };
  }
  const l = row.l;
  if (l.disabledAt) return { ok: false, reason: "disabled" };
  if (l.lockedUntil && l.lockedUntil > now) return { ok: false, reason: "locked", retryAfterMs: l.lockedUntil - now };
  // Count this attempt *before* checking the password, in one statement. Counting
  // after the check (read, verify, write back count + 1) let a burst of parallel
  // guesses all read the same count, all be checked, and never lock the account.
  // Now each attempt takes its own number and only the first MAX_FAILED_SIGN_INS
  // between two lock-outs are checked at all.
  const attempt = await db
    .update(librarians)
    .set({ failedLogins: sql`${librarians.failedLogins} + 1` })
    .where(and(eq(librarians.id, l.id), or(isNull(librarians.lockedUntil), lte(librarians.lockedUntil, now))))
    .returning({ number: librarians.failedLogins })
    .get();
  if (!attempt || attempt.number > MAX_FAILED_SIGN_INS) return { ok: false, reason: "locked", retryAfterMs: LOCKOUT_MS };
  const good = l.passwordHash ? await verifyPassword(password, l.passwordHash) : false;
  if (!good) {
    if (attempt.number < MAX_FAILED_SIGN_INS) return { ok: false, reason: "invalid" };
    await db.update(librarians).set({ failedLogins: 0, lockedUntil: now + LOCKOUT_MS }).where(eq(librarians.id, l.id));
    return { ok: false, reason: "locked", retryAfterMs: LOCKOUT_MS };
  }
  await db.update(librarians).set({ failedLogins: 0, lockedUntil: null }).where(eq(librarians.id, l.id));
  return {
    ok: true,
    librarian: { id: l.id, libraryId: l.libraryId, libraryName: row.libraryName, displayName: l.displayName, email: l.email, role: l.role as Role },
  };
}

/** Starts a sign-in session and returns the cookie token (only its digest is stored). */
export async function startSession(db: Database, librarianId: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const expiresAt = now + TIMING.authSessionMs;
  await db.insert(authSessions).values({ tokenHash: await digestToken(token), librarianId, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** The librarian behind a cookie token, if the session is live and the account enabled. */
export async function librarianForToken(db: Database, token: string, now: number): Promise<Librarian | null> {
  const signInKey = await digestToken(token);
  const row = await db
    .select({ l: librarians, libraryName: libraries.name })
    .from(authSessions)
    .innerJoin(librarians, eq(librarians.id, authSessions.librarianId))
    .innerJoin(libraries, eq(libraries.id, librarians.libraryId))
    .where(and(eq(authSessions.tokenHash, signInKey), gt(authSessions.expiresAt, now), isNull(authSessions.revokedAt)))
    .get();
  if (!row || row.l.disabledAt) return null;
  const l = row.l;
  return { id: l.id, libraryId: l.libraryId, libraryName: row.libraryName, displayName: l.displayName, email: l.email, role: l.role as Role, signInKey };
}

export async function endSession(db: Database, token: string, now: number): Promise<void> {
  await db.update(authSessions).set({ revokedAt: now }).where(eq(authSessions.tokenHash, await digestToken(token)));
}
