/**
 * /api/chats — a patron asks, librarians accept and end, both connect sockets;
 * after the chat the patron rates it.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { Hono, type Context } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { Librarian } from "../auth/librarian";
import { database } from "../db/client";
import { chatSessions, descriptiveCodes, forms, libraries } from "../db/schema";
import { assertCanReadSession } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { clientAddress, networkKey } from "../http/client-network";
import { ApiError, badRequest, forbidden, HTTP_STATUS, notFound, refusalError, unauthorized } from "../http/errors";
import { assertEmbedAllowed, assertSameOrigin, corsForEmbed, foreignOrigin } from "../http/origins";
import { parseBody, readFields } from "../http/validate";
import { chatSession, forwardUpgrade } from "../objects";
import { formMissingPage, formTurnedOffPage, requestFormPage, requestRefusedPage } from "../pages/request-form";
import { formFieldErrors, gatherFormPost, schemaErrors, submittedValues, type ChatRequest, type FieldError } from "../patrons/chat-request";
import { chatAvailable, closedReason, loadForm, type FormWithLibrary } from "../patrons/forms";
import { alternativesIn, formLanguages, languageFor, localizeForm } from "../patrons/form-language";
import { acceptedLanguages, isLanguage, LANGUAGES, type Language } from "../i18n/languages";
import { translate } from "../i18n/catalog";
import { startChatSession, type RequestOrigin } from "../patrons/start-chat";
import { staffableQueues } from "../queues/staffing";
import { syncStatFact } from "../stats/record";
import { chatLanguageSchema, endChatSchema, leaveQuestionSchema, slugSchema, startChatSchema } from "../shared/api";
import { patronFields, requestFieldPath } from "../shared/forms";
import { asksComment, DEFAULT_SURVEY } from "../shared/survey";
import { ratingSchema } from "../shared/survey-schemas";
import { codesCountProblem, codesModeOf, type DescriptiveCodesMode } from "../shared/codes-settings";
import { ratedChat, ratingStatements } from "../ratings/store";
import { RATING } from "../shared/limits";
import { PATRON, SERVING_LIBRARIAN, SESSION_READER, anyone, anyoneOrSignedIn, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, BAD_TOKEN, EMBED_REFUSED, NOT_SERVING, NOT_SIGNED_IN, NOT_UPGRADE, NO_BEARER, SESSION_OTHER_LIBRARY, SESSION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS, SESSION_VIEW } from "./openapi/shapes";

export const chatRoutes = new Hono<AppEnv>();

/** Shown when one address asks too often (PATRON_RATE_LIMIT). */
export const RATE_LIMITED_MESSAGE = "Too many chat requests from your network. Please wait a minute and try again.";

/** Whether this patron's network (an IPv4 address, an IPv6 /64) has asked too often lately. */
async function rateLimited(c: Context<AppEnv>): Promise<boolean> {
  const { success } = await c.env.PATRON_RATE_LIMIT.limit({ key: `start:${networkKey(clientAddress(c))}` });
  return !success;
}

/** The language to serve this request in: the one asked for when the form offers it, else the browser's, else the form's default. */
function requestLanguage(c: Context<AppEnv>, form: FormWithLibrary["form"], asked: string | null | undefined): Language {
  return languageFor(form, asked, acceptedLanguages(c.req.header("accept-language")));
}

function requestOrigin(c: Context<AppEnv>): RequestOrigin {
  return { ip: c.req.header("cf-connecting-ip") ?? "127.0.0.1", userAgent: c.req.header("user-agent") ?? null, referrer: c.req.header("referer") ?? null };
}

