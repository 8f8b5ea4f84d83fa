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

export const libraryRoutes = new Hono<AppEnv>();

function libraryIdParam(value: string | undefined): string {
  if (!value || !slugSchema.safeParse(value).success) throw notFound("Library");
  return value;
}

libraryRoutes.get("/:libraryId/routing", async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  if (librarian.libraryId !== libraryId && librarian.role !== "service_admin") throw forbidden("These are another library's settings.");
  return c.json({ routing: await loadRoutingSettings(c.env.DB, libraryId) });
});

libraryRoutes.put("/:libraryId/routing", async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "its routing settings");
  const body = await parseBody(c, routingSettingsSchema);
  return c.json({ routing: await saveRoutingSettings(c.env.DB, libraryId, body) });
});

libraryRoutes.get("/:libraryId/invitations", async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "its group memberships");
  return c.json({ invitations: await pendingInvitations(c.env.DB, { libraryId }) });
});
