/**
 * Generates docs/protocol.md from the zod schemas in src/shared and the route
 * list in scripts/protocol-routes.ts, so the public protocol's documentation
 * cannot drift from what the server checks. `npm run docs` writes the file;
 * test/worker/protocol-docs.test.ts fails if the committed file is stale, and
 * test/worker/protocol-routes.test.ts if the route list and the app differ.
 */
import { z } from "zod";
import { CLOSE_CODES } from "../src/shared/close-codes";
import { COBROWSE_LIMITS } from "../src/shared/cobrowse-limits";
import { LIMITS, TIMING } from "../src/shared/limits";
import {
  cobrowseClientMessageSchema,
  cobrowseServerMessageSchema,
  ERROR_CODES,
  queueClientMessageSchema,
  queueServerMessageSchema,
  sessionClientMessageSchema,
  sessionServerMessageSchema,
} from "../src/shared/protocol";
import { SESSION_COOKIE } from "../src/auth/sign-in";
import { PAGES, ROUTE_GROUPS, type ApiRoute, type RouteError } from "./protocol-routes";

export { PAGES, ROUTES, ROUTE_GROUPS } from "./protocol-routes";

/** JSON on one line, spaced for reading. */
function flatJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(flatJson).join(", ")}]`;
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flatJson(v)}`);
  return entries.length ? `{ ${entries.join(", ")} }` : "{}";
}

/** JSON laid out for reading: a value that fits on one line stays on one line. */
function compactJson(value: unknown, indent = ""): string {
  const flat = flatJson(value);
  if (flat.length + indent.length <= 100 || value === null || typeof value !== "object") return flat;
  const inner = indent + "  ";
  const items = Array.isArray(value)
    ? value.map((v) => inner + compactJson(v, inner))
    : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${items.join(",\n")}\n${indent}${close}`;
}

/** A schema as JSON Schema (draft 2020-12) of what a client sends; the dialect is named once, in the intro. */
function schemaBlock(schema: z.ZodType): string {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return "```json\n" + compactJson(json) + "\n```";
}

function unionMembers(schema: z.ZodType): { type: string; schema: z.ZodType }[] {
  const options = (schema as unknown as { options: z.ZodObject[] }).options;
  return options.map((o) => ({ type: String((o.shape.type as z.ZodLiteral<string>).value), schema: o }));
}

function framesSection(title: string, schema: z.ZodType): string {
  return [`### ${title}`, "", ...unionMembers(schema).flatMap((m) => [`#### \`${m.type}\``, "", schemaBlock(m.schema), ""])].join("\n");
}

/** A table cell: no line breaks, and a pipe would end the cell. */
function cell(text: string): string {
  return text.replaceAll("\n", " ").replaceAll("|", "\\|");
}

function errorTable(errors: RouteError[]): string[] {
  if (errors.length === 0) return ["- **Errors:** none of its own."];
  return [
    "",
    "Errors, in the order the route checks them:",
    "",
    "| Status | Code | Field | When |",
    "| --- | --- | --- | --- |",
    ...errors.map((e) => `| ${e.status} | \`${e.code}\` | ${e.field ? cell(/\s/.test(e.field) ? e.field : `\`${e.field}\``) : ""} | ${cell(e.when)} |`),
  ];
}

function routeSection(r: ApiRoute): string[] {
  const lines = [`#### ${r.method} \`${r.path}\``, "", r.what, "", `- **Who:** ${r.who}`];
  if (r.query) lines.push("- **Query:**", ...Object.entries(r.query).map(([name, meaning]) => `  - \`${name}\`: ${meaning}`));
  if (r.querySchema) lines.push("- **Query:** parameters as this schema (on the wire every value is a string):", "", schemaBlock(r.querySchema), "");
  if (r.bodyNote) lines.push(`- **Body:** ${r.bodyNote}`);
  if (r.body) {
    const limit = r.maxBodyBytes ? ` At most ${r.maxBodyBytes} bytes.` : "";
    lines.push(`- **Body:** JSON (or the same fields form-encoded) as this schema.${limit}`, "", schemaBlock(r.body), "");
  }
  lines.push(`- **Answers:** ${r.answers}`, ...errorTable(r.errors), "");
  return lines;
}

