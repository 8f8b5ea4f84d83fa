/**
 * /api/canned-messages — a library's canned messages ("scripts").
 *
 * Every librarian reads their own library's list (the monitor offers it in the
 * composer); library administrators add, change, reorder and delete entries.
 * Every query is scoped to the signed-in librarian's library, so an id from
 * another library is simply "not found".
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Librarian } from "../auth/librarian";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import { cannedMessages } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { ApiError, forbidden, notFound } from "../http/errors";
import { parseBody } from "../http/validate";
import { cannedMessageInputSchema, cannedMessagePatchSchema } from "../shared/api";
import { LIMITS } from "../shared/limits";
import { LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, refusal } from "./openapi/refusals";

export const cannedMessageRoutes = new Hono<AppEnv>();

/** Who may edit a library's canned messages. */
export const CANNED_MESSAGE_EDITORS: readonly Librarian["role"][] = ["library_admin"];

const EDITOR = signedIn(
  `A signed-in librarian whose role is exactly ${CANNED_MESSAGE_EDITORS.map((r) => `\`${r}\``).join(" or ")} (\`CANNED_MESSAGE_EDITORS\`), for their own library.`,
  CANNED_MESSAGE_EDITORS,
);
const NOT_EDITOR = refusal(403, "forbidden", "Not a library administrator.");
const ID_PARAM = { id: { description: "The canned message's id: a positive whole number (anything else is not found, before the body is read)." } };

function requireEditor(librarian: Librarian): void {
  if (!CANNED_MESSAGE_EDITORS.includes(librarian.role)) throw forbidden("Only a library administrator can change canned messages.");
}

const columns = { id: cannedMessages.id, title: cannedMessages.title, body: cannedMessages.body, position: cannedMessages.position };

/** The message's id from the path; anything but a positive integer is "not found". */
function idParam(raw: string): number {
  const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound("Canned message");
  return id;
}

cannedMessageRoutes.get("/", documented({
  group: GROUPS.cannedMessages,
  summary: "My library's canned messages",
  description: "The librarian's library's canned messages, in order.",
  who: LIBRARIAN,
  answers: { 200: "`{cannedMessages: [{id, title, body, position}]}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const rows = await database(c.env.DB)
    .select(columns)
    .from(cannedMessages)
    .where(eq(cannedMessages.libraryId, librarian.libraryId))
    .orderBy(asc(cannedMessages.position), asc(cannedMessages.id))
    .all();
  return c.json({ cannedMessages: rows });
});

cannedMessageRoutes.post("/", documented({
  group: GROUPS.cannedMessages,
  summary: "Add a canned message",
  description: "Adds a canned message (last, unless `position` is given).",
  who: EDITOR,
  body: cannedMessageInputSchema,
  answers: { 201: "`{cannedMessage: {id, title, body, position}}`." },
  refusals: [NOT_SIGNED_IN, NOT_EDITOR, BAD_BODY, refusal(409, "validation_failed", `The library already keeps ${LIMITS.cannedPerLibrary} canned messages.`)],
}), async (c) => {
  const librarian = requireLibrarian(c);
  requireEditor(librarian);
  const body = await parseBody(c, cannedMessageInputSchema);
  const db = database(c.env.DB);
  const stats = await db
    .select({ n: sql<number>`COUNT(*)`, maxPosition: sql<number | null>`MAX(${cannedMessages.position})` })
    .from(cannedMessages)
    .where(eq(cannedMessages.libraryId, librarian.libraryId))
    .get();
  if ((stats?.n ?? 0) >= LIMITS.cannedPerLibrary) {
    throw new ApiError(409, "validation_failed", `A library keeps at most ${LIMITS.cannedPerLibrary} canned messages; delete one first.`);
  }
  const now = Date.now();
  const created = await db
    .insert(cannedMessages)
    .values({
      libraryId: librarian.libraryId,
      title: body.title,
      body: body.body,
      position: body.position ?? (stats?.maxPosition ?? -1) + 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning(columns)
    .get();
  return c.json({ cannedMessage: created }, 201);
});

cannedMessageRoutes.patch("/:id", documented({
  group: GROUPS.cannedMessages,
  summary: "Change a canned message",
  description: "Changes a canned message's title, body or position (any of them, at least one).",
  who: EDITOR,
  params: ID_PARAM,
  body: cannedMessagePatchSchema,
  answers: { 200: "`{cannedMessage: {id, title, body, position}}`." },
  refusals: [
    NOT_SIGNED_IN,
    NOT_EDITOR,
    refusal(404, "not_found", "The id is not a positive whole number (checked before the body)."),
    BAD_BODY,
    refusal(404, "not_found", "No such canned message in this library."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  requireEditor(librarian);
  const id = idParam(c.req.param("id"));
  const patch = await parseBody(c, cannedMessagePatchSchema);
  const updated = await database(c.env.DB)
    .update(cannedMessages)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(eq(cannedMessages.id, id), eq(cannedMessages.libraryId, librarian.libraryId)))
    .returning(columns)
    .get();
  if (!updated) throw notFound("Canned message");
  return c.json({ cannedMessage: updated });
});

cannedMessageRoutes.delete("/:id", documented({
  group: GROUPS.cannedMessages,
  summary: "Delete a canned message",
  description: "Deletes a canned message.",
  who: EDITOR,
  params: ID_PARAM,
  answers: { 200: "`{deleted: true, id}`." },
  refusals: [NOT_SIGNED_IN, NOT_EDITOR, refusal(404, "not_found", "No such canned message in this library.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  requireEditor(librarian);
  const id = idParam(c.req.param("id"));
  const deleted = await database(c.env.DB)
    .delete(cannedMessages)
    .where(and(eq(cannedMessages.id, id), eq(cannedMessages.libraryId, librarian.libraryId)))
    .returning({ id: cannedMessages.id })
    .get();
  if (!deleted) throw notFound("Canned message");
  return c.json({ deleted: true, id });
});