chatRoutes.post("/", documented({
  group: GROUPS.patronChats,
  summary: "Ask a question (start a chat)",
  description:
    "Asks a question: starts a chat request from a form. A JSON body answers JSON. The hosted form posts the same fields form-encoded (extra answers as `field:<id>`) and gets HTML: a 303 redirect to the chat page with the token in the fragment, or the form again with every problem at its field and everything typed kept (400/429), or a page saying the form is missing (404) or turned off (410).",
  who: anyone("Anyone (a patron). From another site only when the library allows that site (its allowed embedding origins)."),
  body: startChatSchema,
  answers: {
    201: "`{sessionId, token, status, chatUrl, socketPath, alternatives}`: `status` is `waiting` (librarians see the request now) or `unavailable` (nobody is monitoring a queue that would take it; `alternatives` then holds the library's other ways to get help `{message, email, phone, hours, links}`, else null). Keep `token`: it opens the socket and the patron routes below.",
    303: "(The hosted form's post.) To the chat page, the token in the fragment.",
  },
  refusals: [
    BAD_BODY,
    refusal(404, "not_found", "No such form.", "formId"),
    refusal(410, "not_found", "The form is turned off, or its library is archived.", "formId"),
    EMBED_REFUSED,
    refusal(429, "rate_limited", "Too many chat requests from this network address lately (the PATRON_RATE_LIMIT binding)."),
    refusal(400, "validation_failed", "An answer the form itself requires is missing, or an answer does not fit its field (unknown option, unknown field).", "`name`, `email` or `fields.<id>`"),
  ],
}), async (c) => {
  const isHtmlForm = (c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
  return isHtmlForm ? startFromHostedForm(c) : startFromApi(c);
});

/** JSON (the Qwidget, other clients): the first problem answers as an API error. */
async function startFromApi(c: Context<AppEnv>) {
  const request = await parseBody(c, startChatSchema);
  // The rate limit is asked beside the form lookup (one round trip less before the
  // request reaches the librarians); it counts requests for missing forms too,
  // which is what a flood looks like. The answers are still checked in order.
  const [found, limited] = await Promise.all([loadForm(database(c.env.DB), request.formId), rateLimited(c)]);
  if (!found) throw new ApiError(404, "not_found", "This chat form does not exist.", "formId");
  const closed = closedReason(found);
  if (closed) throw new ApiError(410, "not_found", closed, "formId");
  await corsForEmbed(c, found.library.allowedOrigins);
  if (limited) throw new ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE);
  const language = requestLanguage(c, found.form, request.language);
  const local = localizeForm(found, language);
  const problem = formFieldErrors(request, found.form.fields, local)[0];
  if (problem) throw badRequest(problem.message, problem.field);

  const { sessionId, token, status } = await startChatSession(c.env, found, request, requestOrigin(c), language);
  return c.json(
    {
      sessionId,
      token,
      status,
      chatUrl: `/chat/${sessionId}#token=${token}`,
      socketPath: `/api/chats/${sessionId}/socket`,
      alternatives: status === "unavailable" ? alternativesIn(found.library, language, local.unavailableMessage) : null,
    },
    201,
  );
}

/**
 * The hosted form without JavaScript: every refusal is a page a person can
 * read — the form again with each problem at its field and everything typed
 * kept, or a page saying the form is gone.
 */
async function startFromHostedForm(c: Context<AppEnv>) {
  let raw: Record<string, unknown>;
  try {
    raw = gatherFormPost(await readFields(c));
  } catch (error) {
    if (error instanceof ApiError) return c.html(requestRefusedPage(error.message, languageFor({ languages: [...LANGUAGES], defaultLanguage: "en" }, null, acceptedLanguages(c.req.header("accept-language")))), error.status);
    throw error;
  }
  const formId = typeof raw.formId === "string" ? raw.formId : "";
  const found = slugSchema.safeParse(formId).success ? await loadForm(database(c.env.DB), formId) : null;
  const asked = typeof raw.language === "string" ? raw.language : null;
  if (!found) return c.html(formMissingPage(languageFor({ languages: [...LANGUAGES], defaultLanguage: "en" }, asked, [])), 404);
  const language = requestLanguage(c, found.form, asked);
  if (closedReason(found)) return c.html(formTurnedOffPage(found, language), 410);
  await corsForEmbed(c, found.library.allowedOrigins);

  const local = localizeForm(found, language);
  const values = submittedValues(raw);
  const parsed = startChatSchema.safeParse(raw);
  const errors = parsed.success ? formFieldErrors(parsed.data, found.form.fields, local) : schemaErrors(parsed.error, local, values);
  if (!parsed.success) {
    // Also say what the form itself misses, so one round trip shows every problem.
    const loose: ChatRequest = { formId, question: values.question, name: values.name || undefined, email: values.email || undefined, fields: values.fields, noTranscript: values.noTranscript };
    for (const e of formFieldErrors(loose, found.form.fields, local)) if (!errors.some((x) => x.field === e.field)) errors.push(e);
  }
  const reshow = async (problems: FieldError[], status: 400 | 429) =>
    c.html(requestFormPage({ found, local, available: await chatAvailable(c.env, found.form), values, errors: inFormOrder(problems, found.form.fields) }), status);
  if (errors.length > 0 || !parsed.success) return reshow(errors, 400);
  if (await rateLimited(c)) return reshow([{ message: local.t("form.rateLimited") }], 429);

  const { sessionId, token } = await startChatSession(c.env, found, parsed.data, requestOrigin(c), language);
  // The token travels in the fragment: browsers never send it back to a server or put it in logs.
  return c.redirect(`/chat/${sessionId}#token=${token}`, 303);
}

