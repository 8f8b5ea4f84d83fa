/**
 * Creating a library: the library row and its own copy of the default
 * descriptive codes (which it may then rename, hide, reorder or extend).
 */
import { DEFAULT_DESCRIPTIVE_CODES } from "../shared/codes";

export interface NewLibrary {
  id: string;
  name: string;
  timeZone?: string;
  contactEmail?: string | null;
  phone?: string | null;
  hoursText?: string | null;
  unavailableMessage?: string | null;
  fallbackLinks?: { label: string; url: string }[];
  brandColor?: string;
  allowedOrigins?: string[];
  waitLimitSeconds?: number;
  rolloverSeconds?: number;
}

/** The SQL statements that create a library with its default codes (run them in one batch). */
export function createLibraryStatements(db: D1Database, lib: NewLibrary, now = Date.now()): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO libraries (id, name, time_zone, contact_email, phone, hours_text, unavailable_message, fallback_links,
           brand_color, allowed_origins, wait_limit_seconds, rollover_seconds, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        lib.id,
        lib.name,
        lib.timeZone ?? "UTC",
        lib.contactEmail ?? null,
        lib.phone ?? null,
        lib.hoursText ?? null,
        lib.unavailableMessage ?? null,
        JSON.stringify(lib.fallbackLinks ?? []),
        lib.brandColor ?? "#1d4ed8",
        JSON.stringify(lib.allowedOrigins ?? []),
        lib.waitLimitSeconds ?? 300,
        lib.rolloverSeconds ?? 45,
        now,
      ),
    ...DEFAULT_DESCRIPTIVE_CODES.map((c, position) =>
      db
        .prepare("INSERT INTO descriptive_codes (library_id, code, label, active, position, created_at) VALUES (?, ?, ?, 1, ?, ?)")
        .bind(lib.id, c.code, c.label, position, now),
    ),
  ];
}
