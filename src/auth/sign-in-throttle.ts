/**
 * Sign-in throttling: password guessing is slowed per network and per account
 * address, with growing delays instead of a lock-out. A lock-out let anyone
 * who knew a librarian's address lock them out; here an attempt is held back
 * only for a while (a free allowance, then a delay that doubles with each
 * further attempt, capped at SIGN_IN_THROTTLE.maxDelayMs), and a browser the
 * librarian has signed in with before is throttled on its own, so someone else
 * guessing at their address does not hold them back at all.
 *
 * Every attempt is counted *before* its password is checked, in one atomic
 * step per key, so a burst of parallel guesses cannot all slip through on the
 * same count; a successful sign-in then takes its own attempt back. Keys are
 * digests (of the network, the address typed, or the browser's device token
 * with that address), never the text itself, and a row is forgotten a day
 * after its last attempt. Whether an address has an account plays no part:
 * the throttle answers the same for every address typed.
 *
 * State lives in D1 (sign_in_throttle, one row per key): sign-ins are rare
 * enough that a row write each is nothing, and D1 keeps the counts across
 * every Worker instance.
 */
import { and, eq, gt, inArray, isNull, lte, max, ne, notExists, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { signInThrottle } from "../db/schema";
import { networkKey } from "../http/client-network";
import { digestToken } from "./tokens";

export const SIGN_IN_THROTTLE = {
  /** Attempts for one account address, from anywhere, before the delays begin. */
  accountFreeAttempts: 5,
  /** Attempts from one network (an IPv4 address, an IPv6 /64), for any addresses, before the delays begin: a branch's staff share one. */
  networkFreeAttempts: 30,
  /** Attempts from a browser that has signed in to the account before, before the delays begin. */
  deviceFreeAttempts: 5,
  /** The first delay; each further attempt doubles it, up to maxDelayMs. */
  firstDelayMs: 15_000,
  maxDelayMs: 15 * 60_000,
  /** A row with no attempt for this long is forgotten. */
  forgetMs: 24 * 60 * 60_000,
  /** How long a browser stays trusted after a successful sign-in (its device cookie lives as long). */
  deviceTrustMs: 90 * 24 * 60 * 60_000,
} as const;

/** How long the next attempt must wait after `attempts` counted attempts, given a free allowance. */
export function delayAfter(attempts: number, freeAttempts: number): number {
  if (attempts < freeAttempts) return 0;
  return Math.min(SIGN_IN_THROTTLE.maxDelayMs, SIGN_IN_THROTTLE.firstDelayMs * 2 ** Math.min(attempts - freeAttempts, 20));
}

export interface ThrottleKeys {
  network: string;
  account: string;
  /** Present when the browser sent a device cookie. */
  device: string | null;
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/** The key under which a browser holding `deviceToken` is trusted for `email`. */
export function deviceKey(deviceToken: string, email: string): Promise<string> {
  return digestToken(`device\n${deviceToken}\n${normalEmail(email)}`);
}

/** The keys of an attempt to sign in as `email` from `address`, with the browser's device token if it has one. */
export async function throttleKeys(email: string, address: string | undefined, deviceToken: string | null): Promise<ThrottleKeys> {
  return {
    network: await digestToken(`network\n${networkKey(address)}`),
    account: await accountKey(email),
    device: deviceToken ? await deviceKey(deviceToken, email) : null,
  };
}

export type Admission =
  | { admitted: true; attemptId: string; via: "device" | "network-and-account" }
  | { admitted: false; retryAfterMs: number };

/** The new attempt count and block of a row counting one more attempt (SQL, evaluated against the row's old values). */
function counted(freeAttempts: number, now: number, resetWhenForgotten: boolean) {
  const t = signInThrottle;
  const attempts = resetWhenForgotten ? sql`(case when ${t.forgetAt} <= ${now} then 1 else ${t.attempts} + 1 end)` : sql`(${t.attempts} + 1)`;
  const { firstDelayMs, maxDelayMs } = SIGN_IN_THROTTLE;
  // The same rule as delayAfter: free attempts, then firstDelayMs doubling up to maxDelayMs.
  const blockedUntil = sql`(case when ${attempts} >= ${freeAttempts} then ${now} + min(${maxDelayMs}, ${firstDelayMs} << min(${attempts} - ${freeAttempts}, 20)) else 0 end)`;
  return { attempts, blockedUntil };
}

/**
 * Counts an attempt, or refuses it while one of its keys is held back. A
 * browser trusted for this address counts on its own key only; any other
 * attempt counts on both its network and its account address, and only when
 * neither is held back.
 */
export async function admitAttempt(db: Database, keys: ThrottleKeys, now: number): Promise<Admission> {
  const t = signInThrottle;
  const attemptId = crypto.randomUUID();
  if (keys.device) {
    const device = counted(SIGN_IN_THROTTLE.deviceFreeAttempts, now, false);
    const [taken, row] = await db.batch([
      db
        .update(t)
        .set({ attempts: device.attempts, blockedUntil: device.blockedUntil, lastAttempt: attemptId })
        .where(and(eq(t.key, keys.device), gt(t.forgetAt, now), lte(t.blockedUntil, now)))
        .returning({ attempts: t.attempts }),
      db.select({ blockedUntil: t.blockedUntil }).from(t).where(and(eq(t.key, keys.device), gt(t.forgetAt, now))),
    ]);
    if (taken[0]) return { admitted: true, attemptId, via: "device" };
    if (row[0]) return { admitted: false, retryAfterMs: Math.max(1000, row[0].blockedUntil - now) };
    // Not a trusted browser for this address (any more): throttled like any other.
  }
  const both = [keys.account, keys.network];
  const other = alias(t, "other");
  // Held back when either key is, except by this very attempt's own count (set by the statement before).
  const heldBack = db
    .select({ one: sql`1` })
    .from(other)
    .where(and(inArray(other.key, both), gt(other.blockedUntil, now), or(isNull(other.lastAttempt), ne(other.lastAttempt, attemptId))));
  const count = (key: string, freeAttempts: number) => {
    const next = counted(freeAttempts, now, true);
    return db
      .update(t)
      .set({ attempts: next.attempts, blockedUntil: next.blockedUntil, forgetAt: now + SIGN_IN_THROTTLE.forgetMs, lastAttempt: attemptId })
      .where(and(eq(t.key, key), notExists(heldBack)))
      .returning({ attempts: t.attempts });
  };
  const fresh = (key: string) => db.insert(t).values({ key, attempts: 0, blockedUntil: 0, forgetAt: now + SIGN_IN_THROTTLE.forgetMs }).onConflictDoNothing();
  // One transaction: both keys count this attempt, or (one of them held back) neither does.
  const [, , account, , blocked] = await db.batch([
    fresh(keys.account),
    fresh(keys.network),
    count(keys.account, SIGN_IN_THROTTLE.accountFreeAttempts),
    count(keys.network, SIGN_IN_THROTTLE.networkFreeAttempts),
    db.select({ until: max(t.blockedUntil) }).from(t).where(inArray(t.key, both)),
  ]);
  if (account[0]) return { admitted: true, attemptId, via: "network-and-account" };
  return { admitted: false, retryAfterMs: Math.max(1000, (blocked[0]?.until ?? now) - now) };
}

/**
 * What a successful sign-in writes (run in the sign-in's batch): the account
 * address starts afresh, the network takes this attempt back (and any wait
 * it alone set), the browser becomes trusted for the address, and rows past
 * their time are dropped.
 */
export function signedInStatements(db: Database, keys: ThrottleKeys, trustedDevice: string, admission: Extract<Admission, { admitted: true }>, now: number): BatchItem<"sqlite">[] {
  const t = signInThrottle;
  const trusted = { attempts: 0, blockedUntil: 0, forgetAt: now + SIGN_IN_THROTTLE.deviceTrustMs, lastAttempt: null };
  const statements: BatchItem<"sqlite">[] = [
    db.insert(t).values({ key: trustedDevice, ...trusted }).onConflictDoUpdate({ target: t.key, set: trusted }),
    db.delete(t).where(lte(t.forgetAt, now)),
  ];
  if (admission.via === "network-and-account") {
    statements.push(
      db.delete(t).where(eq(t.key, keys.account)),
      db
        .update(t)
        .set({ attempts: sql`max(${t.attempts} - 1, 0)`, blockedUntil: sql`(case when ${t.lastAttempt} = ${admission.attemptId} then 0 else ${t.blockedUntil} end)` })
        .where(eq(t.key, keys.network)),
    );
  }
  return statements;
}

/** The key an account address is counted under. */
export function accountKey(email: string): Promise<string> {
  return digestToken(`account\n${normalEmail(email)}`);
}

/** Forgets an account address's count, given its key (its owner set a new password through a mailed link, or an administrator enabled it). */
export function forgetAccountStatement(db: Database, key: string) {
  return db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
