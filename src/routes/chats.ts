/**
 * /api/chats — a patron asks, librarians accept and end, both connect sockets;
 * after the chat the patron rates it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { Librarian } from "../auth/librarian";
import { database } from "../db/client";
import { chatSessions, descriptiveCodes, libraries } from "../db/schema";
import { assertCanReadSession } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { ApiError, badRequest, forbidden, HTTP_STATUS, notFound, refusalError, unauthorized } from "../http/errors";
import { assertEmbedAllowed, assertSameOrigin, corsForEmbed, foreignOrigin } from "../http/origins";
import { parseBody, readBody } from "../http/validate";
import { chatSession, forwardUpgrade } from "../objects";
import { formMissingPage, formTurnedOffPage, requestFormPage, requestRefusedPage } from "../pages/request-form";
import { formFieldErrors, gatherFormPost, schemaErrors, submittedValues, type ChatRequest, type FieldError } from "../patrons/chat-request";
import { alternativesOf, chatAvailable, loadForm } from "../patrons/forms";
import { startChatSession, type RequestOrigin } from "../patrons/start-chat";
import { staffableQueues } from "../queues/staffing";
import { endChatSchema, leaveQuestionSchema, ratingSchema, slugSchema, startChatSchema } from "../shared/api";
import { patronFields, requestFieldPath } from "../shared/forms";

export const chatRoutes = new Hono<AppEnv>();

/** Shown when one address asks too often (PATRON_RATE_LIMIT). */
export const RATE_LIMITED_MESSAGE = "Too many chat requests from your network. Please wait a minute and try again.";

/** Whether this patron's address has asked too often lately. */
async function rateLimited(c: Context<AppEnv>): Promise<boolean> {
  const ip = c.req.header("cf-connecting-ip") ?? "127.0.0.1";
  const { success } = await c.env.PATRON_RATE_LIMIT.limit({ key: `start:${ip}` });
  return !success;
}

function requestOrigin(c: Context<AppEnv>): RequestOrigin {
  return { ip: c.req.header("cf-connecting-ip") ?? "127.0.0.1", userAgent: c.req.header("user-agent") ?? null, referrer: c.req.header("referer") ?? null };
}

