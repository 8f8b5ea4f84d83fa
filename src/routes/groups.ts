/**
 * /api/groups — cooperatives: create, read, invite a library, join (with an
 * invitation), the coverage schedule (read by members, replaced by the group's
 * administrators), whose shift it is now, each member's contribution, and the
 * group's page. /api/coverage — whose shift it is now in every group of the
 * signed-in librarian's library (for the monitor).
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { Librarian } from "../auth/librarian";
import { contribution, createGroup, inviteLibrary, joinGroup, pendingInvitations } from "../coop/groups";
import { coverageNow, loadShifts, replaceSchedule } from "../coverage/store";
import { assertGroupAdmin, assertGroupMember } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { badRequest, notFound } from "../http/errors";
import { parseBody } from "../http/validate";
import { loadGroupPage, saveGroupPage } from "../policies/store";
import { POLICY_LIMITS } from "../policies/sections";
import { slugSchema } from "../shared/api";
import { createGroupSchema, groupPageSchema, inviteLibrarySchema, scheduleSchema } from "../shared/coop-api";

export const groupRoutes = new Hono<AppEnv>();
export const coverageRoutes = new Hono<AppEnv>();

const DAY_MS = 24 * 3600_000;
/** The longest period a contribution report covers. */
export const CONTRIBUTION_MAX_DAYS = 366;

function groupIdParam(value: string | undefined): string {
  if (!value || !slugSchema.safeParse(value).success) throw notFound("Group");
  return value;
}

async function libraryZone(d1: D1Database, librarian: Librarian): Promise<string> {
  return (await d1.prepare("SELECT time_zone FROM libraries WHERE id = ?").bind(librarian.libraryId).first<{ time_zone: string }>())?.time_zone ?? "UTC";
}

groupRoutes.post("/", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, createGroupSchema);
  await createGroup(c.env.DB, librarian, body.id, body.name);
  return c.json({ group: { id: body.id, name: body.name } }, 201);
});

groupRoutes.get("/:groupId", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  const access = await assertGroupMember(c.env.DB, librarian, groupId);
  const group = await c.env.DB.prepare("SELECT id, name FROM groups WHERE id = ?").bind(groupId).first<{ id: string; name: string }>();
  const { results: members } = await c.env.DB.prepare("SELECT l.id, l.name, l.time_zone AS timeZone FROM group_members m JOIN libraries l ON l.id = m.library_id WHERE m.group_id = ? ORDER BY l.name")
    .bind(groupId)
    .all<{ id: string; name: string; timeZone: string }>();
  return c.json({ group, members, youAreAdmin: access.admin });
});

groupRoutes.post("/:groupId/invitations", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  const body = await parseBody(c, inviteLibrarySchema);
  return c.json({ invitation: await inviteLibrary(c.env.DB, librarian, groupId, body.libraryId) }, 201);
});

groupRoutes.get("/:groupId/invitations", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  return c.json({ invitations: await pendingInvitations(c.env.DB, { groupId }) });
});

groupRoutes.post("/:groupId/join", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await joinGroup(c.env.DB, librarian, groupId);
  return c.json({ joined: true, groupId, libraryId: librarian.libraryId });
});

groupRoutes.get("/:groupId/schedule", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json({ shifts: await loadShifts(c.env.DB, groupId) });
});

groupRoutes.put("/:groupId/schedule", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const body = await parseBody(c, scheduleSchema, POLICY_LIMITS.bodyBytes);
  await replaceSchedule(c.env.DB, groupId, body);
  return c.json({ shifts: await loadShifts(c.env.DB, groupId) });
});

groupRoutes.get("/:groupId/coverage/now", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json({ coverage: await coverageNow(c.env.DB, groupId, Date.now(), await libraryZone(c.env.DB, librarian)) });
});

groupRoutes.get("/:groupId/contribution", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const days = Number(c.req.query("days") ?? "30");
  if (!Number.isInteger(days) || days < 1 || days > CONTRIBUTION_MAX_DAYS) throw badRequest(`days: a whole number from 1 to ${CONTRIBUTION_MAX_DAYS}`, "days");
  const to = Date.now() + 1;
  return c.json({ days, members: await contribution(c.env.DB, groupId, to - days * DAY_MS, to) });
});

groupRoutes.get("/:groupId/page", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json(await loadGroupPage(c.env.DB, groupId));
});

groupRoutes.put("/:groupId/page", async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const body = await parseBody(c, groupPageSchema, POLICY_LIMITS.bodyBytes);
  return c.json({ body: await saveGroupPage(c.env.DB, groupId, body.body, librarian.id) });
});

coverageRoutes.get("/now", async (c) => {
  const librarian = requireLibrarian(c);
  const { results: groups } = await c.env.DB.prepare("SELECT g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.library_id = ? ORDER BY m.position")
    .bind(librarian.libraryId)
    .all<{ id: string; name: string }>();
  const zone = await libraryZone(c.env.DB, librarian);
  const now = Date.now();
  return c.json({ groups: await Promise.all(groups.map(async (g) => ({ groupName: g.name, ...(await coverageNow(c.env.DB, g.id, now, zone)) }))) });
});
