/**
 * /api/admin/groups — the cooperatives a group administrator looks after: the
 * list, one group's membership view, its audit log.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { readAudit } from "../../admin/audit";
import { authorize, requireActor } from "../../admin/authorize";
import { loadGroup } from "../../admin/lookups";
import { database } from "../../db/client";
import { groupMembers, groups, librarians, libraries } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";

export const groupRoutes = new Hono<AppEnv>();

groupRoutes.get("/groups", async (c) => {
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

groupRoutes.get("/groups/:groupId", async (c) => {
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

groupRoutes.get("/groups/:groupId/audit", async (c) => {
  const groupId = c.req.param("groupId");
  await authorize(c, "group.read", { group: groupId });
  const before = Number(c.req.query("before") ?? "") || undefined;
  return c.json(await readAudit(database(c.env.DB), { groupId }, before));
});
