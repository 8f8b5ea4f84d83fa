/**
 * One-time account links: an invitation (set a first password) or an
 * admin-triggered password reset. The link carries a random token; only its
 * digest is stored. A link works once, until it expires, and a newer link for
 * the same account replaces any older one still open.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { accountTokens, authSessions, librarians } from "../db/schema";
import { ACCOUNT_LINK_TTL_MS } from "../shared/admin-limits";
import { hashPassword } from "./password";
import { accountKey, forgetAccountStatement } from "./sign-in-throttle";
import { digestToken, newToken } from "./tokens";

export type AccountLinkPurpose = keyof typeof ACCOUNT_LINK_TTL_MS;

export const setPasswordPath = (token: string) => `/account/set-password/${token}`;

/** Statements that open a new link (closing older open ones) and the token to mail. Run them in the caller's batch. */
export async function newAccountLink(db: Database, librarianId: string, purpose: AccountLinkPurpose, createdBy: string, now: number) {
  const token = newToken();
  const tokenHash = await digestToken(token);
  const statements = [
    db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.librarianId, librarianId), isNull(accountTokens.usedAt))),
    db.insert(accountTokens).values({ tokenHash, librarianId, purpose, createdBy, createdAt: now, expiresAt: now + ACCOUNT_LINK_TTL_MS[purpose] }),
  ] as const;
  return { token, tokenHash, expiresAt: now + ACCOUNT_LINK_TTL_MS[purpose], statements };
}

/** The open link behind `token`, with its account, or null when it is unknown, used or expired. */
export async function openAccountLink(db: Database, token: string, now: number) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db
    .select({ link: accountTokens, librarian: librarians })
    .from(accountTokens)
    .innerJoin(librarians, eq(librarians.id, accountTokens.librarianId))
    .where(and(eq(accountTokens.tokenHash, await digestToken(token)), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
    .get();
  if (!row || row.librarian.disabledAt) return null;
  return row;
}

/**
 * Sets the password through a link: the link is spent, the sign-in throttle's
 * count for the address forgotten (its owner just proved they read its mail),
 * and every existing sign-in session of the account ended (the caller closes
 * their sockets: ./revoke-access.ts). Returns false when the link was spent by
 * a concurrent request first.
 */
export async function setPasswordWithLink(db: Database, tokenHash: string, account: { id: string; email: string }, password: string, now: number): Promise<boolean> {
  const librarianId = account.id;
  const passwordHash = await hashPassword(password);
  // Spending the link is one conditional write: of two concurrent uses, one wins.
  const spent = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.tokenHash, tokenHash), isNull(accountTokens.usedAt)))
    .returning({ tokenHash: accountTokens.tokenHash });
  if (spent.length === 0) return false;
  await db.batch([
    db.update(librarians).set({ passwordHash }).where(eq(librarians.id, librarianId)),
    db.update(authSessions).set({ revokedAt: now }).where(and(eq(authSessions.librarianId, librarianId), isNull(authSessions.revokedAt))),
    forgetAccountStatement(db, await accountKey(account.email)),
  ]);
  return true;
}
