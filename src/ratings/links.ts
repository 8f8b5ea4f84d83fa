/**
 * One-use rating links: the transcript mail carries a link (/rate/<token>) by
 * which the patron can rate the chat later, without the chat window. Only the
 * token's digest is stored; the link works once, for RATING_LINK_DAYS, and
 * never past the chat's retention period (the privacy scrub removes the rows
 * with the chat).
 */
import { and, eq, gt, isNull, notExists, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { digestToken, newToken } from "../auth/tokens";
import { database, type Database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { chatSessions, libraries, ratingLinks } from "../db/schema";
import type { RatingBody } from "../shared/survey-schemas";
import { syncStatFact } from "../stats/record";
import { ratedChat, ratingStatements, type RatedChat, type RatingProblem } from "./store";

/** How long a mailed rating link works at most. */
export const RATING_LINK_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The path of a rating link. */
export const ratingLinkPath = (token: string) => `/rate/${token}`;

/**
 * A new link for a chat: its token (for the mail) and the statement that
 * stores its digest (for the filing batch). Filing may run twice; only the
 * first run's link is stored, as only the first run's mail is.
 */
export async function newRatingLink(db: Database, s: { sessionId: string; libraryId: string; createdAt: number }, retentionDays: number, now: number) {
  const token = newToken();
  // Never past the chat's retention: a rating given after the scrub would keep what it wrote.
  const expiresAt = Math.min(now + RATING_LINK_DAYS * DAY_MS, s.createdAt + retentionDays * DAY_MS);
  const noLinkYet = notExists(db.select({ one: sql`1` }).from(ratingLinks).where(eq(ratingLinks.sessionId, s.sessionId)));
  const statement = insertIf(db, ratingLinks, { tokenHash: await digestToken(token), sessionId: s.sessionId, libraryId: s.libraryId, createdAt: now, expiresAt, usedAt: null }, noLinkYet).onConflictDoNothing();
  return { token, statement };
}

/** A link's state; `language` is its chat's (the page is shown in it), when the link is known. */
export type LinkState = { ok: true; chat: RatedChat; libraryName: string; tokenHash: string; language: string } | { ok: false; reason: "unknown" | "used" | "expired"; language?: string };

/** What a link leads to, without using it. */
export async function readRatingLink(d1: D1Database, token: string, now: number): Promise<LinkState> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: "unknown" };
  const tokenHash = await digestToken(token);
  const row = await database(d1)
    .select({ sessionId: ratingLinks.sessionId, expiresAt: ratingLinks.expiresAt, usedAt: ratingLinks.usedAt, libraryName: libraries.name, language: chatSessions.language })
    .from(ratingLinks)
    .innerJoin(libraries, eq(libraries.id, ratingLinks.libraryId))
    .leftJoin(chatSessions, eq(chatSessions.id, ratingLinks.sessionId))
    .where(eq(ratingLinks.tokenHash, tokenHash))
    .get();
  if (!row) return { ok: false, reason: "unknown" };
  const language = row.language ?? "en";
  if (row.usedAt !== null) return { ok: false, reason: "used", language };
  if (row.expiresAt <= now) return { ok: false, reason: "expired", language };
  const chat = await ratedChat(d1, row.sessionId);
  if (!chat) return { ok: false, reason: "unknown" };
  return { ok: true, chat, libraryName: row.libraryName, tokenHash, language };
}

export type LinkRating = { ok: true } | ({ ok: false } & RatingProblem) | { ok: false; reason: "used" | "expired" | "unknown" };

/**
 * Rates through a link: the rating, its answers and the link's use in one
 * batch, each write only while the link is still unused and unexpired — two
 * submissions at once store one rating.
 */
export async function rateByLink(d1: D1Database, token: string, body: RatingBody, now: number): Promise<LinkRating> {
  const link = await readRatingLink(d1, token, now);
  if (!link.ok) return link;
  const db = database(d1);
  const unused = sql`exists (select 1 from rating_links where token_hash = ${link.tokenHash} and used_at is null and expires_at > ${now})`;
  const rating = ratingStatements(db, link.chat, body, now, unused);
  if (!rating.ok) return rating;
  const use = db
    .update(ratingLinks)
    .set({ usedAt: now })
    .where(and(eq(ratingLinks.tokenHash, link.tokenHash), isNull(ratingLinks.usedAt), gt(ratingLinks.expiresAt, now)));
  const statements: BatchItem<"sqlite">[] = [...rating.statements, use];
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as { meta?: { changes?: number } }[];
  if ((results[results.length - 1]?.meta?.changes ?? 0) !== 1) return { ok: false, reason: "used" };
  // The rating counts in statistics at once.
  await syncStatFact(d1, link.chat.sessionId);
  return { ok: true };
}

/**
 * The rating link for a transcript mail (the full address, and the statement
 * that stores it for the filing batch), or null when there is none to give:
 * nobody answered, the form asks for no rating, or the service does not know
 * its public address (PUBLIC_ORIGIN) to put in a mail.
 */
export async function ratingLinkForMail(env: Pick<Env, "DB" | "PUBLIC_ORIGIN">, s: { sessionId: string; libraryId: string; createdAt: number; acceptedAt: number | null; endedAt: number }) {
  const origin = (env.PUBLIC_ORIGIN as string).replace(/\/+$/, "");
  if (!origin || s.acceptedAt === null) return null;
  const db = database(env.DB);
  const [chat, library] = await Promise.all([ratedChat(env.DB, s.sessionId), db.select({ retentionDays: libraries.retentionDays }).from(libraries).where(eq(libraries.id, s.libraryId)).get()]);
  if (!chat || chat.survey.mode === "off") return null;
  const link = await newRatingLink(db, s, library?.retentionDays ?? RATING_LINK_DAYS, s.endedAt);
  return { url: `${origin}${ratingLinkPath(link.token)}`, statement: link.statement };
}
