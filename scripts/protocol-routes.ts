/**
 * Every HTTP route of the app, as docs/protocol.md documents it: the JSON API
 * (and the Qwidget's scripts) grouped by resource, then the server-rendered
 * pages and their form posts. Bodies and queries are the zod schemas the routes
 * validate with, imported from where the routes import them.
 *
 * test/worker/protocol-routes.test.ts compares this list with `app.routes`
 * both ways, so a route added, renamed or removed without a line here fails.
 * Each entry was written from the route's code: keep it so when you change one.
 */
import type { z } from "zod";
import { TRANSCRIPT_PLACEHOLDERS } from "../src/mail/transcript-mail";
import { POLICY_LIMITS } from "../src/policies/sections";
import { LOCKOUT_MS, MAX_FAILED_SIGN_INS, SESSION_COOKIE } from "../src/auth/sign-in";
import { LOADER_CACHE, VERSIONED_CACHE } from "../src/http/script-cache";
import { CONTRIBUTION_MAX_DAYS } from "../src/routes/groups";
import { SCRUB_HISTORY } from "../src/routes/admin/libraries";
import { AUDIT_PAGE_SIZE } from "../src/admin/audit";
import { LOGO_RULES, ROLE_ORDER } from "../src/shared/admin-limits";
import {
  changePasswordSchema,
  formSettingsSchema,
  inviteSchema,
  librarySettingsSchema,
  newFormSchema,
  roleChangeSchema,
} from "../src/shared/admin-api";
import {
  cannedMessageInputSchema,
  cannedMessagePatchSchema,
  embedQuerySchema,
  endChatSchema,
  leaveQuestionSchema,
  pushPageSchema,
  ratingSchema,
  signInSchema,
  startChatSchema,
  transferChatSchema,
} from "../src/shared/api";
import {
  createGroupSchema,
  feedbackSchema,
  groupPageSchema,
  inviteLibrarySchema,
  policyPageSchema,
  routingSettingsSchema,
  scheduleSchema,
} from "../src/shared/coop-api";
import { LIMITS, RATING, TIMING } from "../src/shared/limits";
import type { ErrorCode } from "../src/shared/protocol";
import {
  addCodeSchema,
  answerSchema,
  noteSchema,
  questionCodesSchema,
  questionListQuerySchema,
  reorderCodesSchema,
  resendMailSchema,
  transitionSchema,
  updateCodeSchema,
} from "../src/shared/questions-api";

/** One way a route refuses: status, error code, the `field` it names (if any), and when. */
export interface RouteError {
  status: number;
  code: ErrorCode;
  field?: string;
  when: string;
}

/** One JSON API route (or a Qwidget script), as a client needs to know it. */
export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Exactly as the app registers it (`:name` for path parameters). */
  path: string;
  who: string;
  what: string;
  /** Query parameters validated by a schema… */
  querySchema?: z.ZodType;
  /** …or read by hand: name → meaning. */
  query?: Record<string, string>;
  /** The JSON body the route validates. */
  body?: z.ZodType;
  /** A body that is not JSON (an image), or something to add about the body. */
  bodyNote?: string;
  /** When the route raises the body limit above LIMITS.bodyBytes. */
  maxBodyBytes?: number;
  /** The success answer: status and shape. */
  answers: string;
  /** Refusals, in the order the route checks them. */
  errors: RouteError[];
}

export interface RouteGroup {
  title: string;
  intro: string;
  routes: ApiRoute[];
}

/** A server-rendered page or the form post behind it. */
export interface PageRoute {
  method: "GET" | "POST";
  path: string;
  who: string;
  what: string;
}

const err = (status: number, code: ErrorCode, when: string, field?: string): RouteError => (field ? { status, code, field, when } : { status, code, when });

// ---- refusals many routes share ------------------------------------------------------

const NOT_SIGNED_IN = err(401, "unauthorized", "Not signed in (no cookie, or its sign-in session expired, was revoked or the account disabled).");
const BAD_BODY = err(400, "validation_failed", "The body breaks the schema; the first problem is reported.", "the path of the input at fault");
const BAD_QUERY = err(400, "validation_failed", "A query parameter breaks the schema; the first problem is reported.", "the parameter's name");
const OTHER_SITE = err(403, "forbidden", "The `Origin` header names another site (changes ride on the cookie, so only Refdesk's own pages may make them).");
const EMBED_REFUSED = err(403, "forbidden", "Sent from a site (`Origin`) the library has not allowed to embed its chat. The answer still carries `Access-Control-Allow-Origin`, so the site's developer can read why.", "origin");
const NOT_UPGRADE = err(426, "bad_frame", "The request is not a WebSocket upgrade.");

const SESSION_UNKNOWN = err(404, "not_found", "No such chat session (also for an id that is not a session id).");
const SESSION_OTHER_LIBRARY = err(403, "forbidden", "The chat is another library's and this librarian is not serving it.");
const NO_BEARER = err(401, "unauthorized", "No `Authorization: Bearer <token>` header.");
const BAD_TOKEN = err(401, "unauthorized", "The token is not this chat's.");

const QUESTION_UNKNOWN = err(404, "not_found", "No such question — also for one this librarian may not see (answered exactly alike, and the refusal is logged).");
const QUESTION_HOME_ONLY = err(403, "forbidden", "A cooperative librarian (not of the question's library) asks for what only the home library may do.");
const QUESTION_CHANGED = err(409, "invalid_transition", "The question changed meanwhile (another librarian acted first); nothing was changed.");

const NOT_ADMIN_OF_LIBRARY = err(403, "forbidden", "The actor does not administer this library (see Who).");
const NOT_ADMIN_OF_GROUP = err(403, "forbidden", "The actor does not administer this group.");
const LIBRARY_UNKNOWN = err(404, "not_found", "No such library.");
const GROUP_UNKNOWN = err(404, "not_found", "No such group.");
const FORM_UNKNOWN = err(404, "not_found", "No such form.");
const ACCOUNT_UNKNOWN = err(404, "not_found", "No such account in this library.");
const NOT_MANAGEABLE = err(403, "forbidden", "The account is the actor's own, or its role is above the actor's.", "librarianId");
const NOT_FORM_ADMIN = err(403, "forbidden", "The actor administers neither the form's library nor its group.");

const COOP_ID_MALFORMED = (what: string) => err(404, "not_found", `The ${what} id in the path is not a valid id.`);
const NOT_COOP_LIBRARY_ADMIN = err(403, "forbidden", "Not a library_admin of this library nor a service_admin.");
const NOT_GROUP_MEMBER = err(403, "forbidden", "The librarian's library is not a member of the group (and they are not a service_admin).");
const NOT_GROUP_ADMIN = err(403, "forbidden", "Not a group_admin of a member library nor a service_admin.");

// ---- who may call: the rules, each worded once ----------------------------------------

