/**
 * Renders docs/protocol.md from the OpenAPI 3.1 document the app serves at
 * GET /api/openapi.json (gathered from the documentation every route declares
 * on itself, src/routes/openapi/describe.ts) and from the WebSocket frame
 * schemas in src/shared/protocol.ts, so the public protocol's documentation
 * cannot drift from what the server checks. `npm run docs` writes the file
 * (scripts/docs.mjs); test/worker/protocol-docs.test.ts fails if the committed
 * file is stale, and test/worker/protocol-routes.test.ts if a route of the app
 * is missing from the document.
 */
import { z } from "zod";
import { CLOSE_CODES } from "../src/shared/close-codes";
import { COBROWSE_LIMITS } from "../src/shared/cobrowse-limits";
import { FRAME_RATES, LIMITS, MESSAGE_RATE, SOCKET_FRAME_RATE, TIMING } from "../src/shared/limits";
import {
  cobrowseClientMessageSchema,
  cobrowseServerMessageSchema,
  ERROR_CODES,
  queueClientMessageSchema,
  queueServerMessageSchema,
  sessionClientMessageSchema,
  sessionServerMessageSchema,
} from "../src/shared/protocol";
import { SESSION_COOKIE } from "../src/auth/session-cookie";

type JsonSchema = Record<string, unknown>;

/** One way a route refuses (the `x-refusals` extension, in the order the route checks). */
interface Refusal {
  status: number;
  code: string;
  field?: string;
  when: string;
}

/** The parts of an OpenAPI operation this page prints (the `x-` extensions are Refdesk's: src/routes/openapi/describe.ts). */
export interface DocumentedOperation {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: { in: string; name: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { description?: string; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  "x-who"?: string;
  "x-kind"?: string;
  "x-refusals"?: Refusal[];
}

/** The parts of the OpenAPI document this page prints. */
export interface ProtocolDocument {
  openapi: string;
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, DocumentedOperation>>;
}

interface Route {
  method: string;
  path: string;
  op: DocumentedOperation;
}

/** The tag pages are filed under (src/routes/openapi/groups.ts). */
const PAGES_TAG = "Pages";

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

/** JSON Schema in a fenced block. */
function jsonBlock(json: unknown): string {
  return "```json\n" + compactJson(json) + "\n```";
}

/** A frame schema as JSON Schema (draft 2020-12) of what a client sends; the dialect is named once, in the intro. */
function schemaBlock(schema: z.ZodType): string {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return jsonBlock(json);
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

function errorTable(refusals: Refusal[]): string[] {
  if (refusals.length === 0) return ["- **Errors:** none of its own."];
  return [
    "",
    "Errors, in the order the route checks them:",
    "",
    "| Status | Code | Field | When |",
    "| --- | --- | --- | --- |",
    ...refusals.map((e) => `| ${e.status} | \`${e.code}\` | ${e.field ? cell(/\s/.test(e.field) ? e.field : `\`${e.field}\``) : ""} | ${cell(e.when)} |`),
  ];
}

/** Every operation in the document, in its order (the order the app registers its routes). */
function routesOf(doc: ProtocolDocument): Route[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

const isErrorBody = (r: { content?: Record<string, { schema?: JsonSchema }> }) => r.content?.["application/json"]?.schema?.$ref === "#/components/schemas/Error";

/** What a route answers when it does not refuse: every response that is not an error body. */
function answersOf(op: DocumentedOperation): [string, string][] {
  return Object.entries(op.responses ?? {})
    .filter(([, r]) => !isErrorBody(r))
    .map(([status, r]) => [status, r.description ?? ""]);
}

const isPlainString = (schema: JsonSchema | undefined) => !schema || (Object.keys(schema).length === 1 && schema.type === "string");

function parameterLines(op: DocumentedOperation, where: "path" | "query", title: string): string[] {
  const params = (op.parameters ?? []).filter((p) => p.in === where);
  if (params.length === 0) return [];
  return [
    `- **${title}:**`,
    ...params.map((p) => {
      const schema = isPlainString(p.schema) ? "" : ` \`${flatJson(p.schema)}\``;
      return `  - \`${p.name}\`${p.required && where === "query" ? " (required)" : ""}${p.description ? `: ${p.description}` : ""}${schema}`;
    }),
  ];
}

