/**
 * Structured logs. Every line the Worker writes is one JSON object: an `event`
 * name and ids (library, session, mail event, run) — never a person's name, an
 * address, a message body or a query's parameters. Errors are also kept in D1
 * (`ops_events`, the newest OPS_EVENTS_KEPT) so the service health page can
 * show the last ones without anyone reading the Worker's logs.
 */
import { desc, lt, sql } from "drizzle-orm";
import { database } from "../db/client";
import { errorText } from "../db/errors";
import { opsEvents } from "../db/schema";

export type LogValue = string | number | boolean | null | undefined | readonly string[];
export type LogFields = Record<string, LogValue>;

/** How many error events the health page can look back on; older ones are dropped as new ones come. */
export const OPS_EVENTS_KEPT = 200;

/** Writes one structured log line. */
export function logEvent(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

const ADDRESS = /[^\s<>()"',;:]+@[^\s<>()"',;:]+/g;

/** Text with every e-mail address masked. */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS, "[address]");
}

/**
 * An error as text fit for a log: D1's own words (not drizzle's wrapper, which
 * quotes the query's parameters), e-mail addresses masked, at most 300 characters.
 */
export function errorSummary(error: unknown): string {
  return maskAddresses(errorText(error)).slice(0, 300);
}

/** A request's path for a log: one-time link tokens (long random path segments) masked, ids kept. */
export function logPath(url: string): string {
  return new URL(url).pathname.replace(/[A-Za-z0-9_-]{40,}/g, "[token]");
}

/**
 * Logs an error and keeps it for the health page. Never throws: recording a
 * failure must not become a second one.
 */
export async function recordError(d1: D1Database, event: string, fields: LogFields = {}, now = Date.now()): Promise<void> {
  logEvent("error", event, fields);
  try {
    const db = database(d1);
    const detail = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await db.batch([
      db.insert(opsEvents).values({ event, detail, createdAt: now }),
      // Keep the newest OPS_EVENTS_KEPT: everything below the id that many rows back goes.
      db.delete(opsEvents).where(lt(opsEvents.id, sql`(SELECT id FROM ${opsEvents} ORDER BY id DESC LIMIT 1 OFFSET ${OPS_EVENTS_KEPT - 1})`)),
    ]);
  } catch (error) {
    logEvent("error", "ops_event_record_failed", { error: errorSummary(error) });
  }
}

/** The newest error events, newest first. */
export async function recentErrors(d1: D1Database, limit = 50) {
  return database(d1).select().from(opsEvents).orderBy(desc(opsEvents.id)).limit(limit).all();
}