chatRoutes.post("/", async (c) => {
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
  if (!found.form.enabled) throw new ApiError(410, "not_found", `${found.library.name} has turned this chat form off.`, "formId");
  await corsForEmbed(c, found.library.allowedOrigins);
  if (limited) throw new ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE);
  const problem = formFieldErrors(request, found.form.fields)[0];
  if (problem) throw badRequest(problem.message, problem.field);

  const { sessionId, token, status } = await startChatSession(c.env, found, request, requestOrigin(c));
  return c.json(
    {
      sessionId,
      token,
      status,
      chatUrl: `/chat/${sessionId}#token=${token}`,
      socketPath: `/api/chats/${sessionId}/socket`,
      alternatives: status === "unavailable" ? alternativesOf(found.library) : null,
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
    raw = gatherFormPost((await readBody(c)) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ApiError) return c.html(requestRefusedPage(error.message), error.status);
    throw error;
  }
  const formId = typeof raw.formId === "string" ? raw.formId : "";
  const found = slugSchema.safeParse(formId).success ? await loadForm(database(c.env.DB), formId) : null;
  if (!found) return c.html(formMissingPage(), 404);
  if (!found.form.enabled) return c.html(formTurnedOffPage(found), 410);
  await corsForEmbed(c, found.library.allowedOrigins);

  const values = submittedValues(raw);
  const parsed = startChatSchema.safeParse(raw);
  const errors = parsed.success ? formFieldErrors(parsed.data, found.form.fields) : schemaErrors(parsed.error);
  if (!parsed.success) {
    // Also say what the form itself misses, so one round trip shows every problem.
    const loose: ChatRequest = { formId, question: values.question, name: values.name || undefined, email: values.email || undefined, fields: values.fields, noTranscript: values.noTranscript };
    for (const e of formFieldErrors(loose, found.form.fields)) if (!errors.some((x) => x.field === e.field)) errors.push(e);
  }
  const reshow = async (problems: FieldError[], status: 400 | 429) =>
    c.html(requestFormPage({ found, available: await chatAvailable(c.env, found.form), values, errors: inFormOrder(problems, found.form.fields) }), status);
  if (errors.length > 0 || !parsed.success) return reshow(errors, 400);
  if (await rateLimited(c)) return reshow([{ message: RATE_LIMITED_MESSAGE }], 429);

  const { sessionId, token } = await startChatSession(c.env, found, parsed.data, requestOrigin(c));
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
async function corsForSessionLibrary(c: Context<AppEnv>, libraryId: string): Promise<void> {
  if (foreignOrigin(c)) await corsForEmbed(c, await allowedOriginsOf(c.env, libraryId));
}

/** Looks a session up through its object; 404 when it never existed. */
export async function describeSession(env: Env, sessionId: string) {
  if (!/^[0-9a-f-]{36}$/.test(sessionId)) throw notFound("Chat session");
  const found = await chatSession(env, sessionId).describe();
  if (!found) throw notFound("Chat session");
  return found;
}

function bearerToken(c: Context<AppEnv>): string {
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer (\S+)$/.exec(header);
  if (!m) throw unauthorized("Send the chat's token as 'Authorization: Bearer <token>'.");
  return m[1]!;
}

export function librarianRef(l: Librarian) {
  return { id: l.id, name: l.displayName, libraryId: l.libraryId };
}

chatRoutes.get("/:id/socket", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "bad_frame", "Connect with a WebSocket.");
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  if (c.req.query("as") === "librarian") {
    const librarian = requireLibrarian(c);
    assertSameOrigin(c);
    assertCanReadSession(librarian, found.view);
    return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, { "X-Refdesk-Librarian": JSON.stringify(librarianRef(librarian)) });
  }
  // A patron's socket from another site: only from sites the library allows (no CORS headers on an upgrade).
  const origin = foreignOrigin(c);
  if (origin) assertEmbedAllowed(origin, await allowedOriginsOf(c.env, found.view.libraryId));
  // Chat with viewport: the page the patron chats from (the viewport's embedder), "" for our own pages.
  return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, { "X-Refdesk-Origin": origin ?? "" });
});

chatRoutes.get("/:id", async (c) => {
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

chatRoutes.get("/:id/transcript", async (c) => {
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  assertCanReadSession(requireLibrarian(c), found.view);
  return c.json({ session: found.view, messages: await chatSession(c.env, sessionId).transcript() });
});

chatRoutes.post("/:id/accept", async (c) => {
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
chatRoutes.get("/:id/codes", async (c) => {
  const found = await describeSession(c.env, c.req.param("id"));
  assertCanReadSession(requireLibrarian(c), found.view);
  const rows = await database(c.env.DB)
    .select({ code: descriptiveCodes.code, label: descriptiveCodes.label })
    .from(descriptiveCodes)
    .where(and(eq(descriptiveCodes.libraryId, found.view.libraryId), eq(descriptiveCodes.active, true)))
    .orderBy(descriptiveCodes.position)
    .all();
  return c.json({ codes: rows });
});

chatRoutes.post("/:id/end", async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, endChatSchema);
  const found = await describeSession(c.env, sessionId);
  if (found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian serving this chat can end it.");
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

chatRoutes.post("/:id/leave-question", async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const body = await parseBody(c, leaveQuestionSchema);
  const found = await describeSession(c.env, sessionId);
  await corsForSessionLibrary(c, found.view.libraryId);
  const result = await chatSession(c.env, sessionId).leaveQuestion(token, body.email, body.name ?? null, body.details ?? null);
  if (!result.ok) throw refusalError(result);
  return c.json({ filed: true, message: "Thank you. Your question has been sent to the library; a librarian will answer by e-mail." });
});

/**
 * After the chat, the patron rates it (and may comment). Stored with the
 * session for the library; rating again replaces the earlier rating.
 */
chatRoutes.post("/:id/rating", async (c) => {
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
  const comment = body.comment ?? null;
  await database(c.env.DB).update(chatSessions).set({ rating: body.rating, ratingComment: comment }).where(eq(chatSessions.id, sessionId));
  return c.json({ rating: { score: body.rating, comment }, message: "Thank you for your feedback." });
});
