/**
 * /api/admin/groups — the cooperatives a group administrator looks after: the
 * list, one group's membership view, its audit log.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { auditCursor, readAudit } from "../../admin/audit";
import { authorize, requireActor } from "../../admin/authorize";
import { loadGroup } from "../../admin/lookups";
import { database } from "../../db/client";
import { groupMembers, groups, librarians, libraries } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ADMIN_OF_GROUP, LIBRARIAN } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { GROUP_UNKNOWN, NOT_ADMIN_OF_GROUP, NOT_SIGNED_IN } from "../openapi/refusals";
import { AUDIT_PAGE, AUDIT_QUERY, PARAMS } from "../openapi/shapes";

export const groupRoutes = new Hono<AppEnv>();

groupRoutes.get("/groups", documented({
  group: GROUPS.groupAdmin,
  summary: "The groups I administer",
  description: "The groups the actor administers: their library's groups for a `group_admin`, all for a `service_admin`, none otherwise.",
  who: LIBRARIAN,
  answers: { 200: "`{groups: [{id, name}]}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const actor = await requireActor(c);
  const db = database(c.env.DB);
  const query = db.select({ id: groups.id, name: groups.name }).from(groups);
  const rows =
    actor.role === "service_admin"
      ? await query.orderBy(asc(groups.name)).all()
      : actor.role === "group_admin" && actor.groupIds.length > 0
        ? await query.where(inArray(groups.id, actor.groupIds)).orderBy(asc(groups.name)).all()
        : [];
  return c.json({ groups: rows });
});

groupRoutes.get("/groups/:groupId", documented({
  group: GROUPS.groupAdmin,
  summary: "A group and its members",
  description: "The group and its member libraries.",
  who: ADMIN_OF_GROUP,
  params: PARAMS.groupId,
  answers: { 200: "`{group: {id, name}, members: [{id, name, contactEmail, timeZone, position, librarians}]}` (`librarians`: enabled accounts)." },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP, GROUP_UNKNOWN],
}), async (c) => {
  const groupId = c.req.param("groupId");
  await authorize(c, "group.read", { group: groupId });
  const db = database(c.env.DB);
  const group = await loadGroup(db, groupId);
  const members = await db
    .select({
      id: libraries.id,
      name: libraries.name,
      contactEmail: libraries.contactEmail,
      timeZone: libraries.timeZone,
      position: groupMembers.position,
      librarians: sql<number>`(SELECT COUNT(*) FROM ${librarians} WHERE ${librarians.libraryId} = ${libraries.id} AND ${librarians.disabledAt} IS NULL)`,
    })
    .from(groupMembers)
    .innerJoin(libraries, eq(libraries.id, groupMembers.libraryId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(libraries.name))
    .all();
  return c.json({ group: { id: group.id, name: group.name }, members });
});

groupRoutes.get("/groups/:groupId/audit", documented({
  group: GROUPS.groupAdmin,
  summary: "A group's audit log",
  description: "The group's audit log.",
  who: ADMIN_OF_GROUP,
  params: PARAMS.groupId,
  query: AUDIT_QUERY,
  answers: { 200: `${AUDIT_PAGE}.` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP],
}), async (c) => {
  const groupId = c.req.param("groupId");
  await authorize(c, "group.read", { group: groupId });
  const before = auditCursor(c.req.query("before"));
  return c.json(await readAudit(database(c.env.DB), { groupId }, before));
});
