/**
 * /demo/* — the demo library pages and the pages the tests frame and push
 * (public/demo/). They are for local development and the tests only: the
 * Worker answers them only when the DEMO_PAGES variable is "true", which
 * wrangler.toml never sets (scripts/local-state.mjs passes it to `wrangler
 * dev`). A production deploy therefore serves none of them, and a test page
 * that sends unusual framing headers on purpose never stands on a live host.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { notFound, renderError } from "../http/errors";
import { anyone } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";

/** Where the demo and test pages live, under public/. Nothing else under public/ is only for development. */
export const DEMO_PATH_PREFIX = "/demo/";

/** Whether this Worker serves the demo and test pages (local development and the tests). */
export function demoPagesServed(env: { DEMO_PAGES?: string }): boolean {
  return env.DEMO_PAGES === "true";
}

export const demoPageRoutes = new Hono<AppEnv>();

demoPageRoutes.get(`${DEMO_PATH_PREFIX}:page{.+}`, documentedPage({
  summary: "Demo and test pages (local development only)",
  description: "A demo library page carrying the Qwidget, or a page the tests frame and push, served as static files with the headers public/_headers gives them. Only when the `DEMO_PAGES` variable is `\"true\"` (local development and the tests); otherwise 404.",
  who: anyone("Anyone, where the demo pages are served"),
  answers: { 200: "The page.", 404: "Not served here (production)." },
}), (c) => (demoPagesServed(c.env) ? c.env.ASSETS.fetch(c.req.raw) : renderError(notFound("Page"), c)));
