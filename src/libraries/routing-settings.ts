/**
 * A library's routing settings (read by src/queues/routing-policy.ts): its
 * roll-over time, when requests overflow to its groups, and the order of its
 * groups. Saved in one batch after every check, so a bad value changes nothing.
 */
import { groupOrderStatements, librarysGroups } from "../coop/groups";
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
  const row = await d1
    .prepare("SELECT rollover_seconds, overflow_mode, wait_limit_seconds FROM libraries WHERE id = ?")
    .bind(libraryId)
    .first<{ rollover_seconds: number; overflow_mode: OverflowMode; wait_limit_seconds: number }>();
  if (!row) throw notFound("Library");
  return { libraryId, rolloverSeconds: row.rollover_seconds, overflowMode: row.overflow_mode, waitLimitSeconds: row.wait_limit_seconds, groups: await librarysGroups(d1, libraryId) };
}

export async function saveRoutingSettings(
  d1: D1Database,
  libraryId: string,
  input: { rolloverSeconds: number; overflowMode: OverflowMode; groupOrder?: string[] },
): Promise<RoutingSettingsView> {
  const current = await loadRoutingSettings(d1, libraryId);
  // A roll-over after the wait limit would never happen: the patron would already have been told nobody is available.
  if (input.rolloverSeconds >= current.waitLimitSeconds) {
    throw badRequest(`The roll-over time must be shorter than the library's wait limit (${current.waitLimitSeconds} seconds)`, "rolloverSeconds");
  }
  const order = input.groupOrder ? await groupOrderStatements(d1, libraryId, input.groupOrder) : [];
  await d1.batch([
    d1.prepare("UPDATE libraries SET rollover_seconds = ?, overflow_mode = ? WHERE id = ?").bind(input.rolloverSeconds, input.overflowMode, libraryId),
    ...order,
  ]);
  return loadRoutingSettings(d1, libraryId);
}