/** Problems in the order the form shows its inputs; problems with the request as a whole first. */
function inFormOrder(errors: FieldError[], formFields: unknown): FieldError[] {
  const order = ["", "question", ...patronFields(formFields).map(requestFieldPath), "noTranscript"];
  const rank = (e: FieldError) => {
    const i = order.indexOf(e.field ?? "");
    return i < 0 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

/** The sites a library allows to embed its chat. */
async function allowedOriginsOf(env: Env, libraryId: string): Promise<string[]> {
  const row = await database(env.DB).select({ allowedOrigins: libraries.allowedOrigins }).from(libraries).where(eq(libraries.id, libraryId)).get();
  return row?.allowedOrigins ?? [];
}

/** corsForEmbed for a patron request about an existing session (the allowlist is looked up only for other sites). */
export async function corsForSessionLibrary(c: Context<AppEnv>, libraryId: string): Promise<void> {
  if (foreignOrigin(c)) await corsForEmbed(c, await allowedOriginsOf(c.env, libraryId));
}

/** Looks a session up through its object; 404 when it never existed. */
export async function describeSession(env: Env, sessionId: string) {
  if (!/^[0-9a-f-]{36}$/.test(sessionId)) throw notFound("Chat session");
  const found = await chatSession(env, sessionId).describe();
  if (!found) throw notFound("Chat session");
  return found;
}

/** The language the chat's patron is served in: what the server says to them is said in it. */
async function chatLanguage(env: Env, sessionId: string): Promise<Language> {
  const row = await database(env.DB).select({ language: chatSessions.language }).from(chatSessions).where(eq(chatSessions.id, sessionId)).get();
  return isLanguage(row?.language) ? row.language : "en";
}

export function bearerToken(c: Context<AppEnv>): string {
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer (\S+)$/.exec(header);
  if (!m) throw unauthorized("Send the chat's token as 'Authorization: Bearer <token>'.");
  return m[1]!;
}

export function librarianRef(l: Librarian) {
  return { id: l.id, name: l.displayName, libraryId: l.libraryId };
}

chatRoutes.get("/:id/socket", documented({
  group: GROUPS.patronChats,
  summary: "Chat session socket",
  description: "WebSocket for one chat session; see the chat session frames under WebSockets.",
  who: anyoneOrSignedIn(
    "The patron (proves itself with its token in the `hello` frame; cross-origin only from the library's allowed sites), or with `?as=librarian` a signed-in librarian from Refdesk's own pages: of the chat's library, or serving the chat.",
  ),
  kind: "websocket",
  params: PARAMS.sessionId,
  query: { as: "`librarian` to connect as the signed-in librarian; leave it out for the patron." },
  answers: { 101: "Switching Protocols." },
  refusals: [
    NOT_UPGRADE,
    SESSION_UNKNOWN,
    refusal(401, "unauthorized", "`as=librarian` and not signed in."),
    refusal(403, "forbidden", "`as=librarian` from another site (`Origin`)."),
    refusal(403, "forbidden", "`as=librarian` for a chat of another library this librarian is not serving."),
    refusal(403, "forbidden", "A patron socket from a site the library does not allow (no CORS on an upgrade: the check is on `Origin`).", "origin"),
  ],
}), async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "bad_frame", "Connect with a WebSocket.");
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  if (c.req.query("as") === "librarian") {
    const librarian = requireLibrarian(c);
    assertSameOrigin(c);
    assertCanReadSession(librarian, found.view);
    return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, {
      "X-Refdesk-Librarian": JSON.stringify(librarianRef(librarian)),
      "X-Refdesk-Sign-In": librarian.signInKey,
    });
  }
  // A patron's socket from another site: only from sites the library allows (no CORS headers on an upgrade).
  const origin = foreignOrigin(c);
  if (origin) assertEmbedAllowed(origin, await allowedOriginsOf(c.env, found.view.libraryId));
  // Chat with viewport: the page the patron chats from (the viewport's embedder), "" for our own pages.
  return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, { "X-Refdesk-Origin": origin ?? "" });
});

