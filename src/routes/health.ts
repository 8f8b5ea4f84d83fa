/**
 * GET /healthz — for uptime monitors: whether D1 answers, the mail queue moves
 * and the daily cron runs. Counts and times only: no secrets, nothing about
 * anyone. 200 when all is well, 503 otherwise (the body says which check).
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { checkHealth } from "../ops/health";
import { anyone } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/healthz", documented({
  group: GROUPS.service,
  summary: "Service health (for uptime monitors)",
  description:
    "Whether D1 answers (and how fast), whether the mail queue moves (no mail waiting over an hour; how many wait, failed, were dead-lettered) and whether the daily cron runs (the last privacy scrub under 26 hours old and finished without error).",
  who: anyone("Anyone (no cookies read)."),
  answers: {
    200: "`{ok: true, checkedAt, d1: {ok, latencyMs}, mail: {ok, waiting, oldestWaitingSeconds, failed, deadLettered}, cron: {ok, lastRunAt, lastRunFinished, lastRunOk}}`, `Cache-Control: no-store`.",
    503: "The same with `ok: false` and the failing check's `ok: false` (`mail` and `cron` are null when D1 does not answer).",
  },
  refusals: [],
}), async (c) => {
  const health = await checkHealth(c.env);
  c.header("Cache-Control", "no-store");
  return c.json(health, health.ok ? 200 : 503);
});
