/**
 * The time zone a cooperative's figures are counted in. A group has no zone of
 * its own, and its members may be in several; its figures need one, the same
 * for every viewer and every day, so it is chosen once — the zone most of its
 * members share (ties: the first in alphabetical order) — and kept.
 */
import { eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { groupMembers, libraries, statGroupZones } from "../db/schema";

/** The zone most of `zones` share; ties go to the first alphabetically; UTC for none. */
export function commonestZone(zones: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const z of zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "UTC";
}

/** Each group's statistics zone, choosing (and storing) it for groups that have none yet. */
export async function groupZones(db: Database, groupIds: readonly string[], now = Date.now()): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  if (groupIds.length === 0) return zones;
  const known = await db.select().from(statGroupZones).where(inArray(statGroupZones.groupId, [...groupIds])).all();
  for (const k of known) zones.set(k.groupId, k.timeZone);
  const missing = groupIds.filter((g) => !zones.has(g));
  if (missing.length === 0) return zones;
  for (const groupId of missing) {
    const members = await db.select({ timeZone: libraries.timeZone }).from(groupMembers).innerJoin(libraries, eq(libraries.id, groupMembers.libraryId)).where(eq(groupMembers.groupId, groupId)).all();
    await db.insert(statGroupZones).values({ groupId, timeZone: commonestZone(members.map((m) => m.timeZone)), chosenAt: now }).onConflictDoNothing();
  }
  // Read back: another request may have chosen first, and its choice stands.
  const chosen = await db.select().from(statGroupZones).where(inArray(statGroupZones.groupId, missing)).all();
  for (const c of chosen) zones.set(c.groupId, c.timeZone);
  return zones;
}
