/** /api/admin/scrub-runs — the installation-wide record of privacy scrubs, for service administrators. */
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { authorize } from "../../admin/authorize";
import { database } from "../../db/client";
import { scrubRuns } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";

export const serviceRoutes = new Hono<AppEnv>();

serviceRoutes.get("/scrub-runs", async (c) => {
  await authorize(c, "service.read", { service: true });
  const runs = await database(c.env.DB).select().from(scrubRuns).orderBy(desc(scrubRuns.id)).limit(30).all();
  return c.json({ runs });
});
