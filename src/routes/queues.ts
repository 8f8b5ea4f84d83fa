/**
 * /api/queues — the queues a librarian may staff, and the monitoring socket.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { ApiError, forbidden } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { forwardUpgrade, requestQueue } from "../objects";
import { staffableQueues } from "../queues/staffing";

export const queueRoutes = new Hono<AppEnv>();

queueRoutes.get("/", async (c) => {
  const librarian = requireLibrarian(c);
  const queues = await staffableQueues(database(c.env.DB), librarian);
  const withState = await Promise.all(
    queues.map(async (q) => {
      const snap = await requestQueue(c.env, q.id).snapshot();
      return { ...q, waiting: snap.requests.length, monitors: snap.monitors };
    }),
  );
  return c.json({ queues: withState });
});

queueRoutes.get("/:queueId/socket", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "bad_frame", "Connect with a WebSocket.");
  const librarian = requireLibrarian(c);
  assertSameOrigin(c);
  const queueId = c.req.param("queueId");
  const queues = await staffableQueues(database(c.env.DB), librarian);
  if (!queues.some((q) => q.id === queueId)) throw forbidden("You do not staff this queue.");
  return forwardUpgrade(requestQueue(c.env, queueId), c.req.raw, {
    "X-Refdesk-Librarian": JSON.stringify({ id: librarian.id, name: librarian.displayName, libraryId: librarian.libraryId }),
    "X-Refdesk-Queue": queueId,
  });
});
