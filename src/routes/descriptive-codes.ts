/**
 * /api/descriptive-codes — the signed-in librarian's library's descriptive
 * codes: every librarian may read the list; library administrators (and
 * higher) rename, hide, reorder and add, and say whether chats end with codes
 * at all (off, optional or required: src/shared/codes-settings.ts).
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { database } from "../db/client";
import { libraries } from "../db/schema";
import { codesModeOf, DESCRIPTIVE_CODES_MODES } from "../shared/codes-settings";
import { requireLibrarian } from "../auth/middleware";
import { requireLibraryAdmin } from "../auth/roles";
import { addCode, libraryCodes, reorderCodes, updateCode } from "../libraries/descriptive-codes";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { parseBody } from "../http/validate";
import { addCodeSchema, codesSettingsSchema, descriptiveCodeSchema, reorderCodesSchema, updateCodeSchema, type CodesAdminResponse } from "../shared/questions-api";
import { LIMITS } from "../shared/limits";
import { LIBRARIAN, OWN_LIBRARY_ADMIN } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_LIBRARY_ADMIN, NOT_SIGNED_IN, OTHER_SITE, refusal } from "./openapi/refusals";
import { CODES_LIST } from "./openapi/shapes";

export const descriptiveCodeRoutes = new Hono<AppEnv>();

descriptiveCodeRoutes.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    assertSameOrigin(c);
    requireLibraryAdmin(requireLibrarian(c));
  }
  await next();
});

const listOf = async (db: D1Database, libraryId: string): Promise<CodesAdminResponse> => ({ codes: await libraryCodes(db, libraryId) });

descriptiveCodeRoutes.get("/", documented({
  group: GROUPS.descriptiveCodes,
  summary: "My library's descriptive codes",
  description: "The library's whole list, hidden codes included.",
  who: LIBRARIAN,
  answers: { 200: `${CODES_LIST}.` },
  refusals: [NOT_SIGNED_IN],
}), async (c) => c.json(await listOf(c.env.DB, requireLibrarian(c).libraryId)));

descriptiveCodeRoutes.post("/", documented({
  group: GROUPS.descriptiveCodes,
  summary: "Add a descriptive code",
  description: "Adds a code at the end of the list; its identifier is made from the label when `code` is left out.",
  who: OWN_LIBRARY_ADMIN,
  body: addCodeSchema,
  answers: { 201: `\`{added: {code, label, active, position}}\` and ${CODES_LIST}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_LIBRARY_ADMIN,
    BAD_BODY,
    refusal(400, "validation_failed", `The library already has ${LIMITS.descriptiveCodesMax} codes.`),
    refusal(409, "duplicate", "The list already has a code with this label (case-insensitive).", "label"),
    refusal(409, "duplicate", "The list already has this code.", "code"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, addCodeSchema);
  const added = await addCode(c.env.DB, librarian.libraryId, body.label, body.code);
  return c.json({ added, ...(await listOf(c.env.DB, librarian.libraryId)) }, 201);
});

descriptiveCodeRoutes.get("/settings", documented({
  group: GROUPS.descriptiveCodes,
  summary: "Whether chats end with descriptive codes",
  description: `The library's setting: ${DESCRIPTIVE_CODES_MODES.map((m) => `\`${m}\``).join(", ")} (the end-of-chat dialog follows it, and ending a chat is refused when its codes break it).`,
  who: LIBRARIAN,
  answers: { 200: "`{mode}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const row = await database(c.env.DB).select({ mode: libraries.descriptiveCodesMode }).from(libraries).where(eq(libraries.id, librarian.libraryId)).get();
  return c.json({ mode: codesModeOf(row?.mode) });
});

// Registered before "/:code": "settings" is not a code.
descriptiveCodeRoutes.put("/settings", documented({
  group: GROUPS.descriptiveCodes,
  summary: "Set whether chats end with descriptive codes",
  description: "Off (no codes), optional (up to 4) or required (1 to 4) at the end of every chat of the library.",
  who: OWN_LIBRARY_ADMIN,
  body: codesSettingsSchema,
  answers: { 200: "`{mode}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_LIBRARY_ADMIN, BAD_BODY],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, codesSettingsSchema);
  await database(c.env.DB).update(libraries).set({ descriptiveCodesMode: body.mode }).where(eq(libraries.id, librarian.libraryId)).run();
  return c.json({ mode: body.mode });
});

// Registered before "/:code" so "order" is not taken for a code.
descriptiveCodeRoutes.put("/order", documented({
  group: GROUPS.descriptiveCodes,
  summary: "Reorder the descriptive codes",
  description: "Puts the codes in a new order; the list must name every code of the library once.",
  who: OWN_LIBRARY_ADMIN,
  body: reorderCodesSchema,
  answers: { 200: `${CODES_LIST}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_LIBRARY_ADMIN,
    BAD_BODY,
    refusal(400, "validation_failed", "A code is not one of the library's.", "codes.N"),
    refusal(400, "validation_failed", "The order leaves a code out.", "codes"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, reorderCodesSchema);
  await reorderCodes(c.env.DB, librarian.libraryId, body.codes);
  return c.json(await listOf(c.env.DB, librarian.libraryId));
});

descriptiveCodeRoutes.patch("/:code", documented({
  group: GROUPS.descriptiveCodes,
  summary: "Rename, hide or show a descriptive code",
  description: "Renames a code, and/or hides or shows it (`active`).",
  who: OWN_LIBRARY_ADMIN,
  params: { code: { description: "The code's identifier.", schema: descriptiveCodeSchema } },
  body: updateCodeSchema,
  answers: { 200: `${CODES_LIST}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_LIBRARY_ADMIN,
    refusal(404, "not_found", "The code in the path is not valid (checked before the body) or not in the library's list (after it)."),
    BAD_BODY,
    refusal(409, "duplicate", "Another code already has this label.", "label"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const code = descriptiveCodeSchema.safeParse(c.req.param("code"));
  if (!code.success) throw notFound("Descriptive code");
  const body = await parseBody(c, updateCodeSchema);
  await updateCode(c.env.DB, librarian.libraryId, code.data, body);
  return c.json(await listOf(c.env.DB, librarian.libraryId));
});
