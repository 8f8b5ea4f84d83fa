/**
 * Creating a library: the library row and its own copy of the default
 * descriptive codes (which it may then rename, hide, reorder or extend).
 */
import { database, type Database } from "../db/client";
import { descriptiveCodes, libraries } from "../db/schema";
import { DEFAULT_DESCRIPTIVE_CODES } from "../shared/codes";

export interface NewLibrary {
  id: string;
  name: string;
  timeZone?: string;
  contactEmail?: string | null;
  phone?: string | null;
  websiteUrl?: string | null;
  hoursText?: string | null;
  unavailableMessage?: string | null;
  fallbackLinks?: { label: string; url: string }[];
  brandColor?: string;
  allowedOrigins?: string[];
  waitLimitSeconds?: number;
  rolloverSeconds?: number;
}

/** The statements that create the library with its default codes: run them in one batch (with its audit entry). */
export function createLibraryStatements(db: Database, lib: NewLibrary, now = Date.now()) {
  return [
    db.insert(libraries).values({
      id: lib.id,
      name: lib.name,
      timeZone: lib.timeZone ?? "UTC",
      contactEmail: lib.contactEmail ?? null,
      phone: lib.phone ?? null,
      websiteUrl: lib.websiteUrl ?? null,
      hoursText: lib.hoursText ?? null,
      unavailableMessage: lib.unavailableMessage ?? null,
      fallbackLinks: lib.fallbackLinks ?? [],
      brandColor: lib.brandColor ?? "#1d4ed8",
      allowedOrigins: lib.allowedOrigins ?? [],
      waitLimitSeconds: lib.waitLimitSeconds ?? 300,
      rolloverSeconds: lib.rolloverSeconds ?? 45,
      createdAt: now,
    }),
    // One statement per code: D1 binds at most 100 values per statement.
    ...DEFAULT_DESCRIPTIVE_CODES.map((c, position) =>
      db.insert(descriptiveCodes).values({ libraryId: lib.id, code: c.code, label: c.label, active: true, position, createdAt: now }),
    ),
  ] as const;
}

/** Creates the library with its default codes, in one batch. */
export async function createLibrary(d1: D1Database, lib: NewLibrary, now = Date.now()): Promise<void> {
  const db = database(d1);
  await db.batch(createLibraryStatements(db, lib, now));
}
