/**
 * /api/chats/:id/… for chat with viewport and co-browsing, mounted
 * beside `chatRoutes`:
 *
 * - POST /push — the serving librarian pushes a page. The Worker checks the
 *   address (http or https only), runs the framing check against the patron's
 *   page (src/viewport/framing-check.ts), decides where the page opens, and
 *   the session object records the push in the transcript.
 * - GET /cobrowse — the WebSocket a patron's sharing page streams on (frames:
 *   cobrowseClientMessageSchema). Patrons only, from the library's allowed
 *   sites; the patron proves the chat is theirs with its token in `hello`.
 */
import { Hono } from "hono";
import { publicOrigin } from "../admin/lookups";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import { libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { ApiError, forbidden, refusalError } from "../http/errors";
import { assertEmbedAllowed, assertSameOrigin, ownOrigin } from "../http/origins";
import { parseBody } from "../http/validate";
import { chatSession, forwardUpgrade } from "../objects";
import { pushPageSchema } from "../shared/api";
import { webUrl } from "../shared/web-address";
import { checkFraming, privateAddressesAllowed } from "../viewport/framing-check";
import { decidePush, pushLine, viewportPossible } from "../viewport/push";
import { describeSession } from "./chats";
import { anyone, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { EMBED_REFUSED, NOT_SERVING, NOT_SIGNED_IN, NOT_UPGRADE, OTHER_SITE, SESSION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS } from "./openapi/shapes";
import { eq } from "drizzle-orm";

export const viewportRoutes = new Hono<AppEnv>();

viewportRoutes.post("/:id/push", documented({
  group: GROUPS.librarianChats,
  summary: "Push a page to the patron",
  description:
    "Pushes a page to the patron. Before it is recorded the service fetches the page (redirects followed and re-checked, private and loopback addresses never fetched in production) and reads its X-Frame-Options and CSP frame-ancestors against the patron's page: a page that may be framed opens in the patron's viewport, any other in a new window with a line saying why. Recorded as a `push` message in the transcript; a repeated `clientId` is stored once.",
  who: signedIn("The signed-in librarian serving the chat, from Refdesk's own pages."),
  params: PARAMS.sessionId,
  body: pushPageSchema,
  answers: { 201: "`{message, duplicate: false}`.", 200: "`{message, duplicate: true}` for a repeated `clientId`." },
  refusals: [
    NOT_SIGNED_IN,
    OTHER_SITE,
    refusal(400, "validation_failed", "Not an http(s) address (javascript:, data:, file: … are refused), credentials in it, or too long.", "url"),
    SESSION_UNKNOWN,
    NOT_SERVING,
    refusal(409, "session_ended", "The chat has ended."),
    refusal(409, "not_active", "The patron has left the chat."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  assertSameOrigin(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, pushPageSchema);
  const found = await describeSession(c.env, sessionId);
  if (found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian serving this chat can push pages to the patron.");
  if (found.view.status === "ended" || found.view.status === "unavailable") throw new ApiError(409, "session_ended", "This chat has ended.");
  if (found.view.status !== "active") throw new ApiError(409, "not_active", "The patron has left this chat.");
  const stub = chatSession(c.env, sessionId);
  const target = await stub.pushTarget();
  if (!target) throw new ApiError(404, "not_found", "Chat session not found.");
  const url = webUrl(body.url)!;
  const check = viewportPossible(target)
    ? await checkFraming(url, { embedderOrigin: target.patronOrigin ?? publicOrigin(c), allowPrivateAddresses: privateAddressesAllowed(c.env) })
    : null;
  const page = decidePush(url.href, body.title ?? null, target, check);
  const result = await stub.pushPage({ librarianId: librarian.id, clientId: body.clientId, page, body: pushLine(page) });
  if (!result.ok) throw refusalError(result);
  return c.json({ message: result.message, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
});

viewportRoutes.get("/:id/cobrowse", documented({
  group: GROUPS.librarianChats,
  summary: "Co-browse stream socket",
  description:
    "WebSocket a page streams on while the patron shares it (co-browsing frames below). Opened only after the patron agreed on that page; the stream is relayed to the serving librarian only and never stored.",
  who: anyone("The patron's shared page itself (proves itself with the chat token in `hello`), from Refdesk's own origin or a site the library allows; never librarians."),
  kind: "websocket",
  params: PARAMS.sessionId,
  answers: { 101: "Switching Protocols." },
  refusals: [NOT_UPGRADE, SESSION_UNKNOWN, refusal(403, "forbidden", "`as=librarian` (librarians watch on the chat's own socket), or no `Origin` header."), EMBED_REFUSED],
}), async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "bad_frame", "Connect with a WebSocket.");
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  if (c.req.query("as") === "librarian") throw forbidden("Librarians watch co-browsing on the chat's own socket.");
  // The page being shared opens this socket itself; browsers always say where it is.
  const origin = c.req.header("origin");
  if (!origin) throw forbidden("Co-browsing streams from the page being shared, which must say its origin.");
  if (origin !== ownOrigin(c)) {
    const row = await database(c.env.DB).select({ allowedOrigins: libraries.allowedOrigins }).from(libraries).where(eq(libraries.id, found.view.libraryId)).get();
    assertEmbedAllowed(origin, row?.allowedOrigins ?? []);
  }
  return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, { "X-Refdesk-Channel": "cobrowse", "X-Refdesk-Origin": origin });
});
