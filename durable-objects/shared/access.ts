/**
 * Librarian access on open sockets. A librarian's socket carries the sign-in
 * session it was opened with; when that sign-in ends (signed out, signed out
 * everywhere, password changed or reset, role changed, account disabled) the
 * Worker tells every object holding their sockets, which close at once — and
 * in case a notice is lost, open sockets re-check their sign-in periodically
 * (TIMING.accessRecheckMs).
 */
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { database } from "../../src/db/client";
import { authSessions, librarians } from "../../src/db/schema";

/** Whether a socket opened with `signIn` by `librarianId` is among those being revoked (`null`: all of theirs). */
export function isRevoked(socket: { librarianId: string; signIn: string | null }, librarianId: string, signInKeys: readonly string[] | null): boolean {
  if (socket.librarianId !== librarianId) return false;
  return signInKeys === null || (socket.signIn !== null && signInKeys.includes(socket.signIn));
}

/** Of these sign-in sessions, the ones still live (not revoked, not expired, account enabled). */
export async function liveSignIns(env: Env, keys: readonly string[], now: number): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await database(env.DB)
    .select({ key: authSessions.tokenHash })
    .from(authSessions)
    .innerJoin(librarians, eq(librarians.id, authSessions.librarianId))
    .where(and(inArray(authSessions.tokenHash, [...keys]), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now), isNull(librarians.disabledAt)))
    .all();
  return new Set(rows.map((r) => r.key));
}
