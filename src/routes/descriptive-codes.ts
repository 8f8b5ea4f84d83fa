/**
 * /api/descriptive-codes — the signed-in librarian's library's descriptive
 * codes: every librarian may read the list; library administrators (and
 * higher) rename, hide, reorder and add.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { requireLibraryAdmin } from "../auth/roles";
import { addCode, libraryCodes, reorderCodes, updateCode } from "../libraries/descriptive-codes";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { parseBody } from "../http/validate";
import { addCodeSchema, descriptiveCodeSchema, reorderCodesSchema, updateCodeSchema, type CodesAdminResponse } from "../shared/questions-api";

export const descriptiveCodeRoutes = new Hono<AppEnv>();

descriptiveCodeRoutes.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    assertSameOrigin(c);
    requireLibraryAdmin(requireLibrarian(c));
  }
  await next();
});

const listOf = async (db: D1Database, libraryId: string): Promise<CodesAdminResponse> => ({ codes: await libraryCodes(db, libraryId) });

descriptiveCodeRoutes.get("/", async (c) => c.json(await listOf(c.env.DB, requireLibrarian(c).libraryId)));

descriptiveCodeRoutes.post("/", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, addCodeSchema);
  const added = await addCode(c.env.DB, librarian.libraryId, body.label, body.code);
  return c.json({ added, ...(await listOf(c.env.DB, librarian.libraryId)) }, 201);
});

// Registered before "/:code" so "order" is not taken for a code.
descriptiveCodeRoutes.put("/order", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, reorderCodesSchema);
  await reorderCodes(c.env.DB, librarian.libraryId, body.codes);
  return c.json(await listOf(c.env.DB, librarian.libraryId));
});

descriptiveCodeRoutes.patch("/:code", async (c) => {
  const librarian = requireLibrarian(c);
  const code = descriptiveCodeSchema.safeParse(c.req.param("code"));
  if (!code.success) throw notFound("Descriptive code");
  const body = await parseBody(c, updateCodeSchema);
  await updateCode(c.env.DB, librarian.libraryId, code.data, body);
  return c.json(await listOf(c.env.DB, librarian.libraryId));
});
