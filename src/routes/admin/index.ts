/**
 * /api/admin — the administration API. Every route authorises on the server
 * (src/admin/authorize.ts); changes come only from our own pages.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { assertSameOrigin } from "../../http/origins";
import { ownAccountRoutes } from "./account";
import { accountRoutes } from "./accounts";
import { formRoutes } from "./forms";
import { groupRoutes } from "./groups";
import { libraryRoutes } from "./libraries";
import { archiveRoutes } from "./archives";
import { ratingRoutes } from "./ratings";
import { serviceRoutes } from "./service";
import { serviceDirectoryRoutes } from "./service-directory";
import { serviceHealthRoutes } from "./service-health";

export const adminRoutes = new Hono<AppEnv>();

// The cookie is SameSite=Lax and csrf() covers form posts; this also covers
// JSON and image uploads, whatever their content type.
adminRoutes.use(async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") assertSameOrigin(c);
  await next();
});

adminRoutes.route("/", ownAccountRoutes);
adminRoutes.route("/", libraryRoutes);
adminRoutes.route("/", accountRoutes);
adminRoutes.route("/", formRoutes);
adminRoutes.route("/", groupRoutes);
adminRoutes.route("/", serviceRoutes);
adminRoutes.route("/", serviceDirectoryRoutes);
adminRoutes.route("/", serviceHealthRoutes);
adminRoutes.route("/", archiveRoutes);
adminRoutes.route("/", ratingRoutes);