function bodyLines(op: DocumentedOperation): string[] {
  const body = op.requestBody;
  if (!body) return [];
  const [type, media] = Object.entries(body.content ?? {})[0] ?? [];
  const schema = media?.schema && Object.keys(media.schema).length > 0 ? media.schema : null;
  const types = Object.keys(body.content ?? {}).map((t) => `\`${t}\``).join(", ");
  const what = type === "application/json" ? body.description : `${body.description} (${types})`;
  return schema ? [`- **Body:** ${what} As this schema:`, "", jsonBlock(schema), ""] : [`- **Body:** ${what}`];
}

function routeSection(r: Route): string[] {
  const { op } = r;
  const answers = answersOf(op);
  // A summary the description only repeats is not printed twice.
  const what = op.description?.replace(/\.$/, "") === op.summary ? op.description : `**${op.summary}.** ${op.description ?? ""}`;
  const lines: string[] = [`#### ${r.method} \`${r.path}\``, "", what ?? "", "", `- **Who:** ${op["x-who"]}`];
  lines.push(...parameterLines(op, "path", "Path"), ...parameterLines(op, "query", "Query"), ...bodyLines(op));
  if (answers.length === 1) lines.push(`- **Answers:** ${answers[0]![0]} ${answers[0]![1]}`);
  else lines.push("- **Answers:**", ...answers.map(([status, text]) => `  - ${status} ${text}`));
  lines.push(...errorTable(op["x-refusals"] ?? []), "");
  return lines;
}

/** A page's answers in one table cell: the page itself goes without saying. */
function pageAnswers(op: DocumentedOperation): string {
  return answersOf(op)
    .filter(([status, text]) => !(status === "200" && text === "The page."))
    .map(([status, text]) => `${status}: ${text}`)
    .join(" ");
}