chatRoutes.get("/:id", documented({
  group: GROUPS.librarianChats,
  summary: "A chat's state",
  description: "The session's state, its resolution and whether it is filed, and the patron's rating once given.",
  who: SESSION_READER,
  params: PARAMS.sessionId,
  answers: { 200: `\`{session, resolution, filed, rating}\`: ${SESSION_VIEW}; \`rating\` is \`{score, comment}\` or null.` },
  refusals: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const found = await describeSession(c.env, c.req.param("id"));
  assertCanReadSession(requireLibrarian(c), found.view);
  const row = await database(c.env.DB)
    .select({ rating: chatSessions.rating, comment: chatSessions.ratingComment })
    .from(chatSessions)
    .where(eq(chatSessions.id, found.view.id))
    .get();
  const rating = row?.rating ? { score: row.rating, comment: row.comment } : null;
  return c.json({ session: found.view, resolution: found.resolution, filed: found.filed, rating });
});

chatRoutes.get("/:id/transcript", documented({
  group: GROUPS.librarianChats,
  summary: "A chat's transcript",
  description: "Every message so far.",
  who: SESSION_READER,
  params: PARAMS.sessionId,
  answers: { 200: `\`{session, messages}\`: ${SESSION_VIEW}; \`messages\` as in the \`message\` frame, in \`seq\` order.` },
  refusals: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  assertCanReadSession(requireLibrarian(c), found.view);
  return c.json({ session: found.view, messages: await chatSession(c.env, sessionId).transcript() });
});

chatRoutes.post("/:id/accept", documented({
  group: GROUPS.librarianChats,
  summary: "Accept a chat",
  description: "Accepts a waiting request, or a transfer offered to this librarian or their queue. The first accept wins; everyone else is told it is taken.",
  who: signedIn("A signed-in librarian who staffs a queue the request is in (their library's queue, or a group queue of their library's groups)."),
  params: PARAMS.sessionId,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW}.` },
  refusals: [
    NOT_SIGNED_IN,
    SESSION_UNKNOWN,
    refusal(403, "forbidden", "The request is in none of the queues this librarian staffs."),
    refusal(409, "session_ended", "The chat has ended, or the patron is no longer waiting."),
    refusal(409, "already_taken", "Another librarian accepted first. The error object also carries `takenBy` (their name)."),
    refusal(409, "not_active", "This librarian is the one transferring the chat (cancel the transfer to keep it)."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  await describeSession(c.env, sessionId);
  const queues = await staffableQueues(database(c.env.DB), librarian);
  const result = await chatSession(c.env, sessionId).claim(
    librarianRef(librarian),
    queues.map((q) => q.id),
  );
  if (result.ok) return c.json({ session: result.session });
  return c.json({ error: { code: result.code, message: result.message, ...(result.by ? { takenBy: result.by.name } : {}) } }, HTTP_STATUS[result.code]);
});

/** The descriptive codes a session may be ended with: its home library's active list. */
chatRoutes.get("/:id/codes", documented({
  group: GROUPS.librarianChats,
  summary: "Codes a chat may end with",
  description: "The descriptive codes the chat may be ended with — its home library's active list, in order — and whether that library wants them (`mode`: `off`, `optional` or `required`).",
  who: SESSION_READER,
  params: PARAMS.sessionId,
  answers: { 200: "`{codes: [{code, label}], mode}`." },
  refusals: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const found = await describeSession(c.env, c.req.param("id"));
  assertCanReadSession(requireLibrarian(c), found.view);
  const db = database(c.env.DB);
  const [rows, mode] = await Promise.all([
    db
      .select({ code: descriptiveCodes.code, label: descriptiveCodes.label })
      .from(descriptiveCodes)
      .where(and(eq(descriptiveCodes.libraryId, found.view.libraryId), eq(descriptiveCodes.active, true)))
      .orderBy(descriptiveCodes.position)
      .all(),
    codesModeOfLibrary(c.env.DB, found.view.libraryId),
  ]);
  return c.json({ codes: mode === "off" ? [] : rows, mode });
});

/** The home library's descriptive-codes setting. */
async function codesModeOfLibrary(d1: D1Database, libraryId: string): Promise<DescriptiveCodesMode> {
  const row = await database(d1).select({ mode: libraries.descriptiveCodesMode }).from(libraries).where(eq(libraries.id, libraryId)).get();
  return codesModeOf(row?.mode);
}

chatRoutes.post("/:id/end", documented({
  group: GROUPS.librarianChats,
  summary: "End a chat",
  description:
    "Ends the chat with a resolution code and descriptive codes as its home library wants them (none when it turned them off, 1 to 4 when it requires them, else up to 4): files the transcript as a question of the patron's library, and queues the patron's transcript mail. The same end twice changes nothing and answers the same.",
  who: SERVING_LIBRARIAN,
  params: PARAMS.sessionId,
  body: endChatSchema,
  answers: { 200: "`{ended: true, filed}`." },
  refusals: [
    NOT_SIGNED_IN,
    refusal(400, "validation_failed", "The body breaks the schema.", "`resolution`, `descriptiveCodes` or `note`"),
    SESSION_UNKNOWN,
    NOT_SERVING,
    refusal(400, "validation_failed", "Descriptive codes given where the library turned them off, or none where it requires them.", "descriptiveCodes"),
    refusal(400, "validation_failed", "A descriptive code is not an active code of the chat's library.", "descriptiveCodes.N"),
    refusal(409, "session_ended", "The chat was already ended with other codes."),
    refusal(409, "not_active", "The chat is not in progress (still waiting, or never answered)."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, endChatSchema);
  const found = await describeSession(c.env, sessionId);
  if (found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian serving this chat can end it.");
  const problem = codesCountProblem(await codesModeOfLibrary(c.env.DB, found.view.libraryId), body.descriptiveCodes.length);
  if (problem) throw badRequest(`${problem} (${found.view.libraryName}'s setting)`, "descriptiveCodes");
  if (body.descriptiveCodes.length > 0) {
    const active = await database(c.env.DB)
      .select({ code: descriptiveCodes.code })
      .from(descriptiveCodes)
      .where(and(eq(descriptiveCodes.libraryId, found.view.libraryId), eq(descriptiveCodes.active, true), inArray(descriptiveCodes.code, body.descriptiveCodes)))
      .all();
    const activeSet = new Set(active.map((r) => r.code));
    const bad = body.descriptiveCodes.findIndex((code) => !activeSet.has(code));
    if (bad >= 0) throw badRequest(`"${body.descriptiveCodes[bad]}" is not an active descriptive code of ${found.view.libraryName}`, `descriptiveCodes.${bad}`);
  }
  const result = await chatSession(c.env, sessionId).end({
    librarianId: librarian.id,
    resolution: body.resolution,
    descriptiveCodes: body.descriptiveCodes,
    note: body.note ?? null,
  });
  if (!result.ok) throw refusalError(result);
  return c.json({ ended: true, filed: result.filed });
});

chatRoutes.post("/:id/leave-question", documented({
  group: GROUPS.patronChats,
  summary: "Leave the question for e-mail follow-up",
  description:
    "When no librarian is available (or none has answered yet): leave the question for follow-up by e-mail. Ends the chat; the question is filed with the library, resolution `followup_by_library`.",
  who: PATRON,
  params: PARAMS.sessionId,
  body: leaveQuestionSchema,
  answers: { 200: "`{filed: true, message}`." },
  refusals: [NO_BEARER, BAD_BODY, SESSION_UNKNOWN, EMBED_REFUSED, BAD_TOKEN, refusal(409, "not_active", "A librarian has answered, or the chat is over.")],
}), async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const body = await parseBody(c, leaveQuestionSchema);
  const found = await describeSession(c.env, sessionId);
  await corsForSessionLibrary(c, found.view.libraryId);
  const result = await chatSession(c.env, sessionId).leaveQuestion(token, body.email, body.name ?? null, body.details ?? null);
  if (!result.ok) throw refusalError(result);
  return c.json({ filed: true, message: translate(await chatLanguage(c.env, sessionId), "unavailable.sent") });
});

chatRoutes.post("/:id/language", documented({
  group: GROUPS.patronChats,
  summary: "Switch the chat's language",
  description: "The patron chose another language in the window: the chat's mails (the transcript, a follow-up) are written in it from now on. Only a language the chat's form offers.",
  who: PATRON,
  params: PARAMS.sessionId,
  body: chatLanguageSchema,
  answers: { 200: "`{language}`." },
  refusals: [NO_BEARER, BAD_BODY, refusal(400, "validation_failed", "The chat's form does not offer this language.", "language"), SESSION_UNKNOWN, EMBED_REFUSED, BAD_TOKEN],
}), async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const body = await parseBody(c, chatLanguageSchema);
  const found = await describeSession(c.env, sessionId);
  await corsForSessionLibrary(c, found.view.libraryId);
  if (!(await chatSession(c.env, sessionId).patronTokenValid(token))) throw unauthorized("This chat link is not valid.");
  const db = database(c.env.DB);
  const row = await db.select({ languages: forms.languages, defaultLanguage: forms.defaultLanguage }).from(chatSessions).leftJoin(forms, eq(forms.id, chatSessions.formId)).where(eq(chatSessions.id, sessionId)).get();
  const offered = row?.languages && row.defaultLanguage ? formLanguages({ languages: row.languages, defaultLanguage: row.defaultLanguage }).offered : [];
  if (!offered.some((l) => l === body.language)) throw badRequest("This chat's form does not offer that language.", "language");
  await db.update(chatSessions).set({ language: body.language }).where(eq(chatSessions.id, sessionId));
  return c.json({ language: body.language });
});

/**
 * After the chat, the patron rates it — with a comment, or answering the
 * form's survey, as the form asks (src/shared/survey.ts). Stored with the
 * session for the library; rating again replaces the earlier rating.
 */
chatRoutes.get("/:id/survey", documented({
  group: GROUPS.patronChats,
  summary: "What the patron is asked after the chat",
  description: "The form's feedback: `off`, a rating, a rating and a comment, or a rating and the library's own questions.",
  who: PATRON,
  params: PARAMS.sessionId,
  answers: { 200: "`{survey: {mode, questions: [{id, text, kind, options, required}]}}`." },
  refusals: [NO_BEARER, SESSION_UNKNOWN, EMBED_REFUSED, BAD_TOKEN],
}), async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const found = await describeSession(c.env, sessionId);
  await corsForSessionLibrary(c, found.view.libraryId);
  if (!(await chatSession(c.env, sessionId).patronTokenValid(token))) throw unauthorized("This chat link is not valid.");
  const chat = await ratedChat(c.env.DB, sessionId);
  return c.json({ survey: chat?.survey ?? DEFAULT_SURVEY });
});

