/**
 * Which queues a librarian may staff: their own library's queue and the
 * cooperative queue of every group their library belongs to.
 */
import { asc, eq } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import type { Database } from "../db/client";
import { groupMembers, groups } from "../db/schema";
import { groupQueueId, libraryQueueId, type QueueKind } from "./queue-ids";

export interface StaffableQueue {
  id: string;
  kind: QueueKind;
  name: string;
}

export async function staffableQueues(db: Database, librarian: Librarian): Promise<StaffableQueue[]> {
  const memberships = await db
    .select({ id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.libraryId, librarian.libraryId))
    .orderBy(asc(groupMembers.position))
    .all();
  return [
    { id: libraryQueueId(librarian.libraryId), kind: "library", name: librarian.libraryName },
    ...memberships.map((g) => ({ id: groupQueueId(g.id), kind: "group" as const, name: g.name })),
  ];
}
