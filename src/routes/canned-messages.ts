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

export const cannedMessageRoutes = new Hono<AppEnv>();

/** Who may edit a library's canned messages. */
export const CANNED_MESSAGE_EDITORS: readonly Librarian["role"][] = ["library_admin"];

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

cannedMessageRoutes.get("/", async (c) => {
  const librarian = requireLibrarian(c);
  const rows = await database(c.env.DB)
    .select(columns)
    .from(cannedMessages)
    .where(eq(cannedMessages.libraryId, librarian.libraryId))
    .orderBy(asc(cannedMessages.position), asc(cannedMessages.id))
    .all();
  return c.json({ cannedMessages: rows });
});

cannedMessageRoutes.post("/", async (c) => {
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

cannedMessageRoutes.patch("/:id", async (c) => {
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

cannedMessageRoutes.delete("/:id", async (c) => {
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
