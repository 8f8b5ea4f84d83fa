/** A library's own time zone (IANA name), which dates in its lists and pages follow. */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { libraries } from "../db/schema";

/** The library's time zone, or null when there is no such library. */
export async function libraryTimeZone(d1: D1Database, libraryId: string): Promise<string | null> {
  const row = await database(d1).select({ timeZone: libraries.timeZone }).from(libraries).where(eq(libraries.id, libraryId)).get();
  return row?.timeZone ?? null;
}
