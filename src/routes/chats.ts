/**
 * /api/chats — a patron asks, librarians accept and end, both connect sockets.
 */
import { and, eq, inArray } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { Librarian } from "../auth/librarian";
import { digestToken, newToken } from "../auth/tokens";
import { database } from "../db/client";
import { chatSessions, descriptiveCodes, forms, libraries } from "../db/schema";
import { assertCanReadSession } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { ApiError, badRequest, forbidden, notFound, unauthorized } from "../http/errors";
import { parseBody, readBody, validate } from "../http/validate";
import { chatSession, forwardUpgrade } from "../objects";
import { staffableQueues } from "../queues/staffing";
import { planRoute } from "../queues/routing-policy";
import { endChatSchema, leaveQuestionSchema, startChatSchema } from "../shared/api";
import { parseFormFields } from "../shared/forms";
import { truncateIp } from "../shared/privacy";
import { assertSameOrigin, corsForEmbed } from "../http/origins";

export const chatRoutes = new Hono<AppEnv>();

/** The library's own ways to get help, shown when chat is not available. */
export function alternativesOf(library: typeof libraries.$inferSelect) {
  return {
    message: library.unavailableMessage ?? `No librarian from ${library.name} is available to chat right now.`,
    email: library.contactEmail,
    phone: library.phone,
    hours: library.hoursText,
    links: library.fallbackLinks,
  };
}

chatRoutes.post("/", async (c) => {
  const isHtmlForm = (c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
  const raw = (await readBody(c)) as Record<string, unknown>;
  // HTML forms send extra answers as field:<id>; gather them into `fields`.
  if (isHtmlForm && raw && typeof raw === "object") {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (k.startsWith("field:")) fields[k.slice(6)] = v;
    raw.fields = fields;
  }
  const body = validate(startChatSchema, raw);
  const db = database(c.env.DB);
  const found = await db.select({ form: forms, library: libraries }).from(forms).innerJoin(libraries, eq(libraries.id, forms.libraryId)).where(eq(forms.id, body.formId)).get();
  if (!found) throw new ApiError(404, "not_found", "This chat form does not exist.", "formId");
  const { form, library } = found;
  if (!form.enabled) throw new ApiError(410, "not_found", `${library.name} has turned this chat form off.`, "formId");
  await corsForEmbed(c, library.allowedOrigins);

  const ip = c.req.header("cf-connecting-ip") ?? "127.0.0.1";
  const { success } = await c.env.PATRON_RATE_LIMIT.limit({ key: `start:${ip}` });
  if (!success) throw new ApiError(429, "rate_limited", "Too many chat requests from your network. Please wait a minute and try again.");

  const fieldDefs = parseFormFields(form.fields);
  for (const def of fieldDefs) {
    const value = def.id === "question" ? body.question : def.id === "name" ? body.name : def.id === "email" ? body.email : body.fields[def.id];
    if (def.required && !value) throw badRequest(`${def.label} is required`, def.id === "name" || def.id === "email" ? def.id : `fields.${def.id}`);
    if (def.kind === "select" && value && def.options && !def.options.includes(value)) throw badRequest(`${def.label}: choose one of the options`, `fields.${def.id}`);
  }
  const known = new Set(fieldDefs.map((f) => f.id));
  const unknown = Object.keys(body.fields).find((k) => !known.has(k));
  if (unknown) throw badRequest(`This form has no field "${unknown}"`, `fields.${unknown}`);

  const sessionId = crypto.randomUUID();
  const token = newToken();
  const tokenHash = await digestToken(token);
  const now = Date.now();
  await db.insert(chatSessions).values({
    id: sessionId,
    libraryId: library.id,
    formId: form.id,
    queueId: form.queueId,
    status: "waiting",
    question: body.question,
    patronName: body.name ?? null,
    patronEmail: body.email ?? null,
    patronDetails: body.fields,
    transcriptOptOut: body.noTranscript,
    patronIp: library.ipMode === "none" ? null : truncateIp(ip),
    userAgent: c.req.header("user-agent")?.slice(0, 300) ?? null,
    referrer: body.pageUrl ?? c.req.header("referer")?.slice(0, 2000) ?? null,
    createdAt: now,
  });
  const { status } = await chatSession(c.env, sessionId).start({
    sessionId,
    tokenHash,
    libraryId: library.id,
    libraryName: library.name,
    formId: form.id,
    formTitle: form.title,
    queueId: form.queueId,
    question: body.question,
    patronName: body.name ?? null,
    patronEmail: body.email ?? null,
    transcriptOptOut: body.noTranscript,
    waitLimitSeconds: library.waitLimitSeconds,
    // Cooperative routing: the home queue first, then the library's groups in order.
    route: await planRoute(db, library.id, form.queueId),
  });
  if (isHtmlForm) {
    // The token travels in the fragment: browsers never send it back to a server or put it in logs.
    return c.redirect(`/chat/${sessionId}#token=${token}`, 303);
  }
  return c.json(
    {
      sessionId,
      token,
      status,
      chatUrl: `/chat/${sessionId}#token=${token}`,
      socketPath: `/api/chats/${sessionId}/socket`,
      alternatives: status === "unavailable" ? alternativesOf(library) : null,
    },
    201,
  );
});

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
  return forwardUpgrade(chatSession(c.env, sessionId), c.req.raw, {});
});

chatRoutes.get("/:id", async (c) => {
  const found = await describeSession(c.env, c.req.param("id"));
  assertCanReadSession(requireLibrarian(c), found.view);
  return c.json({ session: found.view, resolution: found.resolution, filed: found.filed });
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
  const status = result.code === "already_taken" ? 409 : result.code === "forbidden" ? 403 : result.code === "not_found" ? 404 : 409;
  return c.json({ error: { code: result.code, message: result.message, ...(result.by ? { takenBy: result.by.name } : {}) } }, status);
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
  if (!result.ok) throw new ApiError(result.code === "forbidden" ? 403 : 409, result.code, result.message);
  return c.json({ ended: true, filed: result.filed });
});

chatRoutes.post("/:id/leave-question", async (c) => {
  const sessionId = c.req.param("id");
  const token = bearerToken(c);
  const body = await parseBody(c, leaveQuestionSchema);
  await describeSession(c.env, sessionId);
  const result = await chatSession(c.env, sessionId).leaveQuestion(token, body.email, body.name ?? null, body.details ?? null);
  if (!result.ok) throw new ApiError(result.code === "unauthorized" ? 401 : 409, result.code, result.message);
  return c.json({ filed: true, message: "Thank you. Your question has been sent to the library; a librarian will answer by e-mail." });
});