export function protocolMarkdown(): string {
  const apiRoutes = ROUTE_GROUPS.reduce((n, g) => n + g.routes.length, 0);
  const lines: string[] = [
    "# Refdesk public protocol",
    "",
    "Generated from the zod schemas in `src/shared/` and the route list in `scripts/protocol-routes.ts` by `npm run docs` — do not edit by hand.",
    `Everything a library needs to write its own client: every HTTP route (${apiRoutes} API routes, ${PAGES.length} pages and form posts) and every WebSocket message, with fields and errors.`,
    "A test compares the route list with the routes the app really has, both ways.",
    "",
    "## Who is who: sign-in, tokens and origins",
    "",
    `- **Librarians** sign in with \`POST /api/auth/sign-in\` (or the \`/login\` page), which sets the HttpOnly cookie \`${SESSION_COOKIE}\` (\`SameSite=Lax\`, valid ${TIMING.authSessionMs / 3_600_000} hours). Every librarian route reads it; without a live one they answer 401 \`unauthorized\`.`,
    "  Changes that ride on the cookie come only from Refdesk's own pages: on any non-GET request whose `Origin` is another origin (another site, or a sibling subdomain), or whose `Sec-Fetch-Site` is not `same-origin`, a request that carries the cookie is refused with 403 `forbidden`, whatever its route (both sockets refuse librarians from other origins too). A librarian client therefore runs on Refdesk's own origin, or outside a browser (no `Origin` header).",
    "- **The CSRF check, for every client:** a `POST`, `PUT`, `PATCH` or `DELETE` whose `Content-Type` is form-encoded, multipart, `text/plain` — or missing — is refused with 403 `forbidden` (\"Requests from other sites are refused here.\") unless its `Origin` is Refdesk's own (or `Sec-Fetch-Site: same-origin`). So a client outside a browser sends `Content-Type: application/json` on every change, also on those without a body (accept, cancel, join, disable…), and a page on another site posts JSON, never a plain HTML form.",
    "- **Patrons** have no account. `POST /api/chats` answers a `token`: the patron sends it in the `hello` frame on the chat socket and as `Authorization: Bearer <token>` to the patron routes. It is the patron's whole identity; the hosted form carries it in the URL fragment, which browsers never send to a server.",
    "- **Embedding sites** (the Qwidget, or a library's own widget): each library lists the sites allowed to embed its chat (`allowedOrigins` in its settings). The Qwidget's scripts, `GET /api/forms/:formId` and form logos are open to every site. `/api/chats/*` (methods `GET`, `POST`; headers `Content-Type`, `Authorization`) and `/api/embed/*` (`GET`) answer CORS preflights for any origin, never with credentials, and then the route checks `Origin` against the library's list: another site gets 403 `forbidden` with field `origin`, and the answer still carries `Access-Control-Allow-Origin` so that site's developer can read why. A patron socket from another site is checked the same way. Requests without `Origin` (servers, apps) are not cross-origin.",
    "",
    "## Errors",
    "",
    "Every refused HTTP request answers JSON `{ \"error\": { \"code\", \"message\", \"field\"? } }` with a fitting status; `field` names the input at fault.",
    "Every refused WebSocket frame is answered with `{ \"type\": \"error\", \"code\", \"message\", \"field\"? }` and changes nothing.",
    "",
    `Error codes: ${ERROR_CODES.map((c) => `\`${c}\``).join(", ")}.`,
    "",
    `Close codes: ${Object.entries(CLOSE_CODES)
      .map(([k, v]) => `${v} (${k})`)
      .join(", ")}. A client must not reconnect after ${CLOSE_CODES.sessionEnded} or ${CLOSE_CODES.policy}.`,
    "",
    "Bodies, for every route that takes one (not repeated under each route):",
    "",
    "- JSON (`Content-Type: application/json`), or the same fields form-encoded (`application/x-www-form-urlencoded`, as the pages without JavaScript post them — from Refdesk's own origin only, see the CSRF check: every value a string, a repeated name or one ending in `[]` a list). Any other type: 415 `validation_failed`.",
    `- At most ${LIMITS.bodyBytes} bytes unless the route says otherwise: else 413 \`too_large\`. JSON that does not parse: 400 \`bad_json\`.`,
    "- A body that breaks the route's schema: 400 `validation_failed`, `field` the path of the first problem (`title`, `fields.2.label`, `descriptiveCodes.1`).",
    "",
    "A path the app does not have answers 404 `not_found`; a fault on the server's side 500 `internal` (never with details).",
    "",
    "## Limits",
    "",
    ...Object.entries(LIMITS).map(([k, v]) => `- \`${k}\`: ${v}`),
    "",
    "## HTTP API",
    "",
    "Paths are written as the app registers them: `:name` is a path parameter. Who may call each route is the rule the route itself enforces (src/admin/authorize.ts, src/db/tenancy.ts, src/auth/roles.ts).",
    "Bodies, queries and frames are given as JSON Schema (draft 2020-12) of what a client sends.",
    "",
    "| Method | Path | Resource |",
    "| --- | --- | --- |",
    ...ROUTE_GROUPS.flatMap((g) => g.routes.map((r) => `| ${r.method} | \`${r.path}\` | ${g.title} |`)),
    "",
  ];
  for (const g of ROUTE_GROUPS) {
    lines.push(`### ${g.title}`, "", g.intro, "");
    for (const r of g.routes) lines.push(...routeSection(r));
  }
  lines.push(
    "## Pages",
    "",
    "Server-rendered HTML for people, and the plain form posts behind them; they answer pages and redirects, not JSON. A client needs them only to link to.",
    "",
    "| Method | Path | Who | What |",
    "| --- | --- | --- | --- |",
    ...PAGES.map((p) => `| ${p.method} | \`${p.path}\` | ${cell(p.who)} | ${cell(p.what)} |`),
    "",
  );
  lines.push(
    "## WebSockets",
    "",
    `Frames are JSON text, at most ${LIMITS.frameBytes} bytes. Heartbeat: send the text frame \`ping\` every ${TIMING.pingIntervalMs / 1000} s; the server answers \`pong\`.`,
    `A socket silent for ${TIMING.staleSocketMs / 1000} s counts as gone; a monitoring librarian still counts for ${TIMING.presenceGraceMs / 1000} s after their queue socket goes away.`,
    "",
    "### Chat session: resuming without loss",
    "",
    "1. Connect, then send `hello` with the highest `seq` you have shown (0 for none) — patrons include their `token`.",
    "2. The server answers `welcome` (with its `lastSeq`) and then every message after yours, in order.",
    "3. Give each message you send a fresh `clientId` and keep it until `ack` arrives; after a reconnect send unacknowledged messages again with the same `clientId`: the server acknowledges a repeat with its original `seq` (`duplicate: true`) and stores it once.",
    "",
    framesSection("Chat session, client → server", sessionClientMessageSchema),
    framesSection("Chat session, server → client", sessionServerMessageSchema),
    framesSection("Queue, client → server", queueClientMessageSchema),
    framesSection("Queue, server → client", queueServerMessageSchema),
    "### Co-browsing",
    "",
    `The librarian asks with \`cobrowse.request\` on the chat socket; the patron sees a prompt. Agreeing opens the shared page's own socket (\`/api/chats/:id/cobrowse\`): \`hello\` with the token, then \`start\` (the consent). Page events (rrweb's format, input values masked, password, card and PIN fields blocked) go in \`events\` frames of at most ${COBROWSE_LIMITS.frameBytes} bytes, ${COBROWSE_LIMITS.framesPerSecond} frames and ${COBROWSE_LIMITS.bytesPerSecond} bytes a second; the session object checks them, relays them as \`cobrowse.events\` to the serving librarian only, and stores none. A page that goes away may resume (\`start\` with its \`sharingId\`) within ${COBROWSE_LIMITS.resumeMs / 1000} s. The transcript keeps only "co-browsing started/ended" lines.`,
    "",
    framesSection("Co-browse stream, page → server", cobrowseClientMessageSchema),
    framesSection("Co-browse stream, server → page", cobrowseServerMessageSchema),
  );
  return lines.join("\n").trimEnd() + "\n";
}
