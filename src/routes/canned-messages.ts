/**
 * /api/canned-messages — scripts ("canned messages") at three levels: a
 * library's, a cooperative's and a librarian's own (src/shared/scripts.ts).
 *
 * The monitor reads every script the librarian may use; the admin pages read
 * and change one list at a time, import and export it as CSV. Putting a
 * script into a chat fills its placeholders from that chat and counts the use.
 * Every query is scoped to what the signed-in librarian may read, so a script
 * of another library, group or person is simply "not found"; one they may
 * read but not change is refused (403).
 */
import { and, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { requireActor, type Actor } from "../admin/authorize";
import { database } from "../db/client";
import { cannedMessages, libraries } from "../db/schema";
import { assertCanReadSession } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { badRequest, forbidden, notFound } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { parseBody, validate } from "../http/validate";
import { scriptsFromCsv } from "../scripts/csv-import";
import { hoursToday } from "../scripts/hours";
import { addScript, countUse, importScripts, mayWrite, ownerScriptById, ownerScripts, readableScript, refusalFor, scriptsFor, writableScript, type ScriptOwner } from "../scripts/store";
import { scriptImportSchema, scriptInputSchema, scriptListQuerySchema, scriptPatchSchema, scriptUseSchema } from "../shared/script-schemas";
import { fillScript, SCRIPT_LIMITS, scriptsToCsv, type ScriptScope } from "../shared/scripts";
import { describeSession } from "./chats";
import { LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, OTHER_SITE, SESSION_OTHER_LIBRARY, SESSION_UNKNOWN, refusal } from "./openapi/refusals";

export const cannedMessageRoutes = new Hono<AppEnv>();

const SCRIPT = "`{id, scope, groupId, groupName, category, title, body, position, useCount}`";
const EDITOR = signedIn(
  "Who may change the list: for a library's scripts its administrators (`library_admin`/`group_admin` of it, or `service_admin`); for a cooperative's its administrators (`group_admin` of a member, or `service_admin`); for personal scripts their owner (src/scripts/store.ts `mayWrite`). Same origin.",
);
const NOT_EDITOR = refusal(403, "forbidden", "The librarian may read the list but not change it.");
const ID_PARAM = { id: { description: "The script's id: a positive whole number (anything else is not found, before the body is read)." } };

/** The script's id from the path; anything but a positive integer is "not found". */
function idParam(raw: string): number {
  const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound("Canned message");
  return id;
}

/** The list a request names. */
function ownerOf(actor: Actor, scope: ScriptScope, ids: { groupId?: string; libraryId?: string }): ScriptOwner {
  if (scope === "group") return { scope, groupId: ids.groupId ?? "" };
  if (scope === "personal") return { scope, ownerId: actor.id, libraryId: actor.libraryId };
  return { scope, libraryId: ids.libraryId ?? actor.libraryId };
}

function assertMayWrite(actor: Actor, owner: ScriptOwner): void {
  if (!mayWrite(actor, owner)) throw forbidden(refusalFor(owner.scope));
}

/** Changes come only from Refdesk's own pages. */
cannedMessageRoutes.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") assertSameOrigin(c);
  await next();
});

function listQuery(c: Context<AppEnv>) {
  return validate(scriptListQuerySchema, c.req.query());
}

cannedMessageRoutes.get("/", documented({
  group: GROUPS.cannedMessages,
  summary: "Scripts I may use, or one list",
  description:
    "Without `scope`: every script the librarian may put into a chat — their own, their library's and their library's cooperatives' — personal first. With `scope`: that one list, in order (what the admin pages edit).",
  who: signedIn("Any signed-in librarian, for the lists they may read: their library's, their library's cooperatives', their own (administrators also the libraries and groups they administer)."),
  query: scriptListQuerySchema,
  answers: { 200: `\`{cannedMessages: [${SCRIPT}]}\`.` },
  refusals: [NOT_SIGNED_IN, refusal(400, "validation_failed", "`scope` unknown, or `group` without `groupId`.", "`scope` or `groupId`"), refusal(403, "forbidden", "A list the librarian may not read.")],
}), async (c) => {
  const actor = await requireActor(c);
  const q = listQuery(c);
  const list = q.scope ? await ownerScripts(c.env.DB, actor, ownerOf(actor, q.scope, q)) : await scriptsFor(c.env.DB, actor);
  return c.json({ cannedMessages: list });
});

