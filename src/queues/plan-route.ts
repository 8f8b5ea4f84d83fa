/**
 * The routing plan of a new request, from the library's settings, its groups
 * in their order and — for a group that prefers it — the library whose shift
 * it is now in that group's coverage schedule (the rule itself:
 * ./routing-policy.ts).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { coverageShifts, groupMembers, groups, libraries } from "../db/schema";
import { coverageAt, type ShiftRule } from "../coverage/schedule";
import { groupQueueId, libraryQueueId } from "./queue-ids";
import { ROLLOVER_LIMITS, routeFor, type RoutePlan } from "./routing-policy";

/** Makes the plan for a request that came in through `formQueueId` for a patron of `libraryId`, at `now`. */
export async function planRoute(db: Database, libraryId: string, formQueueId: string, now: number = Date.now()): Promise<RoutePlan> {
  const [library, memberships] = await Promise.all([
    db.select({ rolloverSeconds: libraries.rolloverSeconds, overflowMode: libraries.overflowMode }).from(libraries).where(eq(libraries.id, libraryId)).get(),
    db
      .select({ groupId: groupMembers.groupId, prefersScheduled: groups.rolloverPrefersScheduled })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groupMembers.libraryId, libraryId))
      .orderBy(asc(groupMembers.position), asc(groupMembers.createdAt))
      .all(),
  ]);
  const preferring = memberships.filter((m) => m.prefersScheduled).map((m) => m.groupId);
  const scheduledFirst = preferring.length > 0 ? await scheduledLibraryQueues(db, preferring, libraryId, now) : {};
  return routeFor(
    library ?? { rolloverSeconds: ROLLOVER_LIMITS.defaultSeconds, overflowMode: "off" },
    formQueueId,
    memberships.map((m) => groupQueueId(m.groupId)),
    scheduledFirst,
  );
}

/** For each group, the queue of the library whose shift it is at `now` (none when nobody's, or it is the patron's own library). */
async function scheduledLibraryQueues(db: Database, groupIds: string[], homeLibraryId: string, now: number): Promise<Record<string, string>> {
  const rows = await db
    .select({ groupId: coverageShifts.groupId, libraryId: coverageShifts.libraryId, timeZone: coverageShifts.timeZone, weekday: coverageShifts.weekday, startMinute: coverageShifts.startMinute, endMinute: coverageShifts.endMinute, endsNextDay: coverageShifts.endsNextDay })
    .from(coverageShifts)
    .where(and(inArray(coverageShifts.groupId, groupIds)))
    .all();
  const out: Record<string, string> = {};
  for (const groupId of groupIds) {
    const rules: ShiftRule[] = rows.filter((r) => r.groupId === groupId);
    const current = coverageAt(rules, now).current;
    const scheduled = current ? rules[current.rule]!.libraryId : null;
    if (scheduled && scheduled !== homeLibraryId) out[groupQueueId(groupId)] = libraryQueueId(scheduled);
  }
  return out;
}