const ANYONE = "Anyone; no sign-in.";
const PATRON = "The patron of this chat: `Authorization: Bearer <token>` with the token `POST /api/chats` answered. Cross-origin only from the library's allowed sites.";
const LIBRARIAN = "Any signed-in librarian.";
const SESSION_READER = "A signed-in librarian of the chat's library, or the librarian serving it (a partner library's, in cooperative service).";
const ADMIN_OF_LIBRARY = "A `library_admin` or `group_admin` of this library, or any `service_admin` (src/admin/authorize.ts).";
const ADMIN_OF_GROUP = "A `group_admin` of one of the group's member libraries, or any `service_admin`.";
const ADMIN_OF_FORM = "An administrator of the form's library (`library_admin`/`group_admin` of it, or `service_admin`) or of its group (`group_admin` of a member, or `service_admin`).";
const MANAGER_OF_ACCOUNT = `${ADMIN_OF_LIBRARY} Never on their own account, nor on an account whose role is above theirs (roles, least first: ${ROLE_ORDER.map((r) => `\`${r}\``).join(", ")}).`;
const COOP_LIBRARY_ADMIN = "A `library_admin` of this library, or any `service_admin` (src/db/tenancy.ts `isLibraryAdmin`; a `group_admin` is refused here).";
const GROUP_MEMBER = "A signed-in librarian of a member library, or a `service_admin`.";
const GROUP_ADMIN = "A `group_admin` of a member library, or a `service_admin` (src/db/tenancy.ts `assertGroupAdmin`).";
const OWN_LIBRARY_ADMIN = "A signed-in `library_admin` or higher role, for their own library (src/auth/roles.ts); same origin.";

// ---- shapes many answers share -------------------------------------------------------

const SESSION_VIEW = "`session` is a session view as in the `status` frame below (`id, status, libraryId, libraryName, question, patronName, librarian, createdAt, acceptedAt, endedAt, transfer`)";
const QUESTION_DETAIL =
  "`QuestionDetail` (src/shared/questions-api.ts): `{question, patron, session, events, notes, mails, viewer, colleagues, codeChoices}` — `question` a summary (`id, status, source, question, patronName, patronEmail, libraryId, libraryName, createdAt, updatedAt, assignee, chattedWith, resolution, descriptiveCodes, hidden, excludeFromStats, failedMails`), `session` the chat with its transcript (or null for an e-mailed question), `viewer` what this librarian may do now (`home, actions, canAnswer, answerBlocked, canEditCodes`)";
const ACCOUNT = "an account `{id, libraryId, email, displayName, role, status: \"active\"|\"invited\"|\"disabled\", disabledAt, lockedUntil, createdAt}`";
const FORM_ROW =
  "a form `{id, libraryId, groupId, queueId, title, intro, fields, chatMethod, brandColor, logoUrl, enabled, createdAt, formUrl, embedCode}` (`embedCode` is the one-line Qwidget `<script>`)";
const AUDIT_PAGE = `\`{entries: [{id, libraryId, groupId, actorId, actorName, action, targetType, targetId, before, after, createdAt}], nextBefore}\`, newest first, ${AUDIT_PAGE_SIZE} a page; \`nextBefore\` (or null on the last page) continues as \`?before=\``;
const AUDIT_QUERY = { before: "An entry id: only older entries. Anything but a positive number is ignored (the first page)." };
const INVITATION = "`{id, groupId, groupName, libraryId, libraryName, createdAt}`";
const SHIFT = "`{id, libraryId, libraryName, timeZone, weekday, startMinute, endMinute, endsNextDay, label, start, end}`";
const COVERAGE = "`{groupId, now, timeZone, current, next}`, `current`/`next` being `{libraryId, libraryName, startsAt, endsAt, rule, local}` or null";
const FEEDBACK_ENTRY = "`{id, sessionId, question, homeLibraryName, answeringLibraryName, answeringLibrarianName, rating, comment, createdAt}`";
const CODES_LIST = "`{codes: [{code, label, active, position}]}`, the library's whole list in order";

export const ROUTE_GROUPS: RouteGroup[] = [
  {
    title: "Librarian sign-in",
    intro: `Librarians sign in once; the HttpOnly \`${SESSION_COOKIE}\` cookie then identifies them on every librarian route.`,
    routes: [
      {
        method: "POST",
        path: "/api/auth/sign-in",
        who: ANYONE,
        what: "Signs a librarian in and sets the cookie (`HttpOnly`, `SameSite=Lax`, `Secure` over https) for the sign-in session. `next` is ignored here (the HTML form at `/login` uses it).",
        body: signInSchema,
        answers: "200 `{librarian: {id, libraryId, libraryName, displayName, email, role}}`.",
        errors: [
          BAD_BODY,
          err(401, "unauthorized", "Wrong e-mail or password, or the account is disabled (the message says which)."),
          err(429, "rate_limited", `The account is locked: ${MAX_FAILED_SIGN_INS} wrong passwords in a row lock it for ${LOCKOUT_MS / 60000} minutes.`),
        ],
      },
      {
        method: "POST",
        path: "/api/auth/sign-out",
        who: "Anyone (ends the cookie's sign-in session, if there is one).",
        what: "Ends the sign-in session and clears the cookie.",
        answers: "200 `{signedOut: true}`.",
        errors: [],
      },
      {
        method: "GET",
        path: "/api/auth/me",
        who: LIBRARIAN,
        what: "Who is signed in.",
        answers: "200 `{librarian: {id, libraryId, libraryName, displayName, email, role}}`.",
        errors: [NOT_SIGNED_IN],
      },
    ],
  },
  {
    title: "Chats: the patron's side",
    intro: "A patron asks from a form, chats over the session socket, and may leave the question by e-mail or rate the chat. Patrons have no account: the token answered when they asked is their proof.",
    routes: [
      {
        method: "POST",
        path: "/api/chats",
        who: "Anyone (a patron). From another site only when the library allows that site (its allowed embedding origins).",
        what:
          "Asks a question: starts a chat request from a form. A JSON body answers JSON. The hosted form posts the same fields form-encoded (extra answers as `field:<id>`) and gets HTML: a 303 redirect to the chat page with the token in the fragment, or the form again with every problem at its field and everything typed kept (400/429), or a page saying the form is missing (404) or turned off (410).",
        body: startChatSchema,
        answers:
          "201 `{sessionId, token, status, chatUrl, socketPath, alternatives}`: `status` is `waiting` (librarians see the request now) or `unavailable` (nobody is monitoring a queue that would take it; `alternatives` then holds the library's other ways to get help `{message, email, phone, hours, links}`, else null). Keep `token`: it opens the socket and the patron routes below.",
        errors: [
          BAD_BODY,
          err(404, "not_found", "No such form.", "formId"),
          err(410, "not_found", "The form is turned off.", "formId"),
          EMBED_REFUSED,
          err(429, "rate_limited", "Too many chat requests from this network address lately (the PATRON_RATE_LIMIT binding)."),
          err(400, "validation_failed", "An answer the form itself requires is missing, or an answer does not fit its field (unknown option, unknown field).", "`name`, `email` or `fields.<id>`"),
        ],
      },
      {
        method: "GET",
        path: "/api/chats/:id/socket",
        who: "The patron (proves itself with its token in the `hello` frame; cross-origin only from the library's allowed sites), or with `?as=librarian` a signed-in librarian from Refdesk's own pages: of the chat's library, or serving the chat.",
        what: "WebSocket for one chat session; see the chat session frames under WebSockets.",
        query: { as: "`librarian` to connect as the signed-in librarian; leave it out for the patron." },
        answers: "101 Switching Protocols.",
        errors: [
          NOT_UPGRADE,
          SESSION_UNKNOWN,
          err(401, "unauthorized", "`as=librarian` and not signed in."),
          err(403, "forbidden", "`as=librarian` from another site (`Origin`)."),
          err(403, "forbidden", "`as=librarian` for a chat of another library this librarian is not serving."),
          err(403, "forbidden", "A patron socket from a site the library does not allow (no CORS on an upgrade: the check is on `Origin`).", "origin"),
        ],
      },
      {
        method: "POST",
        path: "/api/chats/:id/leave-question",
        who: PATRON,
        what: "When no librarian is available (or none has answered yet): leave the question for follow-up by e-mail. Ends the chat; the question is filed with the library, resolution `followup_by_library`.",
        body: leaveQuestionSchema,
        answers: "200 `{filed: true, message}`.",
        errors: [NO_BEARER, BAD_BODY, SESSION_UNKNOWN, EMBED_REFUSED, BAD_TOKEN, err(409, "not_active", "A librarian has answered, or the chat is over.")],
      },
      {
        method: "POST",
        path: "/api/chats/:id/rating",
        who: PATRON,
        what: `After a chat with a librarian has ended: rate it from ${RATING.lowest} to ${RATING.highest}, with an optional comment. Rating again replaces the earlier rating.`,
        body: ratingSchema,
        answers: "200 `{rating: {score, comment}, message}`.",
        errors: [
          NO_BEARER,
          err(400, "validation_failed", "The body breaks the schema.", "`rating` or `comment`"),
          SESSION_UNKNOWN,
          EMBED_REFUSED,
          BAD_TOKEN,
          err(409, "not_active", "The chat is not over yet, or no librarian ever answered it."),
        ],
      },
    ],
  },
  {
    title: "The Qwidget and embedding",
    intro:
      "What a library page that embeds chat reads. The two scripts and the form data are served to any site (`Access-Control-Allow-Origin: *`, no cookies read); the status answers only sites the library allows.",
    routes: [
      {
        method: "GET",
        path: "/qwidget.js",
        who: "Any site (a classic `<script async>`).",
        what: "The Qwidget loader, a few hundred bytes: reads `data-refdesk-form` or `data-refdesk-library` from its own tag, asks the status below, and loads the widget only when the patron opens it or has a chat to resume.",
        answers: `200 JavaScript, \`Cache-Control: ${LOADER_CACHE}\`, CORS \`*\`, \`Cross-Origin-Resource-Policy: cross-origin\`, an \`ETag\`; 304 for a matching \`If-None-Match\`; 503 (a script that only warns in the console, \`no-store\`) when the front ends are not built.`,
        errors: [],
      },
      {
        method: "GET",
        path: "/qwidget/app.js",
        who: "The loader (a module import), from any site.",
        what: "The whole widget.",
        query: { v: "The bundle's content hash. With it the answer is cached for good; without it, like the loader." },
        answers: `200 JavaScript, \`Cache-Control: ${VERSIONED_CACHE}\` when versioned (else as the loader), CORS \`*\`; 304 and 503 as for the loader.`,
        errors: [],
      },
      {
        method: "GET",
        path: "/qwidget/:chunk",
        who: "The widget (a module import), from any site.",
        what: "A part of the widget loaded only when it is used — the chat extras (co-browse check, consent prompt, rating), the viewport pane, the co-browse recorder — named by content hash (`<name>-<hash>.js`). Any other name falls through to 404.",
        answers: `200 JavaScript, \`Cache-Control: ${VERSIONED_CACHE}\`, CORS \`*\`; 304 and 503 as for the loader.`,
        errors: [],
      },
      {
        method: "GET",
        path: "/api/embed/status",
        who: "Anyone. From another site only when the library allows it; the loader asks on every page view.",
        what: "Whether chat is available for this form now (a queue that would take the request has a librarian monitoring it), with the form's fields, the library's name and colours, and its fallback. `library=` picks the library's own chat form (its oldest enabled form feeding the library's queue).",
        querySchema: embedQuerySchema,
        answers:
          "200 `{form: {id, title, intro, fields}, library: {name, brandColor, brandText}, available, waitLimitSeconds, alternatives}` with `Cache-Control: no-store`.",
        errors: [
          err(400, "validation_failed", "Neither or both of `form` and `library`, or not a valid id.", "`form` or `library`"),
          err(404, "not_found", "No such form.", "form"),
          err(404, "not_found", "The library has no enabled chat form of its own.", "library"),
          EMBED_REFUSED,
          err(410, "not_found", "The form is turned off.", "form"),
        ],
      },
      {
        method: "GET",
        path: "/api/forms/:formId",
        who: "Anyone, from any site (`Access-Control-Allow-Origin: *`; no cookies read).",
        what: "A form's public data: what an embedding page needs to show it its own way.",
        answers:
          "200 `{form: {id, title, libraryName, enabled, formUrl, …}}` with `Cache-Control: no-store`. An enabled form adds `intro, fields, chatMethod, brandColor, logoUrl, staffed, alternatives` (`staffed`: someone is monitoring the form's own queue); a turned-off one adds `message` and `alternatives` instead.",
        errors: [err(404, "not_found", "No such form.")],
      },
      {
        method: "GET",
        path: "/f/:formId/logo",
        who: "Anyone, from any site (`Cross-Origin-Resource-Policy: cross-origin`).",
        what: "A form's logo, as uploaded (the `logoUrl` of the form data).",
        answers: "200 the image, its `Content-Type` the one recognised from its bytes at upload, `Cache-Control: public, max-age=300`, an `ETag`, a sandboxing `Content-Security-Policy`.",
        errors: [err(404, "not_found", "The form has no logo (or does not exist).")],
      },
    ],
  },
  {
    title: "Chats: the librarian's side",
    intro: "Accepting, reading, transferring and ending chats. Chatting itself happens on the session socket (`?as=librarian`).",
    routes: [
      {
        method: "GET",
        path: "/api/chats/:id",
        who: SESSION_READER,
        what: "The session's state, its resolution and whether it is filed, and the patron's rating once given.",
        answers: `200 \`{session, resolution, filed, rating}\`: ${SESSION_VIEW}; \`rating\` is \`{score, comment}\` or null.`,
        errors: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
      },
      {
        method: "GET",
        path: "/api/chats/:id/transcript",
        who: SESSION_READER,
        what: "Every message so far.",
        answers: `200 \`{session, messages}\`: ${SESSION_VIEW}; \`messages\` as in the \`message\` frame, in \`seq\` order.`,
        errors: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
      },
      {
        method: "POST",
        path: "/api/chats/:id/accept",
        who: "A signed-in librarian who staffs a queue the request is in (their library's queue, or a group queue of their library's groups).",
        what: "Accepts a waiting request, or a transfer offered to this librarian or their queue. The first accept wins; everyone else is told it is taken.",
        answers: `200 \`{session}\`: ${SESSION_VIEW}.`,
        errors: [
          NOT_SIGNED_IN,
          SESSION_UNKNOWN,
          err(403, "forbidden", "The request is in none of the queues this librarian staffs."),
          err(409, "session_ended", "The chat has ended, or the patron is no longer waiting."),
          err(409, "already_taken", "Another librarian accepted first. The error object also carries `takenBy` (their name)."),
          err(409, "not_active", "This librarian is the one transferring the chat (cancel the transfer to keep it)."),
        ],
      },
      {
        method: "GET",
        path: "/api/chats/:id/codes",
        who: SESSION_READER,
        what: "The descriptive codes the chat may be ended with: its home library's active list, in order.",
        answers: "200 `{codes: [{code, label}]}`.",
        errors: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
      },
      {
        method: "POST",
        path: "/api/chats/:id/end",
        who: "The signed-in librarian serving the chat.",
        what: "Ends the chat with a resolution code and up to 4 descriptive codes: files the transcript as a question of the patron's library, and queues the patron's transcript mail. The same end twice changes nothing and answers the same.",
        body: endChatSchema,
        answers: "200 `{ended: true, filed}`.",
        errors: [
          NOT_SIGNED_IN,
          err(400, "validation_failed", "The body breaks the schema.", "`resolution`, `descriptiveCodes` or `note`"),
          SESSION_UNKNOWN,
          err(403, "forbidden", "This librarian is not serving the chat."),
          err(400, "validation_failed", "A descriptive code is not an active code of the chat's library.", "descriptiveCodes.N"),
          err(409, "session_ended", "The chat was already ended with other codes."),
          err(409, "not_active", "The chat is not in progress (still waiting, or never answered)."),
        ],
      },
      {
        method: "POST",
        path: "/api/chats/:id/push",
        who: "The signed-in librarian serving the chat, from Refdesk's own pages.",
        what: "Pushes a page to the patron. Before it is recorded the service fetches the page (redirects followed and re-checked, private and loopback addresses never fetched in production) and reads its X-Frame-Options and CSP frame-ancestors against the patron's page: a page that may be framed opens in the patron's viewport, any other in a new window with a line saying why. Recorded as a `push` message in the transcript; a repeated `clientId` is stored once.",
        body: pushPageSchema,
        answers: "201 `{message, duplicate: false}`; 200 `{message, duplicate: true}` for a repeated `clientId`.",
        errors: [
          NOT_SIGNED_IN,
          OTHER_SITE,
          err(400, "validation_failed", "Not an http(s) address (javascript:, data:, file: … are refused), credentials in it, or too long.", "url"),
          SESSION_UNKNOWN,
          err(403, "forbidden", "This librarian is not serving the chat."),
          err(409, "session_ended", "The chat has ended."),
          err(409, "not_active", "The patron has left the chat."),
        ],
      },
      {
        method: "GET",
        path: "/api/chats/:id/cobrowse",
        who: "The patron's shared page itself (proves itself with the chat token in `hello`), from Refdesk's own origin or a site the library allows; never librarians.",
        what: "WebSocket a page streams on while the patron shares it (co-browsing frames below). Opened only after the patron agreed on that page; the stream is relayed to the serving librarian only and never stored.",
        answers: "101 Switching Protocols.",
        errors: [
          NOT_UPGRADE,
          SESSION_UNKNOWN,
          err(403, "forbidden", "`as=librarian` (librarians watch on the chat's own socket), or no `Origin` header."),
          EMBED_REFUSED,
        ],
      },
      {
        method: "GET",
        path: "/api/chats/:id/details",
        who: SESSION_READER,
        what: "What the monitor shows about the patron: their answers to the form, where they asked from, and their earlier chats at the same library (by e-mail; only chats this librarian may read).",
        answers: `200 \`{patron: {name, email, answers: [{id, label, value}]}, library: {id, name, policiesUrl}, form: {id, title} | null, referrer, browser, userAgent, createdAt, earlierSessions: [{id, question, status, resolution, librarianName, createdAt}]}\` (at most ${LIMITS.earlierSessions} earlier sessions, newest first).`,
        errors: [NOT_SIGNED_IN, SESSION_UNKNOWN, SESSION_OTHER_LIBRARY],
      },
      {
        method: "GET",
        path: "/api/chats/:id/notes",
        who: SESSION_READER,
        what: "Internal notes about the chat (the notes given with transfers), oldest first. Never shown to the patron.",
        answers: "200 `{notes: [{id, at, author: {id, name}, kind: \"transfer\", body}]}`.",
        errors: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
      },
      {
        method: "POST",
        path: "/api/chats/:id/transfer",
        who: "The signed-in librarian serving the chat.",
        what: `Offers the chat to one librarian who is monitoring one of this librarian's queues, or to a queue this librarian staffs. The serving librarian keeps the chat until someone accepts (\`POST …/accept\`), the offer is declined or cancelled, or ${TIMING.transferOfferMs / 1000} s pass.`,
        body: transferChatSchema,
        answers: `200 \`{session}\`: ${SESSION_VIEW} (with \`transfer\` set).`,
        errors: [
          NOT_SIGNED_IN,
          BAD_BODY,
          SESSION_UNKNOWN,
          err(403, "forbidden", "This librarian is not serving the chat."),
          err(409, "session_ended", "The chat has ended."),
          err(404, "not_found", "The queue is not among the queues this librarian staffs.", "to.queueId"),
          err(400, "validation_failed", "The librarian named is the one serving the chat.", "to.librarianId"),
          err(404, "not_found", "That librarian is not monitoring (or is away on) any of this librarian's queues.", "to.librarianId"),
          err(409, "not_active", "The patron has left, or the chat is already being transferred."),
          err(404, "not_found", "Nobody (else) is monitoring the target queue, or the librarian has just gone.", "`to.queueId` or `to.librarianId`"),
        ],
      },
      {
        method: "POST",
        path: "/api/chats/:id/transfer/cancel",
        who: "The signed-in librarian serving the chat (who offered the transfer).",
        what: "Takes a transfer offer back; the chat stays with this librarian.",
        answers: `200 \`{session}\`: ${SESSION_VIEW}.`,
        errors: [NOT_SIGNED_IN, SESSION_UNKNOWN, err(403, "forbidden", "This librarian is not serving the chat."), err(409, "not_active", "The chat is not being transferred.")],
      },
      {
        method: "POST",
        path: "/api/chats/:id/transfer/decline",
        who: "The signed-in librarian the chat is being offered to by name.",
        what: "Declines a transfer offered to this librarian; the chat stays with the librarian who offered it.",
        answers: "200 `{declined: true}`.",
        errors: [NOT_SIGNED_IN, SESSION_UNKNOWN, err(403, "forbidden", "The chat is not being offered to this librarian.")],
      },
    ],
  },
  {
    title: "Queues and the monitor",
    intro: "A librarian monitors a queue by keeping its socket open; the queue frames are under WebSockets.",
    routes: [
      {
        method: "GET",
        path: "/api/queues",
        who: LIBRARIAN,
        what: "The queues this librarian may staff (their library's, then their library's groups' in roll-over order), with how many requests wait and who is monitoring.",
        answers: "200 `{queues: [{id, kind: \"library\"|\"group\", name, waiting, monitors: [{librarianId, name, libraryId, status, reconnecting}]}]}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "GET",
        path: "/api/queues/:queueId/socket",
        who: "A signed-in librarian who may staff the queue, from Refdesk's own pages.",
        what: "WebSocket: monitor a queue; see the queue frames under WebSockets. Being connected is what counts as monitoring.",
        answers: "101 Switching Protocols.",
        errors: [NOT_UPGRADE, NOT_SIGNED_IN, err(403, "forbidden", "From another site (`Origin`)."), err(403, "forbidden", "This librarian does not staff the queue.")],
      },
      {
        method: "GET",
        path: "/api/me/sessions",
        who: LIBRARIAN,
        what: "The chats this librarian is serving (active, or the patron has left and the chat awaits its codes), to restore the monitor after a reload.",
        answers: "200 `{sessions: [{sessionId, status, question, patronName, libraryId, libraryName, acceptedAt}]}`, oldest accepted first.",
        errors: [NOT_SIGNED_IN],
      },
    ],
  },
  {
    title: "Canned messages",
    intro: "A library's canned messages (\"scripts\") that librarians insert in the composer. Every query is scoped to the signed-in librarian's library: another library's id is simply not found.",
    routes: [
      {
        method: "GET",
        path: "/api/canned-messages",
        who: LIBRARIAN,
        what: "The librarian's library's canned messages, in order.",
        answers: "200 `{cannedMessages: [{id, title, body, position}]}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "POST",
        path: "/api/canned-messages",
        who: "A signed-in librarian whose role is exactly `library_admin` (src/routes/canned-messages.ts `CANNED_MESSAGE_EDITORS`), for their own library.",
        what: "Adds a canned message (last, unless `position` is given).",
        body: cannedMessageInputSchema,
        answers: "201 `{cannedMessage: {id, title, body, position}}`.",
        errors: [
          NOT_SIGNED_IN,
          err(403, "forbidden", "Not a library administrator."),
          BAD_BODY,
          err(409, "validation_failed", `The library already keeps ${LIMITS.cannedPerLibrary} canned messages.`),
        ],
      },
      {
        method: "PATCH",
        path: "/api/canned-messages/:id",
        who: "As for adding one.",
        what: "Changes a canned message's title, body or position (any of them, at least one).",
        body: cannedMessagePatchSchema,
        answers: "200 `{cannedMessage: {id, title, body, position}}`.",
        errors: [
          NOT_SIGNED_IN,
          err(403, "forbidden", "Not a library administrator."),
          err(404, "not_found", "The id is not a positive whole number (checked before the body)."),
          BAD_BODY,
          err(404, "not_found", "No such canned message in this library."),
        ],
      },
      {
        method: "DELETE",
        path: "/api/canned-messages/:id",
        who: "As for adding one.",
        what: "Deletes a canned message.",
        answers: "200 `{deleted: true, id}`.",
        errors: [NOT_SIGNED_IN, err(403, "forbidden", "Not a library administrator."), err(404, "not_found", "No such canned message in this library.")],
      },
    ],
  },
  {
    title: "Questions (the Ask a Librarian module)",
    intro:
      "Every filed chat and e-mailed question, with its status, owner, history, notes and mails. A librarian sees their own library's questions; a partner library's librarian who served a chat and ended it \"Followup By Me\" also sees that one question while they own it (src/db/tenancy.ts), and may answer it and add notes, nothing else. Changes (every method but GET) come only from Refdesk's own pages.",
    routes: [
      {
        method: "GET",
        path: "/api/questions",
        who: LIBRARIAN,
        what: "One page of a list (`new`, `mine`, `pending`, `answered`, `closed`, `all`), searched and filtered; dates are days in the library's time zone. An empty parameter counts as not given.",
        querySchema: questionListQuerySchema,
        answers: "200 `{list, order, page, size, total, pages, counts, questions}`: `counts` how many match in each list, `questions` summaries as in `QuestionDetail.question`.",
        errors: [NOT_SIGNED_IN, BAD_QUERY],
      },
      {
        method: "GET",
        path: "/api/questions/filters",
        who: LIBRARIAN,
        what: "What the search form offers: the library's librarians and all its descriptive codes (hidden ones too, for old questions).",
        answers: "200 `{librarians: [{id, name}], codes: [{code, label, active}]}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "GET",
        path: "/api/questions/:id",
        who: "A signed-in librarian of the question's library, or the cooperative librarian following it up.",
        what: "One question with everything about it.",
        answers: `200 ${QUESTION_DETAIL}.`,
        errors: [NOT_SIGNED_IN, QUESTION_UNKNOWN],
      },
      {
        method: "POST",
        path: "/api/questions/:id/actions",
        who: "A signed-in librarian of the question's library.",
        what: "A status change: `assign` (new → pending, to `assigneeId`), `reassign` (pending → pending), `pending` (new → pending), `close`, `reopen` (answered/closed → pending). Actions other than close make the librarian acting the owner when nobody owns the question.",
        body: transitionSchema,
        answers: `200 the question as it now stands: ${QUESTION_DETAIL}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          BAD_BODY,
          QUESTION_UNKNOWN,
          QUESTION_HOME_ONLY,
          err(409, "invalid_transition", "The action is not allowed from the question's status (the transitions table, src/shared/question-rules.ts).", "action"),
          err(400, "validation_failed", "The assignee is not an enabled librarian of the question's library, or already has the question.", "assigneeId"),
          QUESTION_CHANGED,
        ],
      },
      {
        method: "POST",
        path: "/api/questions/:id/answer",
        who: "A signed-in librarian of the question's library, or the cooperative librarian following it up.",
        what: "Sends the patron a follow-up answer by e-mail (through the durable outbox) and marks the question answered. Send the same `requestId` again and nothing is sent twice.",
        body: answerSchema,
        answers: `201 the question as it now stands plus \`{mailKey, replay: false}\`: ${QUESTION_DETAIL}. 200 with \`replay: true\` when this \`requestId\` was already recorded.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          BAD_BODY,
          QUESTION_UNKNOWN,
          err(409, "invalid_transition", "The question is closed (reopen it first).", "action"),
          err(409, "no_recipient", "The patron left no e-mail address.", "body"),
          QUESTION_CHANGED,
        ],
      },
      {
        method: "POST",
        path: "/api/questions/:id/notes",
        who: "A signed-in librarian of the question's library, or the cooperative librarian following it up.",
        what: "Adds an internal note (never shown to the patron).",
        body: noteSchema,
        answers: `201 the question as it now stands: ${QUESTION_DETAIL}.`,
        errors: [OTHER_SITE, NOT_SIGNED_IN, BAD_BODY, QUESTION_UNKNOWN],
      },
      {
        method: "PUT",
        path: "/api/questions/:id/codes",
        who: "A signed-in librarian of the question's library.",
        what: "Changes the chat's resolution and descriptive codes; the resolution's routing rule decides afresh whether the question is hidden and counted. The status stays.",
        body: questionCodesSchema,
        answers: `200 the question as it now stands: ${QUESTION_DETAIL}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          BAD_BODY,
          QUESTION_UNKNOWN,
          QUESTION_HOME_ONLY,
          err(409, "invalid_transition", "The question has no chat session (it was e-mailed), so no codes."),
          err(400, "validation_failed", "A newly chosen code is hidden in, or not part of, the library's list (codes the chat already had may stay).", "descriptiveCodes.N"),
          QUESTION_CHANGED,
        ],
      },
      {
        method: "POST",
        path: "/api/questions/:id/mails/resend",
        who: "A signed-in librarian of the question's library, or the cooperative librarian following it up.",
        what: "Sends a mail about the question that failed again (its attempts start over). A sent mail is never sent twice.",
        body: resendMailSchema,
        answers: `200 the question as it now stands: ${QUESTION_DETAIL}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          BAD_BODY,
          QUESTION_UNKNOWN,
          err(404, "not_found", "No mail with this `eventKey` belongs to the question."),
          err(409, "invalid_transition", "The mail was sent already, or is still being sent.", "eventKey"),
        ],
      },
    ],
  },
  {
    title: "Descriptive codes",
    intro: "The signed-in librarian's library's own list of descriptive codes (a copy of the defaults to start with). Codes are never deleted, only hidden, so old chats keep theirs. Changes come only from Refdesk's own pages.",
    routes: [
      {
        method: "GET",
        path: "/api/descriptive-codes",
        who: LIBRARIAN,
        what: "The library's whole list, hidden codes included.",
        answers: `200 ${CODES_LIST}.`,
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "POST",
        path: "/api/descriptive-codes",
        who: OWN_LIBRARY_ADMIN,
        what: "Adds a code at the end of the list; its identifier is made from the label when `code` is left out.",
        body: addCodeSchema,
        answers: `201 \`{added: {code, label, active, position}}\` and ${CODES_LIST}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          err(403, "forbidden", "Not a library administrator."),
          BAD_BODY,
          err(400, "validation_failed", `The library already has ${LIMITS.descriptiveCodesMax} codes.`),
          err(409, "duplicate", "The list already has a code with this label (case-insensitive).", "label"),
          err(409, "duplicate", "The list already has this code.", "code"),
        ],
      },
      {
        method: "PUT",
        path: "/api/descriptive-codes/order",
        who: OWN_LIBRARY_ADMIN,
        what: "Puts the codes in a new order; the list must name every code of the library once.",
        body: reorderCodesSchema,
        answers: `200 ${CODES_LIST}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          err(403, "forbidden", "Not a library administrator."),
          BAD_BODY,
          err(400, "validation_failed", "A code is not one of the library's.", "codes.N"),
          err(400, "validation_failed", "The order leaves a code out.", "codes"),
        ],
      },
      {
        method: "PATCH",
        path: "/api/descriptive-codes/:code",
        who: OWN_LIBRARY_ADMIN,
        what: "Renames a code, and/or hides or shows it (`active`).",
        body: updateCodeSchema,
        answers: `200 ${CODES_LIST}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          err(403, "forbidden", "Not a library administrator."),
          err(404, "not_found", "The code in the path is not valid (checked before the body) or not in the library's list (after it)."),
          BAD_BODY,
          err(409, "duplicate", "Another code already has this label.", "label"),
        ],
      },
    ],
  },
  {
    title: "Administration: your own account",
    intro: "Every route under `/api/admin` authorises on the server (src/admin/authorize.ts) and takes changes only from Refdesk's own pages: a change sent with another site's `Origin` is refused before anything else (403 `forbidden`). These four serve any signed-in librarian, about themselves.",
    routes: [
      {
        method: "GET",
        path: "/api/admin/me",
        who: LIBRARIAN,
        what: "Who is signed in, the groups their library belongs to, and the roles they may hand out (the admin pages' navigation).",
        answers: "200 `{librarian: {id, libraryId, libraryName, displayName, email, role, groupIds}, grantableRoles}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "GET",
        path: "/api/admin/account/sessions",
        who: LIBRARIAN,
        what: "The librarian's own live sign-in sessions, newest first. The id is a digest, never the cookie.",
        answers: "200 `{sessions: [{id, createdAt, expiresAt, current}]}` (`current`: the session of this request).",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "POST",
        path: "/api/admin/account/sessions/:sessionId/revoke",
        who: LIBRARIAN,
        what: "Signs one of the librarian's own sessions out.",
        answers: "200 `{revoked: true}`.",
        errors: [OTHER_SITE, NOT_SIGNED_IN, err(404, "not_found", "No live session of this librarian has that id.")],
      },
      {
        method: "POST",
        path: "/api/admin/account/password",
        who: LIBRARIAN,
        what: "Changes the librarian's own password; every other sign-in session of theirs ends, this one stays.",
        body: changePasswordSchema,
        answers: "200 `{changed: true}`.",
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          err(400, "validation_failed", "The body breaks the schema (e.g. the two new passwords differ).", "`current`, `password` or `confirm`"),
          err(403, "forbidden", "The current password is wrong.", "current"),
          err(400, "validation_failed", "The new password is too easy to guess, only digits, or contains the e-mail address.", "password"),
        ],
      },
    ],
  },
  {
    title: "Administration: libraries and their accounts",
    intro: "A library's settings, audit log, privacy record and librarians. Account changes and settings changes are written to the audit log in the same batch.",
    routes: [
      {
        method: "GET",
        path: "/api/admin/libraries",
        who: LIBRARIAN,
        what: "The libraries the actor administers: none for a `librarian`, their own for a `library_admin` or `group_admin`, all for a `service_admin`.",
        answers: "200 `{libraries: [{id, name}]}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/settings",
        who: ADMIN_OF_LIBRARY,
        what: "The library's settings, and the placeholders its transcript template may use.",
        answers:
          "200 `{settings: {id, name, contactEmail, phone, websiteUrl, timeZone, hoursText, unavailableMessage, fallbackLinks, brandColor, rolloverSeconds, waitLimitSeconds, retentionDays, ipMode, mailSenderName, transcriptTemplate, allowedOrigins}, placeholders}`.",
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
      },
      {
        method: "PATCH",
        path: "/api/admin/libraries/:libraryId/settings",
        who: ADMIN_OF_LIBRARY,
        what: "Changes any of the settings (at least one). `allowedOrigins` are the sites allowed to embed the library's chat (origins, normalised, duplicates dropped).",
        body: librarySettingsSchema,
        answers: "200 `{settings, changed}`: all settings as they now are, and the names of those that changed.",
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          NOT_ADMIN_OF_LIBRARY,
          BAD_BODY,
          LIBRARY_UNKNOWN,
          err(400, "validation_failed", "The roll-over time is not shorter than the wait limit.", "`rolloverSeconds` or `waitLimitSeconds` (whichever was sent)"),
          err(400, "validation_failed", `The transcript template uses a placeholder other than ${TRANSCRIPT_PLACEHOLDERS.map((p) => `\`{{${p}}}\``).join(", ")}.`, "transcriptTemplate"),
        ],
      },
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/audit",
        who: ADMIN_OF_LIBRARY,
        what: "The library's audit log.",
        query: AUDIT_QUERY,
        answers: `200 ${AUDIT_PAGE}.`,
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY],
      },
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/privacy",
        who: ADMIN_OF_LIBRARY,
        what: `The library's privacy record: retention, IP mode, and the last ${SCRUB_HISTORY} scrub runs with what each removed in this library.`,
        answers: "200 `{retentionDays, ipMode, runs: [{id, scheduledAt, startedAt, finishedAt, ok, sessionsScrubbed, questionsScrubbed, mailsScrubbed, cutoff}]}`.",
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
      },
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/librarians",
        who: ADMIN_OF_LIBRARY,
        what: "The library's accounts, by name.",
        answers: `200 \`{librarians, grantableRoles}\`: each ${ACCOUNT} plus \`manageable\` (whether the actor may manage it).`,
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/invitations",
        who: ADMIN_OF_LIBRARY,
        what: "Invites a person: creates the account and mails them a one-time link to set a password.",
        body: inviteSchema,
        answers: `201 \`{librarian, invitationExpiresAt}\`: ${ACCOUNT} (status \`invited\`).`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          NOT_ADMIN_OF_LIBRARY,
          BAD_BODY,
          err(403, "forbidden", "The role is above the actor's own.", "role"),
          LIBRARY_UNKNOWN,
          err(409, "validation_failed", "The address has already been invited, or already has an account.", "email"),
        ],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/password-reset",
        who: MANAGER_OF_ACCOUNT,
        what: "Mails the person a one-time password-reset link (a fresh invitation when they never set a password).",
        answers: "200 `{sent: \"reset\"|\"invite\", to, expiresAt}`.",
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE, err(400, "validation_failed", "The account is disabled (enable it first).", "librarianId")],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/disable",
        who: MANAGER_OF_ACCOUNT,
        what: "Disables the account: signs it out everywhere, and hands the chats it was serving back to their queues. Disabling a disabled account changes nothing.",
        answers: `200 \`{librarian, handedBack}\`: ${ACCOUNT}; \`handedBack\` how many chats went back.`,
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/enable",
        who: MANAGER_OF_ACCOUNT,
        what: "Enables a disabled account (and clears a lock-out).",
        answers: `200 \`{librarian}\`: ${ACCOUNT}.`,
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
      },
      {
        method: "PUT",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/role",
        who: MANAGER_OF_ACCOUNT,
        what: "Gives the account another role (never above the actor's own).",
        body: roleChangeSchema,
        answers: `200 \`{librarian}\`: ${ACCOUNT}.`,
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE, BAD_BODY, err(403, "forbidden", "The role is above the actor's own.", "role")],
      },
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/sessions",
        who: ADMIN_OF_LIBRARY,
        what: "The account's live sign-in sessions, newest first.",
        answers: "200 `{sessions: [{id, createdAt, expiresAt}]}`.",
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/librarians/:librarianId/sessions/revoke",
        who: MANAGER_OF_ACCOUNT,
        what: "Signs the account out everywhere.",
        answers: "200 `{revoked}`: how many live sessions were ended.",
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
      },
    ],
  },
  {
    title: "Administration: chat request forms",
    intro: "A library's or a group's forms, one form's settings and logo, and what to copy to embed it.",
    routes: [
      {
        method: "GET",
        path: "/api/admin/libraries/:libraryId/forms",
        who: ADMIN_OF_LIBRARY,
        what: "The library's forms, oldest first, and the queues a form of the library may feed (its own and its groups').",
        answers: `200 \`{forms, queues: [{id, name}]}\`: each ${FORM_ROW}.`,
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
      },
      {
        method: "POST",
        path: "/api/admin/libraries/:libraryId/forms",
        who: ADMIN_OF_LIBRARY,
        what: "Creates a form for the library (`libraryId` in the body is ignored here).",
        body: newFormSchema,
        answers: `201 \`{form, queues}\`: ${FORM_ROW}.`,
        errors: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, BAD_BODY, LIBRARY_UNKNOWN, err(400, "validation_failed", "The queue is not one this library can feed.", "queueId")],
      },
      {
        method: "GET",
        path: "/api/admin/groups/:groupId/forms",
        who: ADMIN_OF_GROUP,
        what: "The group's forms: those it owns and those feeding its queue.",
        answers: `200 \`{forms}\`: each ${FORM_ROW}.`,
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP, GROUP_UNKNOWN],
      },
      {
        method: "POST",
        path: "/api/admin/groups/:groupId/forms",
        who: ADMIN_OF_GROUP,
        what: "Creates a group form; `libraryId` names the member library whose questions it files.",
        body: newFormSchema,
        answers: `201 \`{form, queues}\`: ${FORM_ROW}.`,
        errors: [
          OTHER_SITE,
          NOT_SIGNED_IN,
          NOT_ADMIN_OF_GROUP,
          BAD_BODY,
          GROUP_UNKNOWN,
          err(400, "validation_failed", "`libraryId` is missing, or not a member of the group.", "libraryId"),
          err(400, "validation_failed", "The queue is not one that library can feed.", "queueId"),
        ],
      },
      {
        method: "GET",
        path: "/api/admin/forms/:formId",
        who: ADMIN_OF_FORM,
        what: "One form, the queues it may feed, and its library's name, colour and allowed embedding sites.",
        answers: `200 \`{form, queues, library: {name, brandColor, allowedOrigins} | null}\`: ${FORM_ROW}.`,
        errors: [FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN],
      },
      {
        method: "PUT",
        path: "/api/admin/forms/:formId",
        who: ADMIN_OF_FORM,
        what: "Replaces the form's settings: title, intro, fields (in layout order), queue, chat method, colour, on or off.",
        body: formSettingsSchema,
        answers: `200 \`{form}\`: ${FORM_ROW}.`,
        errors: [OTHER_SITE, FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN, BAD_BODY, err(400, "validation_failed", "The queue is not one the form's library can feed.", "queueId")],
      },
      {
        method: "POST",
        path: "/api/admin/forms/:formId/logo",
        who: ADMIN_OF_FORM,
        what: "Uploads (or replaces) the form's logo.",
        bodyNote: `The image's bytes as the raw body, sent with the image's \`Content-Type\` (e.g. \`image/png\`: the server trusts only the bytes, but a missing type trips the CSRF check): PNG, JPEG, GIF or WebP, at most ${LOGO_RULES.maxBytes / 1024} KB.`,
        answers: `200 \`{form}\`: ${FORM_ROW} (\`logoUrl\` set).`,
        errors: [
          OTHER_SITE,
          FORM_UNKNOWN,
          NOT_SIGNED_IN,
          NOT_FORM_ADMIN,
          err(413, "too_large", `Over ${LOGO_RULES.maxBytes / 1024} KB.`, "logo"),
          err(400, "validation_failed", "The body is empty.", "logo"),
          err(415, "validation_failed", "The bytes are not a PNG, JPEG, GIF or WebP image.", "logo"),
        ],
      },
      {
        method: "DELETE",
        path: "/api/admin/forms/:formId/logo",
        who: ADMIN_OF_FORM,
        what: "Removes the form's logo (nothing changes when it has none).",
        answers: `200 \`{form}\`: ${FORM_ROW}.`,
        errors: [OTHER_SITE, FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN],
      },
    ],
  },
  {
    title: "Administration: groups and the service",
    intro: "What group administrators and service administrators read.",
    routes: [
      {
        method: "GET",
        path: "/api/admin/groups",
        who: LIBRARIAN,
        what: "The groups the actor administers: their library's groups for a `group_admin`, all for a `service_admin`, none otherwise.",
        answers: "200 `{groups: [{id, name}]}`.",
        errors: [NOT_SIGNED_IN],
      },
      {
        method: "GET",
        path: "/api/admin/groups/:groupId",
        who: ADMIN_OF_GROUP,
        what: "The group and its member libraries.",
        answers: "200 `{group: {id, name}, members: [{id, name, contactEmail, timeZone, position, librarians}]}` (`librarians`: enabled accounts).",
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP, GROUP_UNKNOWN],
      },
      {
        method: "GET",
        path: "/api/admin/groups/:groupId/audit",
        who: ADMIN_OF_GROUP,
        what: "The group's audit log.",
        query: AUDIT_QUERY,
        answers: `200 ${AUDIT_PAGE}.`,
        errors: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP],
      },
      {
        method: "GET",
        path: "/api/admin/scrub-runs",
        who: "A `service_admin`.",
        what: "The installation's last 30 privacy scrub runs, newest first.",
        answers: "200 `{runs: [{id, scheduledAt, startedAt, finishedAt, librariesChecked, sessionsScrubbed, questionsScrubbed, mailsScrubbed, error}]}`.",
        errors: [NOT_SIGNED_IN, err(403, "forbidden", "Not a service administrator.")],
      },
    ],
  },
  {
    title: "Cooperation: policy pages",
    intro: "Each library's policy page, for its own librarians and its cooperative partners (libraries that share a group with it); a `service_admin` reads all.",
    routes: [
      {
        method: "GET",
        path: "/api/policies/search",
        who: LIBRARIAN,
        what: "Full-text search across the policy pages the librarian may read (every word, prefix-matched; at most 50 hits).",
        query: { q: `The words to search for (at most ${POLICY_LIMITS.queryChars} characters).` },
        answers: "200 `{q, results: [{libraryId, libraryName, section, title, snippet, snippetHtml, url}]}` (`snippetHtml` is safe HTML with the matches in `<mark>`).",
        errors: [NOT_SIGNED_IN, err(400, "validation_failed", "`q` is too long, or has no words.", "q"), err(500, "internal", "The search failed on the server's side.")],
      },
      {
        method: "GET",
        path: "/api/policies/:libraryId",
        who: "A signed-in librarian of this library or of a partner library, or a `service_admin`.",
        what: "A library's policy page (empty sections when it has not written one).",
        answers: "200 `{page: {libraryId, libraryName, timeZone, sections, links, quickAnswers, reportEmail, updatedAt}}` (`sections`: section id → sanitised HTML).",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("library"), err(403, "forbidden", "The library is not this librarian's nor a partner's."), LIBRARY_UNKNOWN],
      },
      {
        method: "PUT",
        path: "/api/policies/:libraryId",
        who: COOP_LIBRARY_ADMIN,
        what: "Replaces the library's policy page. Rich text is sanitised; unsafe HTML is refused, not silently dropped.",
        body: policyPageSchema,
        maxBodyBytes: POLICY_LIMITS.bodyBytes,
        answers: "200 `{page}` as `GET` answers it.",
        errors: [
          NOT_SIGNED_IN,
          COOP_ID_MALFORMED("library"),
          NOT_COOP_LIBRARY_ADMIN,
          BAD_BODY,
          LIBRARY_UNKNOWN,
          err(400, "validation_failed", "A section holds HTML the sanitiser refuses (scripts, event handlers…); nothing was saved.", "sections.<id>"),
        ],
      },
    ],
  },
  {
    title: "Cooperation: groups, schedules and coverage",
    intro: "Groups (cooperatives) of libraries: membership by invitation, the coverage schedule that says which member staffs the group queue when, and the group's page.",
    routes: [
      {
        method: "POST",
        path: "/api/groups",
        who: "A signed-in `group_admin` (their library becomes the first member) or `service_admin`.",
        what: "Creates a group.",
        body: createGroupSchema,
        answers: "201 `{group: {id, name}}`.",
        errors: [NOT_SIGNED_IN, BAD_BODY, err(403, "forbidden", "Neither a group nor a service administrator."), err(409, "validation_failed", "A group with this id exists.", "id")],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId",
        who: GROUP_MEMBER,
        what: "The group and its members.",
        answers: "200 `{group: {id, name}, members: [{id, name, timeZone}], youAreAdmin}`.",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_MEMBER],
      },
      {
        method: "POST",
        path: "/api/groups/:groupId/invitations",
        who: GROUP_ADMIN,
        what: "Invites a library to join the group; its administrator accepts with `POST /api/groups/:groupId/join`.",
        body: inviteLibrarySchema,
        answers: `201 \`{invitation}\`: ${INVITATION}.`,
        errors: [
          NOT_SIGNED_IN,
          COOP_ID_MALFORMED("group"),
          BAD_BODY,
          GROUP_UNKNOWN,
          NOT_GROUP_ADMIN,
          err(404, "not_found", "No such library.", "libraryId"),
          err(409, "validation_failed", "The library is a member already, or has an unanswered invitation.", "libraryId"),
        ],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId/invitations",
        who: GROUP_ADMIN,
        what: "The group's invitations not yet accepted.",
        answers: `200 \`{invitations}\`: each ${INVITATION}.`,
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_ADMIN],
      },
      {
        method: "POST",
        path: "/api/groups/:groupId/join",
        who: `${COOP_LIBRARY_ADMIN.replace("this library", "their own library")} With an invitation for their library.`,
        what: "The librarian's library joins the group (last in its roll-over order). No body.",
        answers: "200 `{joined: true, groupId, libraryId}`.",
        errors: [
          NOT_SIGNED_IN,
          COOP_ID_MALFORMED("group"),
          NOT_COOP_LIBRARY_ADMIN,
          GROUP_UNKNOWN,
          err(409, "validation_failed", "The library is a member already."),
          err(403, "forbidden", "The library has no invitation to this group."),
          err(409, "validation_failed", "The invitation was used a moment ago (a double submit); the library is a member."),
        ],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId/schedule",
        who: GROUP_MEMBER,
        what: "The coverage schedule: weekly shifts, each in its own time zone.",
        answers: `200 \`{shifts}\`: each ${SHIFT}, by weekday and start.`,
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_MEMBER],
      },
      {
        method: "PUT",
        path: "/api/groups/:groupId/schedule",
        who: GROUP_ADMIN,
        what: "Replaces the whole schedule; any problem refuses all of it. `timeZone` defaults to the staffing library's; `24:00` ends a shift at midnight.",
        body: scheduleSchema,
        maxBodyBytes: POLICY_LIMITS.bodyBytes,
        answers: `200 \`{shifts}\`: each ${SHIFT}.`,
        errors: [
          NOT_SIGNED_IN,
          COOP_ID_MALFORMED("group"),
          GROUP_UNKNOWN,
          NOT_GROUP_ADMIN,
          BAD_BODY,
          err(400, "validation_failed", "A shift names a library that is not a member.", "shifts.N.libraryId"),
          err(400, "validation_failed", "A shift's time zone is not an IANA zone.", "shifts.N.timeZone"),
          err(400, "validation_failed", "A shift starts at 24:00.", "shifts.N.start"),
          err(400, "validation_failed", "A shift ends when or before it starts without `endsNextDay`, or (ending the next day) lasts over 24 hours.", "shifts.N.end"),
          err(400, "validation_failed", "Two shifts overlap (the message names both and when).", "shifts.N"),
        ],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId/coverage/now",
        who: GROUP_MEMBER,
        what: "Whose shift it is now and whose is next, shown on the librarian's library's clock.",
        answers: `200 \`{coverage}\`: ${COVERAGE}.`,
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_MEMBER],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId/contribution",
        who: GROUP_ADMIN,
        what: "Each member's contribution over a period: chats it answered for other members, chats of its patrons others answered, and its own (practice and spam left out).",
        query: { days: `The period, in days back from now: a whole number from 1 to ${CONTRIBUTION_MAX_DAYS} (default 30).` },
        answers: "200 `{days, members: [{libraryId, libraryName, answeredForOthers, answeredByOthers, answeredOwn}]}`.",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_ADMIN, err(400, "validation_failed", "`days` out of range or not a whole number.", "days")],
      },
      {
        method: "GET",
        path: "/api/groups/:groupId/page",
        who: GROUP_MEMBER,
        what: "The group's page (sanitised HTML; empty when none was written).",
        answers: "200 `{body, updatedAt}`.",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_MEMBER],
      },
      {
        method: "PUT",
        path: "/api/groups/:groupId/page",
        who: GROUP_ADMIN,
        what: "Replaces the group's page.",
        body: groupPageSchema,
        maxBodyBytes: POLICY_LIMITS.bodyBytes,
        answers: "200 `{body}`: the HTML as saved (sanitised).",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("group"), GROUP_UNKNOWN, NOT_GROUP_ADMIN, BAD_BODY, err(400, "validation_failed", "The HTML holds what the sanitiser refuses; nothing was saved.", "body")],
      },
      {
        method: "GET",
        path: "/api/coverage/now",
        who: LIBRARIAN,
        what: "Whose shift it is now in every group of the librarian's library, in roll-over order (for the monitor).",
        answers: `200 \`{groups: [{groupName, …coverage}]}\`, each coverage ${COVERAGE}.`,
        errors: [NOT_SIGNED_IN],
      },
    ],
  },
  {
    title: "Cooperation: a library's routing and invitations",
    intro: "When a library's requests roll over to its groups, and in which order.",
    routes: [
      {
        method: "GET",
        path: "/api/libraries/:libraryId/routing",
        who: "A signed-in librarian of this library, or a `service_admin`.",
        what: "The library's routing settings.",
        answers: "200 `{routing: {libraryId, rolloverSeconds, overflowMode, waitLimitSeconds, groups: [{id, name, position}]}}`.",
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("library"), err(403, "forbidden", "Another library's settings."), LIBRARY_UNKNOWN],
      },
      {
        method: "PUT",
        path: "/api/libraries/:libraryId/routing",
        who: COOP_LIBRARY_ADMIN,
        what: "Changes the roll-over time, the overflow mode and (optionally) the order of the library's groups.",
        body: routingSettingsSchema,
        answers: "200 `{routing}` as `GET` answers it.",
        errors: [
          NOT_SIGNED_IN,
          COOP_ID_MALFORMED("library"),
          NOT_COOP_LIBRARY_ADMIN,
          BAD_BODY,
          LIBRARY_UNKNOWN,
          err(400, "validation_failed", "The roll-over time is not shorter than the library's wait limit.", "rolloverSeconds"),
          err(400, "validation_failed", "The order does not list each of the library's groups once.", "groupOrder"),
        ],
      },
      {
        method: "GET",
        path: "/api/libraries/:libraryId/invitations",
        who: COOP_LIBRARY_ADMIN,
        what: "Invitations to join groups the library has not accepted yet.",
        answers: `200 \`{invitations}\`: each ${INVITATION}.`,
        errors: [NOT_SIGNED_IN, COOP_ID_MALFORMED("library"), NOT_COOP_LIBRARY_ADMIN],
      },
    ],
  },
  {
    title: "Cooperation: feedback",
    intro: "Quality feedback between partners: the patron's home library rates a chat a partner answered; the answering librarian reads what was said about theirs.",
    routes: [
      {
        method: "POST",
        path: "/api/feedback",
        who: "A signed-in librarian of the chat's home library.",
        what: "Leaves feedback about an ended chat a partner library answered; one per chat.",
        body: feedbackSchema,
        answers: `201 \`{feedback}\`: ${FEEDBACK_ENTRY}.`,
        errors: [
          NOT_SIGNED_IN,
          BAD_BODY,
          err(404, "not_found", "No such chat.", "sessionId"),
          err(403, "forbidden", "The chat is not of this librarian's library."),
          err(409, "validation_failed", "No partner library answered the chat.", "sessionId"),
          err(409, "not_active", "The chat has not ended.", "sessionId"),
          err(409, "validation_failed", "Feedback about the chat was already left.", "sessionId"),
        ],
      },
      {
        method: "GET",
        path: "/api/feedback",
        who: LIBRARIAN,
        what: "Feedback, newest first (at most 200).",
        query: { about: "`me` (default): about the chats this librarian answered for partners; `partners`: what this librarian's library said about its partners." },
        answers: `200 \`{feedback}\`: each ${FEEDBACK_ENTRY}.`,
        errors: [NOT_SIGNED_IN, err(400, "validation_failed", "`about` is neither `me` nor `partners`.", "about")],
      },
    ],
  },
];

