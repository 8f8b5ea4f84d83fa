/**
 * The routing plan of a new request, from the library's settings and its
 * groups in their order (the rule itself: ./routing-policy.ts).
 */
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { groupMembers, libraries } from "../db/schema";
import { groupQueueId } from "./queue-ids";
import { ROLLOVER_LIMITS, routeFor, type RoutePlan } from "./routing-policy";

/** Makes the plan for a request that came in through `formQueueId` for a patron of `libraryId`. */
export async function planRoute(db: Database, libraryId: string, formQueueId: string): Promise<RoutePlan> {
  const library = await db
    .select({ rolloverSeconds: libraries.rolloverSeconds, overflowMode: libraries.overflowMode })
    .from(libraries)
    .where(eq(libraries.id, libraryId))
    .get();
  const memberships = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(eq(groupMembers.libraryId, libraryId))
    .orderBy(asc(groupMembers.position), asc(groupMembers.createdAt))
    .all();
  return routeFor(library ?? { rolloverSeconds: ROLLOVER_LIMITS.defaultSeconds, overflowMode: "off" }, formQueueId, memberships.map((m) => groupQueueId(m.groupId)));
}
