/**
 * /api/admin/service/libraries and /api/admin/service/groups — what only
 * service administrators do with the installation's libraries and groups:
 * list them all, create them, archive and unarchive a library, add a library
 * to a group. Editing a library is its settings route; inviting its first
 * administrator is its invitations route (a service administrator may use
 * both for any library). Every change is audited in the same batch.
 */
import { and, asc, eq, inArray, isNull, max, sql } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { auditStatement } from "../../admin/audit";
import { authorize } from "../../admin/authorize";
import { loadGroup, loadLibrary } from "../../admin/lookups";
import { database, type Database } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { groupMembers, groups, libraries } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { createLibraryStatements } from "../../libraries/create-library";
import { groupMemberSchema, newGroupSchema, newLibrarySchema } from "../../shared/admin-api";
import type { ServiceGroupRow, ServiceLibraryRow } from "../../shared/service-views";
import { signedIn } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { BAD_BODY, GROUP_UNKNOWN, LIBRARY_UNKNOWN, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { PARAMS } from "../openapi/shapes";

export const serviceDirectoryRoutes = new Hono<AppEnv>();

const SERVICE_ADMIN = signedIn("A `service_admin` (nobody else creates, archives or groups libraries).", ["service_admin"]);
const NOT_SERVICE_ADMIN = refusal(403, "forbidden", "Not a service administrator.");

const ADMIN_ROLES = ["library_admin", "group_admin", "service_admin"];

async function libraryRows(db: Database, ids?: string[]): Promise<ServiceLibraryRow[]> {
  const rows = await db
    .select({
      id: libraries.id,
      name: libraries.name,
      timeZone: libraries.timeZone,
      contactEmail: libraries.contactEmail,
      archivedAt: libraries.archivedAt,
      createdAt: libraries.createdAt,
      // Written out: drizzle leaves columns unqualified in a one-table select, which a correlated subquery would misread.
      administrators: sql<number>`(SELECT COUNT(*) FROM librarians a WHERE a.library_id = libraries.id AND a.disabled_at IS NULL AND a.role IN ${ADMIN_ROLES})`,
      invitedAdministrators: sql<number>`(SELECT COUNT(*) FROM librarians a WHERE a.library_id = libraries.id AND a.disabled_at IS NULL AND a.password_hash IS NULL AND a.role IN ${ADMIN_ROLES})`,
    })
    .from(libraries)
    .where(ids ? inArray(libraries.id, ids) : undefined)
    .orderBy(asc(libraries.name), asc(libraries.id))
    .all();
  const memberships = await db
    .select({ libraryId: groupMembers.libraryId, id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .orderBy(asc(groupMembers.position), asc(groups.name))
    .all();
  return rows.map((r) => ({ ...r, groups: memberships.filter((m) => m.libraryId === r.id).map(({ id, name }) => ({ id, name })) }));
}

async function oneLibraryRow(db: Database, id: string): Promise<ServiceLibraryRow> {
  const [row] = await libraryRows(db, [id]);
  if (!row) throw new ApiError(404, "not_found", "Library not found.");
  return row;
}

serviceDirectoryRoutes.get("/service/libraries", documented({
  group: GROUPS.service,
  summary: "Every library",
  description: "Every library of the installation, archived ones too, with its administrators (and how many have not set a password yet) and its groups.",
  who: SERVICE_ADMIN,
  answers: { 200: "`{libraries: [{id, name, timeZone, contactEmail, archivedAt, createdAt, administrators, invitedAdministrators, groups: [{id, name}]}]}`." },
  refusals: [NOT_SIGNED_IN, NOT_SERVICE_ADMIN],
}), async (c) => {
  await authorize(c, "service.read", { service: true });
  return c.json({ libraries: await libraryRows(database(c.env.DB)) });
});

serviceDirectoryRoutes.post("/service/libraries", documented({
  group: GROUPS.service,
  summary: "Create a library",
  description:
    "Creates a library with the default descriptive codes. Its id appears in its queue's and forms' addresses and never changes. Invite its first administrator next (`POST /api/admin/libraries/:libraryId/invitations` with `role: library_admin`).",
  who: SERVICE_ADMIN,
  body: newLibrarySchema,
  answers: { 201: "`{library}`: the library as `GET /api/admin/service/libraries` lists it." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_SERVICE_ADMIN, BAD_BODY, refusal(409, "duplicate", "A library with this id exists already.", "id")],
}), async (c) => {
  const actor = await authorize(c, "service.manage", { service: true });
  const body = await parseBody(c, newLibrarySchema);
  const db = database(c.env.DB);
  const now = Date.now();
  const taken = () => new ApiError(409, "duplicate", `There is a library with the id "${body.id}" already: choose another.`, "id");
  if (await db.select({ id: libraries.id }).from(libraries).where(eq(libraries.id, body.id)).get()) throw taken();
  try {
    await db.batch([
      ...createLibraryStatements(db, body, now),
      auditStatement(db, actor, { libraryId: body.id, action: "library.created", targetType: "library", targetId: body.id, before: null, after: { ...body } }, now),
    ]);
  } catch (error) {
    // Two creations of one id at the same moment: the primary key lets one through.
    if (isUniqueViolation(error, "libraries.id")) throw taken();
    throw error;
  }
  return c.json({ library: await oneLibraryRow(db, body.id) }, 201);
});

/** Archives or unarchives a library: the data stays either way; only whether it takes new chats changes. */
async function setArchived(c: Context<AppEnv>, archive: boolean) {
  const libraryId = c.req.param("libraryId")!;
  const actor = await authorize(c, "service.manage", { service: true });
  const db = database(c.env.DB);
  const library = await loadLibrary(db, libraryId);
  if ((library.archivedAt !== null) === archive) return c.json({ library: await oneLibraryRow(db, libraryId), changed: false });
  const now = Date.now();
  const archivedAt = archive ? now : null;
  await db.batch([
    db
      .update(libraries)
      .set({ archivedAt })
      .where(and(eq(libraries.id, libraryId), archive ? isNull(libraries.archivedAt) : sql`${libraries.archivedAt} IS NOT NULL`)),
    auditStatement(
      db,
      actor,
      { libraryId, action: archive ? "library.archived" : "library.unarchived", targetType: "library", targetId: libraryId, before: { archivedAt: library.archivedAt }, after: { archivedAt } },
      now,
    ),
  ]);
  return c.json({ library: await oneLibraryRow(db, libraryId), changed: true });
}

serviceDirectoryRoutes.post("/service/libraries/:libraryId/archive", documented({
  group: GROUPS.service,
  summary: "Archive a library",
  description:
    "Archives the library: every record stays (questions, transcripts, settings, accounts, its archive export), but it takes no new chats — its forms answer 410 and its Qwidget hides. Chats already open may finish. Archiving an archived library changes nothing.",
  who: SERVICE_ADMIN,
  params: PARAMS.libraryId,
  answers: { 200: "`{library, changed}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_SERVICE_ADMIN, LIBRARY_UNKNOWN],
}), (c) => setArchived(c, true));

serviceDirectoryRoutes.post("/service/libraries/:libraryId/unarchive", documented({
  group: GROUPS.service,
  summary: "Unarchive a library",
  description: "Brings an archived library back: its forms and Qwidget take chats again. Unarchiving a library that is not archived changes nothing.",
  who: SERVICE_ADMIN,
  params: PARAMS.libraryId,
  answers: { 200: "`{library, changed}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_SERVICE_ADMIN, LIBRARY_UNKNOWN],
}), (c) => setArchived(c, false));

async function groupRows(db: Database, ids?: string[]): Promise<ServiceGroupRow[]> {
  const rows = await db
    .select({ id: groups.id, name: groups.name, createdAt: groups.createdAt })
    .from(groups)
    .where(ids ? inArray(groups.id, ids) : undefined)
    .orderBy(asc(groups.name), asc(groups.id))
    .all();
  const members = await db
    .select({ groupId: groupMembers.groupId, id: libraries.id, name: libraries.name, archivedAt: libraries.archivedAt })
    .from(groupMembers)
    .innerJoin(libraries, eq(libraries.id, groupMembers.libraryId))
    .orderBy(asc(libraries.name))
    .all();
  return rows.map((g) => ({ ...g, members: members.filter((m) => m.groupId === g.id).map((m) => ({ id: m.id, name: m.name, archived: m.archivedAt !== null })) }));
}

async function oneGroupRow(db: Database, id: string): Promise<ServiceGroupRow> {
  const [row] = await groupRows(db, [id]);
  if (!row) throw new ApiError(404, "not_found", "Group not found.");
  return row;
}

serviceDirectoryRoutes.get("/service/groups", documented({
  group: GROUPS.service,
  summary: "Every group",
  description: "Every group (cooperative) of the installation with its member libraries.",
  who: SERVICE_ADMIN,
  answers: { 200: "`{groups: [{id, name, createdAt, members: [{id, name, archived}]}]}`." },
  refusals: [NOT_SIGNED_IN, NOT_SERVICE_ADMIN],
}), async (c) => {
  await authorize(c, "service.read", { service: true });
  return c.json({ groups: await groupRows(database(c.env.DB)) });
});

serviceDirectoryRoutes.post("/service/groups", documented({
  group: GROUPS.service,
  summary: "Create a group",
  description: "Creates a group (a cooperative) with no members yet. Its id appears in its queue's address and never changes.",
  who: SERVICE_ADMIN,
  body: newGroupSchema,
  answers: { 201: "`{group}`: the group as `GET /api/admin/service/groups` lists it." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_SERVICE_ADMIN, BAD_BODY, refusal(409, "duplicate", "A group with this id exists already.", "id")],
}), async (c) => {
  const actor = await authorize(c, "service.manage", { service: true });
  const body = await parseBody(c, newGroupSchema);
  const db = database(c.env.DB);
  const now = Date.now();
  const taken = () => new ApiError(409, "duplicate", `There is a group with the id "${body.id}" already: choose another.`, "id");
  if (await db.select({ id: groups.id }).from(groups).where(eq(groups.id, body.id)).get()) throw taken();
  try {
    await db.batch([
      db.insert(groups).values({ id: body.id, name: body.name, createdAt: now }),
      auditStatement(db, actor, { libraryId: null, groupId: body.id, action: "group.created", targetType: "group", targetId: body.id, before: null, after: { ...body } }, now),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "groups.id")) throw taken();
    throw error;
  }
  return c.json({ group: await oneGroupRow(db, body.id) }, 201);
});

serviceDirectoryRoutes.post("/service/groups/:groupId/members", documented({
  group: GROUPS.service,
  summary: "Add a library to a group",
  description:
    "Makes the library a member of the group at once (group administrators invite instead, and the library accepts). The group comes last in the library's roll-over order, which its administrators can change.",
  who: SERVICE_ADMIN,
  params: PARAMS.groupId,
  body: groupMemberSchema,
  answers: { 201: "`{group}`: the group with its members." },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_SERVICE_ADMIN,
    BAD_BODY,
    GROUP_UNKNOWN,
    refusal(404, "not_found", "No such library.", "libraryId"),
    refusal(409, "duplicate", "The library is a member already.", "libraryId"),
  ],
}), async (c) => {
  const groupId = c.req.param("groupId");
  const actor = await authorize(c, "service.manage", { service: true });
  const body = await parseBody(c, groupMemberSchema);
  const db = database(c.env.DB);
  const group = await loadGroup(db, groupId);
  const library = await db.select({ id: libraries.id, name: libraries.name }).from(libraries).where(eq(libraries.id, body.libraryId)).get();
  if (!library) throw new ApiError(404, "not_found", "There is no library with this id.", "libraryId");
  const already = () => new ApiError(409, "duplicate", `${library.name} is a member of ${group.name} already.`, "libraryId");
  if (await db.select().from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.libraryId, body.libraryId))).get()) throw already();
  const last = await db.select({ position: max(groupMembers.position) }).from(groupMembers).where(eq(groupMembers.libraryId, body.libraryId)).get();
  const position = last?.position === null || last?.position === undefined ? 0 : last.position + 1;
  const now = Date.now();
  try {
    await db.batch([
      db.insert(groupMembers).values({ groupId, libraryId: body.libraryId, position, createdAt: now }),
      auditStatement(db, actor, { libraryId: body.libraryId, groupId, action: "group.member_added", targetType: "group", targetId: groupId, before: null, after: { libraryId: body.libraryId, position } }, now),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw already();
    throw error;
  }
  return c.json({ group: await oneGroupRow(db, groupId) }, 201);
});
