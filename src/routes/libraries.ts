/**
 * /api/libraries/:libraryId — a library's cooperative settings: routing
 * (roll-over time, overflow mode, group order) and pending group invitations.
 * Read by the library's librarians; changed by its administrators.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { pendingInvitations } from "../coop/groups";
import { assertLibraryAdmin } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { forbidden, notFound } from "../http/errors";
import { parseBody } from "../http/validate";
import { loadRoutingSettings, saveRoutingSettings } from "../libraries/routing-settings";
import { slugSchema } from "../shared/api";
import { routingSettingsSchema } from "../shared/coop-api";
import { COOP_LIBRARY_ADMIN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, COOP_ID_MALFORMED, LIBRARY_UNKNOWN, NOT_COOP_LIBRARY_ADMIN, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { INVITATION, PARAMS } from "./openapi/shapes";

export const libraryRoutes = new Hono<AppEnv>();

const MALFORMED_LIBRARY = COOP_ID_MALFORMED("library");

function libraryIdParam(value: string | undefined): string {
  if (!value || !slugSchema.safeParse(value).success) throw notFound("Library");
  return value;
}

libraryRoutes.get("/:libraryId/routing", documented({
  group: GROUPS.coopLibrary,
  summary: "A library's routing settings",
  description: "The library's routing settings.",
  who: signedIn("A signed-in librarian of this library, or a `service_admin`."),
  params: PARAMS.coopLibraryId,
  answers: { 200: "`{routing: {libraryId, rolloverSeconds, overflowMode, waitLimitSeconds, groups: [{id, name, position}]}}`." },
  refusals: [NOT_SIGNED_IN, MALFORMED_LIBRARY, refusal(403, "forbidden", "Another library's settings."), LIBRARY_UNKNOWN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  if (librarian.libraryId !== libraryId && librarian.role !== "service_admin") throw forbidden("These are another library's settings.");
  return c.json({ routing: await loadRoutingSettings(c.env.DB, libraryId) });
});

libraryRoutes.put("/:libraryId/routing", documented({
  group: GROUPS.coopLibrary,
  summary: "Change a library's routing",
  description: "Changes the roll-over time, the overflow mode and (optionally) the order of the library's groups.",
  who: COOP_LIBRARY_ADMIN,
  params: PARAMS.coopLibraryId,
  body: routingSettingsSchema,
  answers: { 200: "`{routing}` as `GET` answers it." },
  refusals: [
    NOT_SIGNED_IN,
    MALFORMED_LIBRARY,
    NOT_COOP_LIBRARY_ADMIN,
    BAD_BODY,
    LIBRARY_UNKNOWN,
    refusal(400, "validation_failed", "The roll-over time is not shorter than the library's wait limit.", "rolloverSeconds"),
    refusal(400, "validation_failed", "The order does not list each of the library's groups once.", "groupOrder"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "its routing settings");
  const body = await parseBody(c, routingSettingsSchema);
  return c.json({ routing: await saveRoutingSettings(c.env.DB, libraryId, body) });
});

libraryRoutes.get("/:libraryId/invitations", documented({
  group: GROUPS.coopLibrary,
  summary: "A library's invitations to groups",
  description: "Invitations to join groups the library has not accepted yet.",
  who: COOP_LIBRARY_ADMIN,
  params: PARAMS.coopLibraryId,
  answers: { 200: `\`{invitations}\`: each ${INVITATION}.` },
  refusals: [NOT_SIGNED_IN, MALFORMED_LIBRARY, NOT_COOP_LIBRARY_ADMIN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "its group memberships");
  return c.json({ invitations: await pendingInvitations(c.env.DB, { libraryId }) });
});
