/**
 * A library's routing settings (read by src/queues/routing-policy.ts): its
 * roll-over time, when requests overflow to its groups, and the order of its
 * groups. Saved in one batch after every check, so a bad value changes nothing.
 */
import { eq } from "drizzle-orm";
import { groupOrderStatements, librarysGroups } from "../coop/groups";
import { database } from "../db/client";
import { libraries } from "../db/schema";
import { badRequest, notFound } from "../http/errors";
import type { OverflowMode } from "../queues/routing-policy";

export interface RoutingSettingsView {
  libraryId: string;
  rolloverSeconds: number;
  overflowMode: OverflowMode;
  waitLimitSeconds: number;
  groups: { id: string; name: string; position: number }[];
}

export async function loadRoutingSettings(d1: D1Database, libraryId: string): Promise<RoutingSettingsView> {
  const row = await database(d1)
    .select({ rolloverSeconds: libraries.rolloverSeconds, overflowMode: libraries.overflowMode, waitLimitSeconds: libraries.waitLimitSeconds })
    .from(libraries)
    .where(eq(libraries.id, libraryId))
    .get();
  if (!row) throw notFound("Library");
  return {
    libraryId,
    rolloverSeconds: row.rolloverSeconds,
    overflowMode: row.overflowMode as OverflowMode,
    waitLimitSeconds: row.waitLimitSeconds,
    groups: await librarysGroups(d1, libraryId),
  };
}

export async function saveRoutingSettings(
  d1: D1Database,
  libraryId: string,
  input: { rolloverSeconds: number; overflowMode: OverflowMode; groupOrder?: string[] },
): Promise<RoutingSettingsView> {
  const db = database(d1);
  const current = await loadRoutingSettings(d1, libraryId);
  // A roll-over after the wait limit would never happen: the patron would already have been told nobody is available.
  if (input.rolloverSeconds >= current.waitLimitSeconds) {
    throw badRequest(`The roll-over time must be shorter than the library's wait limit (${current.waitLimitSeconds} seconds)`, "rolloverSeconds");
  }
  const order = input.groupOrder ? await groupOrderStatements(d1, libraryId, input.groupOrder) : [];
  await db.batch([
    db.update(libraries).set({ rolloverSeconds: input.rolloverSeconds, overflowMode: input.overflowMode }).where(eq(libraries.id, libraryId)),
    ...order,
  ]);
  return loadRoutingSettings(d1, libraryId);
}