chatRoutes.post("/:id/rating", documented({
  group: GROUPS.patronChats,
  summary: "Rate a chat",
  description: `After a chat with a librarian has ended: rate it from ${RATING.lowest} to ${RATING.highest}, with a comment or the answers to the form's survey when the form asks for them. Rating again replaces the earlier rating.`,
  who: PATRON,
  params: PARAMS.sessionId,
  body: ratingSchema,
  answers: { 200: "`{rating: {score, comment}, message}`." },
  refusals: [
    NO_BEARER,
    refusal(400, "validation_failed", "The body breaks the schema, or the survey: a comment the form does not ask for, an unknown question, a required answer missing, an answer that does not fit its question.", "`rating`, `comment` or `answers.<question>`"),
    SESSION_UNKNOWN,
    EMBED_REFUSED,
    BAD_TOKEN,
    refusal(409, "not_active", "The chat is not over yet, no librarian ever answered it, or its form does not ask for ratings."),
  ],
}), async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const body = await parseBody(c, ratingSchema);
  const found = await describeSession(c.env, sessionId);
  await corsForSessionLibrary(c, found.view.libraryId);
  if (!(await chatSession(c.env, sessionId).patronTokenValid(token))) throw unauthorized("This chat link is not valid.");
  const over = found.view.status === "ended" || found.view.status === "patron_left";
  if (!over || found.view.acceptedAt === null) {
    throw new ApiError(409, "not_active", "A chat can be rated once you have chatted with a librarian and the chat has ended.");
  }
  const chat = await ratedChat(c.env.DB, sessionId);
  if (!chat || chat.survey.mode === "off") throw new ApiError(409, "not_active", "This library does not ask for ratings.");
  const db = database(c.env.DB);
  const rating = ratingStatements(db, chat, body, Date.now());
  if (!rating.ok) throw badRequest(rating.message, rating.field);
  await db.batch(rating.statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  // The rating counts in statistics at once (the comment stays with the chat, and goes with its retention).
  await syncStatFact(c.env.DB, sessionId);
  return c.json({ rating: { score: body.rating, comment: asksComment(chat.survey) ? (body.comment ?? null) : null }, message: translate(await chatLanguage(c.env, sessionId), "rating.thanksChat") });
});
