/**
 * Generates docs/protocol.md from the zod schemas in src/shared, so the
 * public protocol's documentation cannot drift from what the server checks.
 * `npm run docs` writes the file; test/worker/protocol-docs.test.ts fails if
 * the committed file is stale.
 */
import { z } from "zod";
import { embedQuerySchema, endChatSchema, leaveQuestionSchema, pushPageSchema, ratingSchema, signInSchema, startChatSchema } from "../src/shared/api";
import { COBROWSE_LIMITS } from "../src/shared/cobrowse-limits";
import { CLOSE_CODES } from "../src/shared/close-codes";
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

interface Route {
  method: string;
  path: string;
  who: string;
  what: string;
  body?: z.ZodType;
  answers: string;
}

/** Every public HTTP route. Keep in step with src/routes/*. */
export const ROUTES: Route[] = [
  { method: "POST", path: "/api/chats", who: "anyone (patron); cross-origin only from the library's allowed origins", what: "Ask a question: starts a chat request from a form.", body: startChatSchema, answers: "201 `{sessionId, token, status, chatUrl, socketPath, alternatives}` (`status` is `waiting` or `unavailable`; `alternatives` is set when unavailable). HTML form posts get a 303 redirect to the chat page with the token in the fragment; a refused HTML form post answers an HTML page with the same status (the form again, each problem linked to its field, everything typed kept). 400 validation_failed (field), 404 not_found (formId), 410 form turned off, 403 origin not allowed, 429 rate_limited." },
  { method: "GET", path: "/api/chats/:id/socket", who: "patron (proves itself with the token in `hello`), or `?as=librarian` with the sign-in cookie", what: "WebSocket for one chat session (frames below).", answers: "101; 404 unknown session; 401/403 for librarians who may not open it; 403 for a patron socket from a site the library does not allow." },
  { method: "POST", path: "/api/chats/:id/leave-question", who: "patron, `Authorization: Bearer <token>`", what: "When no librarian is available: leave the question for follow-up by e-mail.", body: leaveQuestionSchema, answers: "200 `{filed, message}`; 401 bad token; 403 from a site the library does not allow; 409 a librarian already answered." },
  { method: "POST", path: "/api/chats/:id/rating", who: "patron, `Authorization: Bearer <token>`; cross-origin only from the library's allowed origins", what: "After a chat with a librarian has ended: rate it (and comment). Rating again replaces the earlier rating.", body: ratingSchema, answers: "200 `{rating: {score, comment}, message}`; 400 validation_failed (field `rating` or `comment`); 401 bad token; 409 not_active before the chat is over or when no librarian answered." },
  { method: "GET", path: "/api/embed/status?form=:formId | ?library=:libraryId", who: "anyone; cross-origin only from the library's allowed origins (the Qwidget loader asks on every page view)", what: "Whether chat is available for this form now (a queue that would take the request is staffed), with the form's fields, the library's name, colours and fallback. `library=` picks the library's own chat form. Query parameters as this schema:", body: embedQuerySchema, answers: "200 `{form: {id, title, intro, fields}, library: {name, brandColor, brandText}, available, waitLimitSeconds, alternatives}` with `Cache-Control: no-store`; 400 validation_failed; 403 forbidden (field `origin`); 404 not_found; 410 form turned off." },
  { method: "GET", path: "/qwidget.js", who: "any site (classic `<script async>`)", what: "The Qwidget loader, a few hundred bytes: reads `data-refdesk-form` or `data-refdesk-library` from its own tag.", answers: "200 JavaScript, `Cache-Control: public, max-age=300, stale-while-revalidate=86400`, CORS `*`." },
  { method: "GET", path: "/qwidget/app.js?v=:hash", who: "the loader (module import)", what: "The whole widget, loaded only when the patron opens it or has a chat to resume.", answers: "200 JavaScript, `Cache-Control: public, max-age=31536000, immutable` when versioned, CORS `*`." },
  { method: "GET", path: "/qwidget/:name-:hash.js", who: "the widget (module import)", what: "A part of the widget loaded only when used: the chat extras (co-browse check, consent prompt, rating), the viewport pane, the co-browse recorder.", answers: "200 JavaScript, `Cache-Control: public, max-age=31536000, immutable`, CORS `*`." },
  { method: "POST", path: "/api/chats/:id/push", who: "the librarian serving the chat, same origin", what: "Push a page to the patron. The service checks the page's X-Frame-Options and CSP frame-ancestors against the patron's page (redirects followed, private addresses never fetched) and records a `push` message: shown in the patron's viewport, or opened in a new window with the reason. A repeated `clientId` is stored once.", body: pushPageSchema, answers: "201 `{message, duplicate: false}` (200 with `duplicate: true` for a repeat); 400 validation_failed (field `url`: only http(s), no credentials); 401; 403 not the serving librarian or another site; 404; 409 session_ended or not_active." },
  { method: "GET", path: "/api/chats/:id/cobrowse", who: "the patron's shared page (proves itself with the token in `hello`), only from the library's allowed sites", what: "WebSocket a sharing page streams on while co-browsing (frames below); opened only after the patron agreed on that page.", answers: "101; 403 from a site the library does not allow, without an Origin, or for librarians; 404 unknown session." },
  { method: "POST", path: "/api/chats/:id/accept", who: "signed-in librarian who staffs a queue the request is in", what: "Accept a waiting request. The first accept wins.", answers: "200 `{session}`; 409 already_taken (with `takenBy`) or session_ended; 403 forbidden; 404 not_found." },
  { method: "POST", path: "/api/chats/:id/end", who: "the librarian serving the chat", what: "End the chat with a resolution code and up to 4 descriptive codes; files the transcript and queues the patron's mail.", body: endChatSchema, answers: "200 `{ended, filed}`; 400 validation_failed (field `resolution` or `descriptiveCodes.N`); 403; 409 not active / already ended with other codes." },
  { method: "GET", path: "/api/chats/:id", who: "librarians of the patron's library, or the serving librarian", what: "The session's state, and the patron's rating once given.", answers: "200 `{session, resolution, filed, rating}` (`rating` is `{score, comment}` or null); 401; 403; 404." },
  { method: "GET", path: "/api/chats/:id/transcript", who: "as above", what: "Every message so far.", answers: "200 `{session, messages}`." },
  { method: "GET", path: "/api/chats/:id/codes", who: "as above", what: "The descriptive codes the session may be ended with (its library's active list).", answers: "200 `{codes: [{code, label}]}`." },
  { method: "GET", path: "/api/queues", who: "signed-in librarian", what: "The queues this librarian may staff, with waiting counts and who is monitoring.", answers: "200 `{queues}`; 401." },
  { method: "GET", path: "/api/queues/:queueId/socket", who: "signed-in librarian who may staff the queue, same origin", what: "WebSocket: monitor a queue (frames below). Being connected is what counts as monitoring.", answers: "101; 401; 403." },
  { method: "GET", path: "/api/me/sessions", who: "signed-in librarian", what: "The chats this librarian is serving (to restore the monitor after a reload).", answers: "200 `{sessions}`." },
  { method: "POST", path: "/api/auth/sign-in", who: "anyone", what: "Librarian sign-in; sets the HttpOnly `refdesk_session` cookie.", body: signInSchema, answers: "200 `{librarian}`; 401 unauthorized; 429 locked after repeated failures." },
  { method: "POST", path: "/api/auth/sign-out", who: "signed-in librarian", what: "Ends the sign-in session.", answers: "200." },
  { method: "GET", path: "/api/auth/me", who: "signed-in librarian", what: "Who is signed in.", answers: "200 `{librarian}`; 401." },
];

