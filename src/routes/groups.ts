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
import { contribution, createGroup, findGroup, inviteLibrary, joinGroup, memberLibraries, pendingInvitations } from "../coop/groups";
import { coverageGaps, GAP_MINIMUM_MS, monitorCoverage } from "../coverage/monitor-coverage";
import { coverageNow, loadShifts, prefersScheduled, replaceSchedule, setPrefersScheduled } from "../coverage/store";
import { assertGroupAdmin, assertGroupMember } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { badRequest, notFound } from "../http/errors";
import { parseBody } from "../http/validate";
import { libraryTimeZone } from "../libraries/time-zone";
import { loadGroupPage, saveGroupPage } from "../policies/store";
import { POLICY_LIMITS } from "../policies/sections";
import { slugSchema } from "../shared/api";
import { createGroupSchema, groupPageSchema, groupRoutingSchema, inviteLibrarySchema, scheduleSchema } from "../shared/coop-api";
import { COOP_LIBRARY_ADMIN, GROUP_ADMIN, GROUP_MEMBER, LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, COOP_ID_MALFORMED, GROUP_UNKNOWN, NOT_COOP_LIBRARY_ADMIN, NOT_GROUP_ADMIN, NOT_GROUP_MEMBER, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { COVERAGE, INVITATION, PARAMS, SHIFT } from "./openapi/shapes";

export const groupRoutes = new Hono<AppEnv>();
export const coverageRoutes = new Hono<AppEnv>();

const DAY_MS = 24 * 3600_000;
/** The longest period the unstaffed-hours report covers. */
export const GAP_MAX_DAYS = 31;
/** The longest period a contribution report covers. */
export const CONTRIBUTION_MAX_DAYS = 366;

const MALFORMED_GROUP = COOP_ID_MALFORMED("group");

function groupIdParam(value: string | undefined): string {
  if (!value || !slugSchema.safeParse(value).success) throw notFound("Group");
  return value;
}

async function libraryZone(d1: D1Database, librarian: Librarian): Promise<string> {
  return (await libraryTimeZone(d1, librarian.libraryId)) ?? "UTC";
}

groupRoutes.post("/", documented({
  group: GROUPS.coopGroups,
  summary: "Create a group",
  description: "Creates a group.",
  who: signedIn("A signed-in `group_admin` (their library becomes the first member) or `service_admin`.", ["group_admin", "service_admin"]),
  body: createGroupSchema,
  answers: { 201: "`{group: {id, name}}`." },
  refusals: [NOT_SIGNED_IN, BAD_BODY, refusal(403, "forbidden", "Neither a group nor a service administrator."), refusal(409, "validation_failed", "A group with this id exists.", "id")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, createGroupSchema);
  await createGroup(c.env.DB, librarian, body.id, body.name);
  return c.json({ group: { id: body.id, name: body.name } }, 201);
});

groupRoutes.get("/:groupId", documented({
  group: GROUPS.coopGroups,
  summary: "A group and its members",
  description: "The group and its members.",
  who: GROUP_MEMBER,
  params: PARAMS.coopGroupId,
  answers: { 200: "`{group: {id, name}, members: [{id, name, timeZone}], youAreAdmin}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_MEMBER],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  const access = await assertGroupMember(c.env.DB, librarian, groupId);
  const group = await findGroup(c.env.DB, groupId);
  const members = await memberLibraries(c.env.DB, groupId);
  return c.json({ group, members, youAreAdmin: access.admin });
});

groupRoutes.post("/:groupId/invitations", documented({
  group: GROUPS.coopGroups,
  summary: "Invite a library to the group",
  description: "Invites a library to join the group; its administrator accepts with `POST /api/groups/{groupId}/join`.",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  body: inviteLibrarySchema,
  answers: { 201: `\`{invitation}\`: ${INVITATION}.` },
  refusals: [
    NOT_SIGNED_IN,
    MALFORMED_GROUP,
    BAD_BODY,
    GROUP_UNKNOWN,
    NOT_GROUP_ADMIN,
    refusal(404, "not_found", "No such library.", "libraryId"),
    refusal(409, "validation_failed", "The library is a member already, or has an unanswered invitation.", "libraryId"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  const body = await parseBody(c, inviteLibrarySchema);
  return c.json({ invitation: await inviteLibrary(c.env.DB, librarian, groupId, body.libraryId) }, 201);
});

groupRoutes.get("/:groupId/invitations", documented({
  group: GROUPS.coopGroups,
  summary: "The group's open invitations",
  description: "The group's invitations not yet accepted.",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  answers: { 200: `\`{invitations}\`: each ${INVITATION}.` },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_ADMIN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  return c.json({ invitations: await pendingInvitations(c.env.DB, { groupId }) });
});

groupRoutes.post("/:groupId/join", documented({
  group: GROUPS.coopGroups,
  summary: "Join a group (with an invitation)",
  description: "The librarian's library joins the group (last in its roll-over order). No body.",
  who: signedIn(`${COOP_LIBRARY_ADMIN.rule.replace("this library", "their own library")} With an invitation for their library.`, ["library_admin", "service_admin"]),
  params: PARAMS.coopGroupId,
  answers: { 200: "`{joined: true, groupId, libraryId}`." },
  refusals: [
    NOT_SIGNED_IN,
    MALFORMED_GROUP,
    NOT_COOP_LIBRARY_ADMIN,
    GROUP_UNKNOWN,
    refusal(409, "validation_failed", "The library is a member already."),
    refusal(403, "forbidden", "The library has no invitation to this group."),
    refusal(409, "validation_failed", "The invitation was used a moment ago (a double submit); the library is a member."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await joinGroup(c.env.DB, librarian, groupId);
  return c.json({ joined: true, groupId, libraryId: librarian.libraryId });
});

groupRoutes.get("/:groupId/schedule", documented({
  group: GROUPS.coopGroups,
  summary: "The coverage schedule",
  description: "The coverage schedule: weekly shifts, each in its own time zone.",
  who: GROUP_MEMBER,
  params: PARAMS.coopGroupId,
  answers: { 200: `\`{shifts}\`: each ${SHIFT}, by weekday and start.` },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_MEMBER],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json({ shifts: await loadShifts(c.env.DB, groupId) });
});

groupRoutes.put("/:groupId/schedule", documented({
  group: GROUPS.coopGroups,
  summary: "Replace the coverage schedule",
  description: "Replaces the whole schedule; any problem refuses all of it. `timeZone` defaults to the staffing library's; `24:00` ends a shift at midnight.",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  body: scheduleSchema,
  bodyBytes: POLICY_LIMITS.bodyBytes,
  answers: { 200: `\`{shifts}\`: each ${SHIFT}.` },
  refusals: [
    NOT_SIGNED_IN,
    MALFORMED_GROUP,
    GROUP_UNKNOWN,
    NOT_GROUP_ADMIN,
    BAD_BODY,
    refusal(400, "validation_failed", "A shift names a library that is not a member.", "shifts.N.libraryId"),
    refusal(400, "validation_failed", "A shift's time zone is not an IANA zone.", "shifts.N.timeZone"),
    refusal(400, "validation_failed", "A shift starts at 24:00.", "shifts.N.start"),
    refusal(400, "validation_failed", "A shift ends when or before it starts without `endsNextDay`, or (ending the next day) lasts over 24 hours.", "shifts.N.end"),
    refusal(400, "validation_failed", "Two shifts overlap (the message names both and when).", "shifts.N"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const body = await parseBody(c, scheduleSchema, POLICY_LIMITS.bodyBytes);
  await replaceSchedule(c.env.DB, groupId, body);
  return c.json({ shifts: await loadShifts(c.env.DB, groupId) });
});

groupRoutes.get("/:groupId/coverage/now", documented({
  group: GROUPS.coopGroups,
  summary: "Whose shift it is now",
  description: "Whose shift it is now and whose is next, shown on the librarian's library's clock.",
  who: GROUP_MEMBER,
  params: PARAMS.coopGroupId,
  answers: { 200: `\`{coverage}\`: ${COVERAGE}.` },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_MEMBER],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json({ coverage: await coverageNow(c.env.DB, groupId, Date.now(), await libraryZone(c.env.DB, librarian)) });
});

groupRoutes.get("/:groupId/contribution", documented({
  group: GROUPS.coopGroups,
  summary: "Each member's contribution",
  description:
    "Each member's contribution over a period: chats it answered for other members, chats of its patrons others answered, and its own (practice and spam left out).",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  query: { days: `The period, in days back from now: a whole number from 1 to ${CONTRIBUTION_MAX_DAYS} (default 30).` },
  answers: { 200: "`{days, members: [{libraryId, libraryName, answeredForOthers, answeredByOthers, answeredOwn}]}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_ADMIN, refusal(400, "validation_failed", "`days` out of range or not a whole number.", "days")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const days = Number(c.req.query("days") ?? "30");
  if (!Number.isInteger(days) || days < 1 || days > CONTRIBUTION_MAX_DAYS) throw badRequest(`days: a whole number from 1 to ${CONTRIBUTION_MAX_DAYS}`, "days");
  const to = Date.now() + 1;
  return c.json({ days, members: await contribution(c.env.DB, groupId, to - days * DAY_MS, to) });
});

groupRoutes.get("/:groupId/coverage/gaps", documented({
  group: GROUPS.coopGroups,
  summary: "Scheduled but unstaffed hours",
  description: `The stretches of the last \`days\` (1–${GAP_MAX_DAYS}, default 7) in which a shift's library was scheduled on the group's queue and nobody from it was monitoring (stretches under ${GAP_MINIMUM_MS / 60_000} minutes left out), newest first, on the librarian's library's clock.`,
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  query: { days: `The period, in days back from now: a whole number from 1 to ${GAP_MAX_DAYS} (default 7).` },
  answers: { 200: "`{days, gaps: [{libraryId, libraryName, startsAt, endsAt, minutes, local}]}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_ADMIN, refusal(400, "validation_failed", "`days` out of range or not a whole number.", "days")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const days = Number(c.req.query("days") ?? "7");
  if (!Number.isInteger(days) || days < 1 || days > GAP_MAX_DAYS) throw badRequest(`days: a whole number from 1 to ${GAP_MAX_DAYS}`, "days");
  const now = Date.now();
  return c.json({ days, gaps: await coverageGaps(c.env, groupId, now - days * DAY_MS, now, await libraryZone(c.env.DB, librarian)) });
});

groupRoutes.get("/:groupId/routing", documented({
  group: GROUPS.coopGroups,
  summary: "The group's roll-over setting",
  description: "Whether a request rolling over to this group is offered first to the library whose shift it is now (its own queue), and to the whole group at the next roll-over.",
  who: GROUP_MEMBER,
  params: PARAMS.coopGroupId,
  answers: { 200: "`{rolloverPrefersScheduled}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_MEMBER],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json({ rolloverPrefersScheduled: await prefersScheduled(c.env.DB, groupId) });
});

groupRoutes.put("/:groupId/routing", documented({
  group: GROUPS.coopGroups,
  summary: "Change the group's roll-over setting",
  description: "Turns on or off offering a rolling-over request first to the library scheduled now.",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  body: groupRoutingSchema,
  answers: { 200: "`{rolloverPrefersScheduled}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_ADMIN, BAD_BODY],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const body = await parseBody(c, groupRoutingSchema);
  await setPrefersScheduled(c.env.DB, groupId, body.rolloverPrefersScheduled);
  return c.json({ rolloverPrefersScheduled: body.rolloverPrefersScheduled });
});

groupRoutes.get("/:groupId/page", documented({
  group: GROUPS.coopGroups,
  summary: "The group's page",
  description: "The group's page (sanitised HTML; empty when none was written).",
  who: GROUP_MEMBER,
  params: PARAMS.coopGroupId,
  answers: { 200: "`{body, updatedAt}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_MEMBER],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupMember(c.env.DB, librarian, groupId);
  return c.json(await loadGroupPage(c.env.DB, groupId));
});

groupRoutes.put("/:groupId/page", documented({
  group: GROUPS.coopGroups,
  summary: "Replace the group's page",
  description: "Replaces the group's page.",
  who: GROUP_ADMIN,
  params: PARAMS.coopGroupId,
  body: groupPageSchema,
  bodyBytes: POLICY_LIMITS.bodyBytes,
  answers: { 200: "`{body}`: the HTML as saved (sanitised)." },
  refusals: [NOT_SIGNED_IN, MALFORMED_GROUP, GROUP_UNKNOWN, NOT_GROUP_ADMIN, BAD_BODY, refusal(400, "validation_failed", "The HTML holds what the sanitiser refuses; nothing was saved.", "body")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const groupId = groupIdParam(c.req.param("groupId"));
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const body = await parseBody(c, groupPageSchema, POLICY_LIMITS.bodyBytes);
  return c.json({ body: await saveGroupPage(c.env.DB, groupId, body.body, librarian.id) });
});

coverageRoutes.get("/now", documented({
  group: GROUPS.coopGroups,
  summary: "Whose shift it is now, in all my groups",
  description:
    "Whose shift it is now and next in every group of the librarian's library, in roll-over order (for the monitor), and `alert` when it is the librarian's own library's shift and nobody from their library is online on the group's queue (monitoring it, not away).",
  who: LIBRARIAN,
  answers: { 200: `\`{groups: [{groupName, queueId, alert, …coverage}]}\`, each coverage ${COVERAGE}; \`alert\` is \`{groupId, groupName, queueId, startsAt, endsAt, local, message}\` or null.` },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  return c.json({ groups: await monitorCoverage(c.env, librarian, await libraryZone(c.env.DB, librarian), Date.now()) });
});
