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
import { LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { NOT_SIGNED_IN, NOT_UPGRADE, refusal } from "./openapi/refusals";

export const queueRoutes = new Hono<AppEnv>();

queueRoutes.get("/", documented({
  group: GROUPS.queues,
  summary: "The queues I may staff",
  description:
    "The queues this librarian may staff (their library's, then their library's groups' in roll-over order), with how many requests wait and who is monitoring.",
  who: LIBRARIAN,
  answers: { 200: "`{queues: [{id, kind: \"library\"|\"group\", name, waiting, monitors: [{librarianId, name, libraryId, status, reconnecting}]}]}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
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

queueRoutes.get("/:queueId/socket", documented({
  group: GROUPS.queues,
  summary: "Queue socket (monitor a queue)",
  description: "WebSocket: monitor a queue; see the queue frames under WebSockets. Being connected is what counts as monitoring.",
  who: signedIn("A signed-in librarian who may staff the queue, from Refdesk's own pages."),
  kind: "websocket",
  params: { queueId: { description: "The queue's id (`GET /api/queues` lists them)." } },
  answers: { 101: "Switching Protocols." },
  refusals: [NOT_UPGRADE, NOT_SIGNED_IN, refusal(403, "forbidden", "From another site (`Origin`)."), refusal(403, "forbidden", "This librarian does not staff the queue.")],
}), async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "bad_frame", "Connect with a WebSocket.");
  const librarian = requireLibrarian(c);
  assertSameOrigin(c);
  const queueId = c.req.param("queueId");
  const queues = await staffableQueues(database(c.env.DB), librarian);
  if (!queues.some((q) => q.id === queueId)) throw forbidden("You do not staff this queue.");
  return forwardUpgrade(requestQueue(c.env, queueId), c.req.raw, {
    "X-Refdesk-Librarian": JSON.stringify({ id: librarian.id, name: librarian.displayName, libraryId: librarian.libraryId }),
    "X-Refdesk-Queue": queueId,
    "X-Refdesk-Sign-In": librarian.signInKey,
  });
});