/** docs/protocol.md from the app's OpenAPI document (GET /api/openapi.json, parsed). */
export function protocolMarkdown(doc: ProtocolDocument): string {
  const groups = (doc.tags ?? []).filter((t) => t.name !== PAGES_TAG);
  const rank = (r: Route) => groups.findIndex((g) => r.op.tags?.includes(g.name));
  const routes = routesOf(doc);
  const pages = routes.filter((r) => r.op.tags?.includes(PAGES_TAG));
  // By resource, and within one in the order the app registers them (a stable sort).
  const api = routes.filter((r) => !r.op.tags?.includes(PAGES_TAG)).sort((a, b) => rank(a) - rank(b));
  const lines: string[] = [
    "# Refdesk public protocol",
    "",
    `Generated by \`npm run docs\` from the OpenAPI ${doc.openapi} document the app serves at \`GET /api/openapi.json\` — which every route builds from its own declaration: what it does, who may call it, the zod schemas it validates with, its answers and refusals — and from the WebSocket frame schemas in \`src/shared/protocol.ts\`. Do not edit by hand.`,
    `Everything a library needs to write its own client: every HTTP route (${api.length} API routes, ${pages.length} pages and form posts) and every WebSocket message, with fields and errors.`,
    "A test fails when a route the app answers is missing from the document, and when this file differs from what the document generates.",
    "",
    "## Who is who: sign-in, tokens and origins",
    "",
    `- **Librarians** sign in with \`POST /api/auth/sign-in\` (or the \`/login\` page), which sets the HttpOnly cookie \`${SESSION_COOKIE}\` (\`SameSite=Lax\`, valid ${TIMING.authSessionMs / 3_600_000} hours). Every librarian route reads it; without a live one they answer 401 \`unauthorized\`.`,
    "  Changes that ride on the cookie come only from Refdesk's own pages: on any non-GET request whose `Origin` is another origin (another site, or a sibling subdomain), or whose `Sec-Fetch-Site` is not `same-origin`, a request that carries the cookie is refused with 403 `forbidden`, whatever its route (both sockets refuse librarians from other origins too). A librarian client therefore runs on Refdesk's own origin, or outside a browser (no `Origin` header).",
    "- **The CSRF check, for every client:** a `POST`, `PUT`, `PATCH` or `DELETE` whose `Content-Type` is form-encoded, multipart, `text/plain` — or missing — is refused with 403 `forbidden` (\"Requests from other sites are refused here.\") unless its `Origin` is Refdesk's own (or `Sec-Fetch-Site: same-origin`). So a client outside a browser sends `Content-Type: application/json` on every change, also on those without a body (accept, cancel, join, disable…), and a page on another site posts JSON, never a plain HTML form.",
    "- **Patrons** have no account. `POST /api/chats` answers a `token`: the patron sends it in the `hello` frame on the chat socket and as `Authorization: Bearer <token>` to the patron routes. It is the patron's whole identity; the hosted form carries it in the URL fragment, which browsers never send to a server.",
    "- **Embedding sites** (the Qwidget, or a library's own widget): each library lists the sites allowed to embed its chat (`allowedOrigins` in its settings). The Qwidget's scripts, `GET /api/forms/{formId}` and form logos are open to every site. `/api/chats/*` (methods `GET`, `POST`; headers `Content-Type`, `Authorization`) and `/api/embed/*` (`GET`) answer CORS preflights for any origin, never with credentials, and then the route checks `Origin` against the library's list: another site gets 403 `forbidden` with field `origin`, and the answer still carries `Access-Control-Allow-Origin` so that site's developer can read why. A patron socket from another site is checked the same way. Requests without `Origin` (servers, apps) are not cross-origin.",
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
      .join(", ")}. A client must not reconnect after ${CLOSE_CODES.sessionEnded}, ${CLOSE_CODES.policy} or ${CLOSE_CODES.accessEnded} (see "Sockets: hello, rates and closing").`,
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
    "Paths are written as in the OpenAPI document: `{name}` is a path parameter. Who may call each route is the rule the route itself enforces (src/admin/authorize.ts, src/db/tenancy.ts, src/auth/roles.ts); the document's `security` names the credential (`librarianCookie`, `patronToken`) and the roles it needs.",
    "Bodies, queries and frames are given as JSON Schema (draft 2020-12) of what a client sends.",
    "",
    "| Method | Path | What | Resource |",
    "| --- | --- | --- | --- |",
    ...api.map((r) => `| ${r.method} | \`${r.path}\` | ${cell(r.op.summary ?? "")} | ${cell(r.op.tags?.[0] ?? "")} |`),
    "",
  ];
  for (const g of groups) {
    lines.push(`### ${g.name}`, "", g.description ?? "", "");
    for (const r of api.filter((a) => a.op.tags?.includes(g.name))) lines.push(...routeSection(r));
  }
  const pagesTag = doc.tags?.find((t) => t.name === PAGES_TAG);
  lines.push(
    "## Pages",
    "",
    pagesTag?.description ?? "",
    "",
    "| Method | Path | Who | What |",
    "| --- | --- | --- | --- |",
    ...pages.map((r) => `| ${r.method} | \`${r.path}\` | ${cell(r.op["x-who"] ?? "")} | ${cell([r.op.description, pageAnswers(r.op)].filter(Boolean).join(" "))} |`),
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
    `4. Keep at most ${MESSAGE_RATE.burst} messages unanswered at once (an \`ack\`, the message coming back, or an \`error\` naming its \`clientId\`), and send the rest as answers come: after a long time offline, a socket's frames past its allowance (below) are dropped without an answer.`,
    "",
    ...socketRules(),
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

/** What every socket client must know beyond the frame shapes: the hello deadline, the rates, and when the server closes. */
function socketRules(): string[] {
  const perAuthor = Object.entries(FRAME_RATES)
    .filter(([type]) => type !== "hello")
    .map(([type, r]) => `\`${type}\` ${r.burst} per ${r.refillMs / 1000} s`);
  return [
    "### Sockets: hello, rates and closing",
    "",
    `- **Hello first.** Every socket — patron, librarian, co-browse page — must send \`hello\` within ${TIMING.helloTimeoutMs / 1000} s of connecting; otherwise it gets \`hello_required\` and is closed with ${CLOSE_CODES.policy}. Any other frame before \`hello\` is answered \`hello_required\` and not read. One socket may say \`hello\` ${FRAME_RATES.hello.burst} times per ${FRAME_RATES.hello.refillMs / 1000} s (counted per socket, so nobody can use up another's).`,
    "- **Your own messages come back.** The sender of a chat message receives its `ack` (with the stored `seq`) *and* the `message` frame, like everyone else in the chat; match them by `clientId`.",
    `- **Chat message rate.** Each author (the patron; each librarian) may send a burst of ${MESSAGE_RATE.burst} messages, refilled evenly over ${MESSAGE_RATE.refillMs / 1000} s, across all of their sockets. A message over it is refused with \`{ "type": "error", "code": "rate_limited", "clientId", "retryAfterMs" }\` and not stored. Send it again after \`retryAfterMs\` with the same \`clientId\`, and keep the messages written after it behind it, so they are stored in the order they were written. A message already stored is acknowledged again whatever the rate.`,
    `- **Other frames' rates**, per author across their sockets: ${perAuthor.join("; ")}. A frame over its allowance is answered \`rate_limited\` with \`retryAfterMs\` (once per run of refusals), is not read and changes nothing.`,
    `- **Any socket** may send a burst of ${SOCKET_FRAME_RATE.burst} frames of any kind (well-formed or not), refilled at ${SOCKET_FRAME_RATE.perSecond} a second (a co-browse page's own socket: ${SOCKET_FRAME_RATE.stream.burst}, refilled at ${SOCKET_FRAME_RATE.stream.perSecond} a second). Frames over it are dropped unread (the first of each ${SOCKET_FRAME_RATE.dropWindowMs / 1000} s answered \`rate_limited\`); after ${SOCKET_FRAME_RATE.closeAfterDropped} dropped within ${SOCKET_FRAME_RATE.dropWindowMs / 1000} s the socket is closed with ${CLOSE_CODES.policy}, and the same author's new sockets are refused (HTTP 429 \`rate_limited\`) for ${SOCKET_FRAME_RATE.cooldownMs / 1000} s.`,
    "- **Who is monitoring** comes whole once — in `queue.snapshot`, and in a `presence` frame when the queue restarts — and then as `presence.changed`: who joined or changed (each in full) and who left (`gone`). Apply each in order to the list you have; a queue with hundreds of monitors does not send the whole list on every change.",
    `- **The queue's preview** of what a waiting patron writes (\`request.updated\`) follows the first line at once, then at most once every ${TIMING.previewRefreshMs / 1000} s with the newest lines: a burst of lines is one update, not one per line.`,
    "- **When the server closes a socket**, and what the client does:",
    `  - ${CLOSE_CODES.normal}: co-browsing ended or moved to another page (stream sockets); the answer to the client's own close. Reconnect only if you still need the socket.`,
    `  - ${CLOSE_CODES.goingAway}: a queue socket silent for ${TIMING.staleSocketMs / 1000} s (no \`ping\`). Reconnect.`,
    `  - ${CLOSE_CODES.policy}: a bad token, not the librarian serving the chat, no hello in time, a socket flooding past its allowance, or the chat was handed back or transferred away from this librarian. Do not reconnect.`,
    `  - ${CLOSE_CODES.internal}: a fault on the server's side while handling a frame (the frame before it says \`internal\`). Reconnect: the session starts afresh from your last \`seq\`.`,
    `  - ${CLOSE_CODES.sessionEnded}: the chat ended — also right after the \`welcome\` and the whole log when a client connects to a chat that has already ended, and for a co-browse page that asks to share on an ended chat. Do not reconnect.`,
    `  - ${CLOSE_CODES.accessEnded}: the librarian's sign-in ended (signed out, signed out everywhere, password changed or reset, role changed, account disabled). Sign in again; open sockets also re-check their sign-in every ${TIMING.accessRecheckMs / 1000} s.`,
    "",
  ];
}