cannedMessageRoutes.get("/export", documented({
  group: GROUPS.cannedMessages,
  summary: "Export a list of scripts as CSV",
  description: "One list of scripts as CSV (RFC 4180; columns category, title, body, with a header row), as a download.",
  who: LIBRARIAN,
  kind: "csv",
  query: scriptListQuerySchema,
  answers: { 200: "`text/csv` with `Content-Disposition: attachment`." },
  refusals: [NOT_SIGNED_IN, refusal(400, "validation_failed", "No `scope`, or `group` without `groupId`.", "`scope` or `groupId`"), refusal(403, "forbidden", "A list the librarian may not read.")],
}), async (c) => {
  const actor = await requireActor(c);
  const q = listQuery(c);
  if (!q.scope) throw badRequest("Choose the list to export: scope", "scope");
  const owner = ownerOf(actor, q.scope, q);
  const csv = scriptsToCsv(await ownerScripts(c.env.DB, actor, owner));
  const name = owner.scope === "group" ? `scripts-${owner.groupId}` : owner.scope === "personal" ? "my-scripts" : `scripts-${owner.libraryId}`;
  return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` });
});

cannedMessageRoutes.post("/", documented({
  group: GROUPS.cannedMessages,
  summary: "Add a script",
  description: "Adds a script to one list (the librarian's library's, unless `scope` says otherwise), last unless `position` is given.",
  who: EDITOR,
  body: scriptInputSchema,
  answers: { 201: `\`{cannedMessage: ${SCRIPT}}\`.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, BAD_BODY, NOT_EDITOR, refusal(409, "validation_failed", `The list already keeps ${SCRIPT_LIMITS.perOwner} scripts.`)],
}), async (c) => {
  const actor = await requireActor(c);
  const body = await parseBody(c, scriptInputSchema);
  const owner = ownerOf(actor, body.scope, body);
  assertMayWrite(actor, owner);
  const created = await addScript(c.env.DB, owner, body);
  return c.json({ cannedMessage: created }, 201);
});

cannedMessageRoutes.post("/import", documented({
  group: GROUPS.cannedMessages,
  summary: "Import scripts from CSV",
  description: "Adds every row of a CSV file (a header row naming `category`, `title` and `body`) to one list, after the scripts already there. All rows or none: the first problem is refused, naming its row.",
  who: EDITOR,
  body: scriptImportSchema,
  bodyBytes: SCRIPT_LIMITS.csvBytes + 4096,
  answers: { 201: `\`{imported, cannedMessages: [${SCRIPT}]}\`: how many were added, and the list now.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    BAD_BODY,
    NOT_EDITOR,
    refusal(400, "validation_failed", "The CSV has no header row naming title and body, no rows, a quote never closed, or a row that breaks a rule (the message names the row).", "csv"),
    refusal(409, "validation_failed", `The list would hold more than ${SCRIPT_LIMITS.perOwner} scripts.`),
  ],
}), async (c) => {
  const actor = await requireActor(c);
  const body = await parseBody(c, scriptImportSchema, SCRIPT_LIMITS.csvBytes + 4096);
  const owner = ownerOf(actor, body.scope, body);
  assertMayWrite(actor, owner);
  const read = scriptsFromCsv(body.csv);
  if (!read.ok) throw badRequest(read.message, "csv");
  const imported = await importScripts(c.env.DB, owner, read.scripts);
  return c.json({ imported, cannedMessages: await ownerScripts(c.env.DB, actor, owner) }, 201);
});

cannedMessageRoutes.patch("/:id", documented({
  group: GROUPS.cannedMessages,
  summary: "Change a script",
  description: "Changes a script's category, title, text or position (any of them, at least one).",
  who: EDITOR,
  params: ID_PARAM,
  body: scriptPatchSchema,
  answers: { 200: `\`{cannedMessage: ${SCRIPT}}\`.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    refusal(404, "not_found", "The id is not a positive whole number (checked before the body)."),
    BAD_BODY,
    refusal(404, "not_found", "No such script among those the librarian may read."),
    NOT_EDITOR,
  ],
}), async (c) => {
  const actor = await requireActor(c);
  const id = idParam(c.req.param("id"));
  const patch = await parseBody(c, scriptPatchSchema);
  const db = database(c.env.DB);
  await writableScript(db, actor, id);
  await db
    .update(cannedMessages)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(cannedMessages.id, id))
    .run();
  return c.json({ cannedMessage: await ownerScriptById(db, id) });
});

cannedMessageRoutes.delete("/:id", documented({
  group: GROUPS.cannedMessages,
  summary: "Delete a script",
  description: "Deletes a script.",
  who: EDITOR,
  params: ID_PARAM,
  answers: { 200: "`{deleted: true, id}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, refusal(404, "not_found", "No such script among those the librarian may read."), NOT_EDITOR],
}), async (c) => {
  const actor = await requireActor(c);
  const id = idParam(c.req.param("id"));
  const db = database(c.env.DB);
  await writableScript(db, actor, id);
  await db.delete(cannedMessages).where(and(eq(cannedMessages.id, id))).run();
  return c.json({ deleted: true, id });
});

cannedMessageRoutes.post("/:id/use", documented({
  group: GROUPS.cannedMessages,
  summary: "Put a script into a chat",
  description:
    "The script's text for one chat, its placeholders filled in — {{patronName}}, {{libraryName}} (the patron's library), {{librarianName}}, {{hoursToday}} (the patron's library's hours today, in its time zone) — and one use counted (`useCount`, for statistics). Nothing is sent: the monitor puts the text in the message box.",
  who: signedIn("A signed-in librarian who may read the script and the chat (of their library, or serving it)."),
  params: ID_PARAM,
  body: scriptUseSchema,
  answers: { 200: "`{text}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, refusal(404, "not_found", "No such script among those the librarian may read."), BAD_BODY, SESSION_UNKNOWN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const actor = await requireActor(c);
  const id = idParam(c.req.param("id"));
  const body = await parseBody(c, scriptUseSchema);
  const db = database(c.env.DB);
  const script = await readableScript(db, actor, id);
  const found = await describeSession(c.env, body.sessionId);
  assertCanReadSession(actor, found.view);
  const library = await db
    .select({ hoursByWeekday: libraries.hoursByWeekday, hoursText: libraries.hoursText, timeZone: libraries.timeZone })
    .from(libraries)
    .where(eq(libraries.id, found.view.libraryId))
    .get();
  const now = Date.now();
  const text = fillScript(script.body, {
    patronName: found.view.patronName && found.view.patronName !== "Patron" ? found.view.patronName : "there",
    libraryName: found.view.libraryName,
    librarianName: actor.displayName,
    hoursToday: library ? hoursToday(library, now) : "",
  });
  await countUse(c.env.DB, id, now);
  return c.json({ text });
});
