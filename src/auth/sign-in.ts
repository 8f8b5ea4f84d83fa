/**
 * Librarian sign-in: the password check behind the throttle
 * (./sign-in-throttle.ts), and the sign-in sessions behind the HttpOnly
 * cookie (stored as digests, expiring, revocable).
 *
 * Every refusal other than the throttle's is the same answer, reached by the
 * same work: an unknown address, a wrong password, a disabled account and an
 * invited one that never set a password each look the account up, run one
 * full password hash and write one sign-in log entry (src/admin/audit.ts) —
 * so neither the answer nor its timing tells which addresses have accounts.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { pruneSignInLogStatement, signInLogStatement } from "../admin/audit";
import type { Database } from "../db/client";
import { authSessions, librarians, libraries } from "../db/schema";
import { networkLabel } from "../http/client-network";
import { TIMING } from "../shared/limits";
import type { Librarian, Role } from "./librarian";
import { PBKDF2_ITERATIONS, verifyPassword } from "./password";
import type { StartedSession } from "./session-cookie";
import { admitAttempt, deviceKey, signedInStatements, throttleKeys } from "./sign-in-throttle";
import { digestToken, newToken } from "./tokens";

/** A hash no password matches, at full strength: what an attempt without a real hash is checked against. */
const NO_PASSWORD_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

export interface SignInAttempt {
  email: string;
  password: string;
  /** The client's network address (cf-connecting-ip), when known. */
  address: string | undefined;
  /** The browser's device token (its device cookie), when it has one. */
  deviceToken: string | null;
}

export type SignInResult =
  | { ok: true; librarian: Librarian; session: StartedSession; deviceToken: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

/**
 * Checks an e-mail and password, unless the throttle holds the attempt back;
 * a good one starts a sign-in session. Records the sign-in or the failure in
 * the sign-in log.
 */
export async function attemptSignIn(db: Database, attempt: SignInAttempt, now: number): Promise<SignInResult> {
  const keys = await throttleKeys(attempt.email, attempt.address, attempt.deviceToken);
  const admission = await admitAttempt(db, keys, now);
  if (!admission.admitted) return { ok: false, reason: "throttled", retryAfterMs: admission.retryAfterMs };

  const row = await db
    .select({ l: librarians, libraryName: libraries.name })
    .from(librarians)
    .innerJoin(libraries, eq(libraries.id, librarians.libraryId))
    .where(eq(librarians.email, attempt.email.trim().toLowerCase()))
    .get();
  const passwordMatches = await verifyPassword(attempt.password, row?.l.passwordHash ?? NO_PASSWORD_HASH);
  const network = networkLabel(attempt.address);
  if (!row || !passwordMatches || row.l.disabledAt) {
    await signInLogStatement(db, { libraryId: row?.l.libraryId ?? null, librarianId: row?.l.id ?? null, outcome: "failed", network }, now);
    return { ok: false, reason: "invalid" };
  }

  const l = row.l;
  const librarian: Librarian = { id: l.id, libraryId: l.libraryId, libraryName: row.libraryName, displayName: l.displayName, email: l.email, role: l.role as Role };
  const session = { token: newToken(), expiresAt: now + TIMING.authSessionMs };
  const deviceToken = attempt.deviceToken ?? newToken();
  const statements: BatchItem<"sqlite">[] = [
    db.insert(authSessions).values({ tokenHash: await digestToken(session.token), librarianId: l.id, createdAt: now, expiresAt: session.expiresAt }),
    ...signedInStatements(db, keys, await deviceKey(deviceToken, attempt.email), admission, now),
    signInLogStatement(db, { libraryId: l.libraryId, librarianId: l.id, outcome: "signed_in", network }, now),
    pruneSignInLogStatement(db, now),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { ok: true, librarian, session, deviceToken };
}

/** Starts a sign-in session and returns the cookie token (only its digest is stored). */
export async function startSession(db: Database, librarianId: string, now: number): Promise<StartedSession> {
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