/** Every API route, flat, in document order. */
export const ROUTES: ApiRoute[] = ROUTE_GROUPS.flatMap((g) => g.routes);

const SIGNED_IN_PAGE = "Signed-in librarian (else a 303 to `/login?next=…`)";

/** The server-rendered pages and the form posts behind them (they answer HTML or redirects, not JSON). */
export const PAGES: PageRoute[] = [
  { method: "GET", path: "/", who: "Anyone", what: "Start page: links to the monitor, administration, the questions module and every enabled form." },
  { method: "GET", path: "/login", who: "Anyone", what: "Librarian sign-in form (`?next=` a local path to return to)." },
  { method: "POST", path: "/login", who: "Anyone, same origin", what: "Signs in (the fields of `POST /api/auth/sign-in`); 303 to `next`, or the form again with the error (400/401/429)." },
  { method: "POST", path: "/logout", who: "Anyone, same origin", what: "Signs out; 303 to `/login`." },
  { method: "GET", path: "/monitor", who: SIGNED_IN_PAGE, what: "The chat monitor (Preact app)." },
  { method: "GET", path: "/f/:formId", who: "Anyone", what: "A hosted chat request form; posts to `POST /api/chats`. 404 / 410 pages for a missing or turned-off form." },
  { method: "GET", path: "/chat/:id", who: "The patron (the token travels in the URL fragment)", what: "The patron's chat window." },
  { method: "GET", path: "/account/set-password/:token", who: "Holder of an invitation or reset link", what: "Choose a password; 410 page when the link is spent or expired." },
  { method: "POST", path: "/account/set-password", who: "Holder of the link, same origin", what: "Sets the password, spends the link, signs in; 303 to `/monitor` or `/admin`, or the form again with the problems (400)." },
  { method: "GET", path: "/admin", who: SIGNED_IN_PAGE, what: "Administration overview (Preact admin app)." },
  { method: "GET", path: "/admin/account", who: SIGNED_IN_PAGE, what: "Your own account: sessions, password." },
  { method: "GET", path: "/admin/libraries/:libraryId/:page", who: "Administrator of the library (403 page otherwise)", what: "`librarians`, `forms`, `settings`, `privacy` or `audit` of a library (404 page for another name)." },
  { method: "GET", path: "/admin/groups/:groupId", who: "Administrator of the group", what: "A group's members, forms and audit log." },
  { method: "GET", path: "/admin/forms/:formId", who: "Administrator of the form's library or group", what: "The form editor." },
  { method: "GET", path: "/admin/cooperation", who: "`library_admin` of their library, or `service_admin`", what: "The library's routing settings and its invitations to groups (plain HTML forms)." },
  { method: "POST", path: "/admin/cooperation/routing", who: "As above, same origin", what: "Saves routing settings (`routingSettingsSchema`); the page again with a notice." },
  { method: "POST", path: "/admin/cooperation/join", who: "As above, same origin", what: "Joins a group the library is invited to; the page again with a notice." },
  { method: "GET", path: "/admin/groups/:groupId/cooperation", who: "Group administrator", what: "A group's members, invitations, coverage schedule, page and contribution (`?days=`)." },
  { method: "POST", path: "/admin/groups/:groupId/cooperation/schedule", who: "Group administrator, same origin", what: "Replaces the schedule (`scheduleSchema`)." },
  { method: "POST", path: "/admin/groups/:groupId/cooperation/invite", who: "Group administrator, same origin", what: "Invites a library." },
  { method: "POST", path: "/admin/groups/:groupId/cooperation/page", who: "Group administrator, same origin", what: "Saves the group's page." },
  { method: "GET", path: "/questions", who: SIGNED_IN_PAGE, what: "The Ask a Librarian module: lists and search." },
  { method: "GET", path: "/questions/codes", who: SIGNED_IN_PAGE, what: "Descriptive codes editor (403 page unless a library administrator)." },
  { method: "GET", path: "/questions/:id", who: SIGNED_IN_PAGE, what: "One question (the API decides whether it may be seen)." },
  { method: "GET", path: "/policies", who: SIGNED_IN_PAGE, what: "Policy pages the librarian may read, and search (`?q=`)." },
  { method: "GET", path: "/policies/:libraryId", who: "Librarian of the library or a partner, or `service_admin`", what: "One library's policy page." },
  { method: "GET", path: "/policies/:libraryId/edit", who: "`library_admin` of the library, or `service_admin`", what: "Policy page editor." },
  { method: "POST", path: "/policies/:libraryId/edit", who: "As above, same origin", what: "Saves the page (`policyPageSchema`); 303 back to it, or the editor again with the problem (400)." },
  { method: "GET", path: "/groups/:groupId", who: "Librarian of a member library, or `service_admin`", what: "A group's page, members and coverage." },
  { method: "GET", path: "/feedback", who: SIGNED_IN_PAGE, what: "Feedback about your chats, your library's feedback about partners, and chats to rate." },
  { method: "POST", path: "/feedback", who: "Librarian of the chat's home library, same origin", what: "Leaves feedback (`feedbackSchema`); the page again with a notice." },
];