function schemaBlock(schema: z.ZodType): string {
  return "```json\n" + JSON.stringify(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), null, 2) + "\n```";
}

function unionMembers(schema: z.ZodType): { type: string; schema: z.ZodType }[] {
  const options = (schema as unknown as { options: z.ZodObject[] }).options;
  return options.map((o) => ({ type: String((o.shape.type as z.ZodLiteral<string>).value), schema: o }));
}

function framesSection(title: string, schema: z.ZodType): string {
  return [`### ${title}`, "", ...unionMembers(schema).flatMap((m) => [`#### \`${m.type}\``, "", schemaBlock(m.schema), ""])].join("\n");
}

export function protocolMarkdown(): string {
  const lines: string[] = [
    "# Refdesk public protocol",
    "",
    "Generated from the zod schemas in `src/shared/` by `npm run docs` — do not edit by hand.",
    "Everything a library needs to write its own client: every HTTP route and every WebSocket message, with fields and errors.",
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
    "## Limits",
    "",
    ...Object.entries(LIMITS).map(([k, v]) => `- \`${k}\`: ${v}`),
    "",
    "## HTTP routes",
    "",
  ];
  for (const r of ROUTES) {
    lines.push(`### ${r.method} \`${r.path}\``, "", r.what, "", `- Who: ${r.who}`, `- Answers: ${r.answers}`, "");
    if (r.body) lines.push("Body (JSON; the hosted form may also post it form-encoded):", "", schemaBlock(r.body), "");
  }
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
    "### Co-browsing",
    "",
    `The librarian asks with \`cobrowse.request\` on the chat socket; the patron sees a prompt. Agreeing opens the shared page's own socket (\`/api/chats/:id/cobrowse\`): \`hello\` with the token, then \`start\` (the consent). Page events (rrweb's format, input values masked, password, card and PIN fields blocked) go in \`events\` frames of at most ${COBROWSE_LIMITS.frameBytes} bytes, ${COBROWSE_LIMITS.framesPerSecond} frames and ${COBROWSE_LIMITS.bytesPerSecond} bytes a second; the session object checks them, relays them as \`cobrowse.events\` to the serving librarian only, and stores none. A page that goes away may resume (\`start\` with its \`sharingId\`) within ${COBROWSE_LIMITS.resumeMs / 1000} s. The transcript keeps only "co-browsing started/ended" lines.`,
    "",
    framesSection("Co-browse stream, page → server", cobrowseClientMessageSchema),
    framesSection("Co-browse stream, server → page", cobrowseServerMessageSchema),
    framesSection("Queue, client → server", queueClientMessageSchema),
    framesSection("Queue, server → client", queueServerMessageSchema),
  );
  return lines.join("\n").trimEnd() + "\n";
}
