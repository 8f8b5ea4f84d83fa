/** /api/admin/scrub-runs — the installation-wide record of privacy scrubs, for service administrators. */
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { authorize } from "../../admin/authorize";
import { database } from "../../db/client";
import { scrubRuns } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { signedIn } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { NOT_SIGNED_IN, refusal } from "../openapi/refusals";

export const serviceRoutes = new Hono<AppEnv>();

serviceRoutes.get("/scrub-runs", documented({
  group: GROUPS.groupAdmin,
  summary: "The installation's privacy scrubs",
  description: "The installation's last 30 privacy scrub runs, newest first.",
  who: signedIn("A `service_admin`.", ["service_admin"]),
  answers: { 200: "`{runs: [{id, scheduledAt, startedAt, finishedAt, librariesChecked, sessionsScrubbed, questionsScrubbed, mailsScrubbed, error}]}`." },
  refusals: [NOT_SIGNED_IN, refusal(403, "forbidden", "Not a service administrator.")],
}), async (c) => {
  await authorize(c, "service.read", { service: true });
  const runs = await database(c.env.DB).select().from(scrubRuns).orderBy(desc(scrubRuns.id)).limit(30).all();
  return c.json({ runs });
});
