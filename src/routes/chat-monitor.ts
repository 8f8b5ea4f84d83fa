/**
 * /api/chats/:id/… — what the chat monitor needs beyond the core chat routes:
 * the patron's details (with their earlier sessions at the same library),
 * internal notes, and transfers (offer, cancel, decline). Mounted beside
 * `chatRoutes` under /api/chats.
 */
import { isLanguage, LANGUAGE_NAMES } from "../i18n/languages";
import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { TransferTarget } from "../objects/contracts";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import { chatSessions, forms, libraries, questions } from "../db/schema";
import { assertCanReadSession, readableSessions, visibleQuestions } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { ApiError, badRequest, forbidden, notFound, refusalError } from "../http/errors";
import { parseBody } from "../http/validate";
import { chatSession } from "../objects";
import { monitoringColleague } from "../queues/colleagues";
import { staffableQueues } from "../queues/staffing";
import { transferChatSchema } from "../shared/api";
import { parseFormFields } from "../shared/forms";
import { LIMITS, TIMING } from "../shared/limits";
import { summariseUserAgent } from "../shared/user-agent";
import { describeSession, librarianRef } from "./chats";
import { SERVING_LIBRARIAN, SESSION_READER, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SERVING, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY, SESSION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS, SESSION_VIEW } from "./openapi/shapes";

export const monitorChatRoutes = new Hono<AppEnv>();

/** Where a library's policy page lives (built elsewhere; the monitor only links to it). */
export const policiesPath = (libraryId: string) => `/policies/${encodeURIComponent(libraryId)}`;

monitorChatRoutes.get("/:id/details", documented({
  group: GROUPS.librarianChats,
  summary: "About the patron",
  description:
    "What the monitor shows about the patron: their answers to the form, where they asked from, and their earlier chats at the same library (by e-mail, or by the anonymous id their browser sent; only chats this librarian may read), each with a link to its transcript where this librarian may read it.",
  who: SESSION_READER,
  params: PARAMS.sessionId,
  answers: {
    200: `\`{patron: {name, email, answers: [{id, label, value}]}, library: {id, name, policiesUrl}, form: {id, title} | null, language: {tag, name} (the language the patron is served in, by its own name), referrer, browser, userAgent, createdAt, earlierSessions: [{id, question, status, resolution, librarianName, createdAt, matchedBy, transcriptUrl}], recognisable}\` (at most ${LIMITS.earlierSessions} earlier sessions, newest first; \`matchedBy\` is \`email\` or \`browser\`; \`transcriptUrl\` is the question page with the transcript, when this librarian may read it, else null).`,
  },
  refusals: [NOT_SIGNED_IN, SESSION_UNKNOWN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  assertCanReadSession(librarian, found.view);
  const db = database(c.env.DB);
  const row = await db
    .select({ session: chatSessions, libraryName: libraries.name, formTitle: forms.title, formFields: forms.fields })
    .from(chatSessions)
    .innerJoin(libraries, eq(libraries.id, chatSessions.libraryId))
    .leftJoin(forms, eq(forms.id, chatSessions.formId))
    .where(eq(chatSessions.id, sessionId))
    .get();
  if (!row) throw notFound("Chat session");
  const s = row.session;
  const labels = new Map(parseFormFields(row.formFields ?? []).map((f) => [f.id, f.label]));
  // Earlier sessions: the same e-mail or the same browser at the same library, and — tenancy — only rows this librarian may read.
  const same = [s.patronEmail ? eq(chatSessions.patronEmail, s.patronEmail) : null, s.patronBrowserId ? eq(chatSessions.patronBrowserId, s.patronBrowserId) : null].filter((x) => x !== null);
  const earlier =
    same.length > 0
      ? await db
          .select({
            id: chatSessions.id,
            question: chatSessions.question,
            status: chatSessions.status,
            resolution: chatSessions.resolutionCode,
            librarianName: chatSessions.librarianName,
            createdAt: chatSessions.createdAt,
            sameEmail: s.patronEmail ? sql<number>`${chatSessions.patronEmail} = ${s.patronEmail}` : sql<number>`0`,
            questionId: questions.id,
            // The transcript is on the question's page, for whoever may read that question (src/db/tenancy.ts).
            questionVisible: sql<number>`case when ${questions.id} is not null and ${visibleQuestions(librarian)} then 1 else 0 end`,
          })
          .from(chatSessions)
          .leftJoin(questions, eq(questions.sessionId, chatSessions.id))
          .where(and(eq(chatSessions.libraryId, s.libraryId), or(...same), ne(chatSessions.id, s.id), readableSessions(librarian)))
          .orderBy(desc(chatSessions.createdAt))
          .limit(LIMITS.earlierSessions)
          .all()
      : [];
  return c.json({
    patron: {
      name: s.patronName,
      email: s.patronEmail,
      answers: Object.entries(s.patronDetails)
        .filter(([, value]) => value !== "")
        .map(([id, value]) => ({ id, label: labels.get(id) ?? id, value })),
    },
    library: { id: s.libraryId, name: row.libraryName, policiesUrl: policiesPath(s.libraryId) },
    form: s.formId ? { id: s.formId, title: row.formTitle ?? s.formId } : null,
    language: { tag: s.language, name: isLanguage(s.language) ? LANGUAGE_NAMES[s.language] : s.language },
    referrer: s.referrer,
    browser: summariseUserAgent(s.userAgent),
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    earlierSessions: earlier.map(({ sameEmail, questionId, questionVisible, ...e }) => ({
      ...e,
      matchedBy: sameEmail ? "email" : "browser",
      transcriptUrl: questionVisible && questionId ? `/questions/${encodeURIComponent(questionId)}` : null,
    })),
    /** Whether earlier chats could be looked for at all: an e-mail address, or the patron's browser id. */
    recognisable: same.length > 0,
  });
});

monitorChatRoutes.get("/:id/notes", documented({
  group: GROUPS.librarianChats,
  summary: "Internal notes about a chat",
  description: "Internal notes about the chat (the notes given with transfers), oldest first. Never shown to the patron.",
  who: SESSION_READER,
  params: PARAMS.sessionId,
  answers: { 200: "`{notes: [{id, at, author: {id, name}, kind: \"transfer\", body}]}`." },
  refusals: [SESSION_UNKNOWN, NOT_SIGNED_IN, SESSION_OTHER_LIBRARY],
}), async (c) => {
  const sessionId = c.req.param("id");
  const found = await describeSession(c.env, sessionId);
  assertCanReadSession(requireLibrarian(c), found.view);
  return c.json({ notes: await chatSession(c.env, sessionId).internalNotes() });
});

monitorChatRoutes.post("/:id/transfer", documented({
  group: GROUPS.librarianChats,
  summary: "Offer a chat to another librarian or queue",
  description: `Offers the chat to one librarian who is monitoring one of this librarian's queues, or to a queue this librarian staffs. The serving librarian keeps the chat until someone accepts (\`POST …/accept\`), the offer is declined or cancelled, or ${TIMING.transferOfferMs / 1000} s pass.`,
  who: SERVING_LIBRARIAN,
  params: PARAMS.sessionId,
  body: transferChatSchema,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW} (with \`transfer\` set).` },
  refusals: [
    NOT_SIGNED_IN,
    BAD_BODY,
    SESSION_UNKNOWN,
    NOT_SERVING,
    refusal(409, "session_ended", "The chat has ended."),
    refusal(404, "not_found", "The queue is not among the queues this librarian staffs.", "to.queueId"),
    refusal(400, "validation_failed", "The librarian named is the one serving the chat.", "to.librarianId"),
    refusal(404, "not_found", "That librarian is not monitoring (or is away on) any of this librarian's queues.", "to.librarianId"),
    refusal(409, "not_active", "The patron has left, or the chat is already being transferred."),
    refusal(404, "not_found", "Nobody (else) is monitoring the target queue, or the librarian has just gone.", "`to.queueId` or `to.librarianId`"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, transferChatSchema);
  const found = await describeSession(c.env, sessionId);
  if (found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian serving this chat can transfer it.");
  if (found.view.status === "ended" || found.view.status === "unavailable") throw new ApiError(409, "session_ended", "This chat has ended.");
  let to: TransferTarget;
  let queueId: string;
  if (body.to.kind === "queue") {
    const wanted = body.to.queueId;
    const queue = (await staffableQueues(database(c.env.DB), librarian)).find((q) => q.id === wanted);
    if (!queue) throw new ApiError(404, "not_found", "There is no such queue among the queues you staff.", "to.queueId");
    to = { kind: "queue", queueName: queue.name };
    queueId = queue.id;
  } else {
    const wanted = body.to.librarianId;
    if (wanted === librarian.id) throw badRequest("You are already serving this chat.", "to.librarianId");
    const found = await monitoringColleague(c.env, librarian, wanted);
    if (!found) throw new ApiError(404, "not_found", "That librarian is not monitoring any of your queues right now.", "to.librarianId");
    to = { kind: "librarian", librarian: found.colleague };
    queueId = found.queueId;
  }
  const result = await chatSession(c.env, sessionId).offerTransfer({ from: librarianRef(librarian), to, queueId, note: body.note ?? null });
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});

monitorChatRoutes.post("/:id/transfer/cancel", documented({
  group: GROUPS.librarianChats,
  summary: "Take a transfer offer back",
  description: "Takes a transfer offer back; the chat stays with this librarian.",
  who: signedIn("The signed-in librarian serving the chat (who offered the transfer)."),
  params: PARAMS.sessionId,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW}.` },
  refusals: [NOT_SIGNED_IN, SESSION_UNKNOWN, NOT_SERVING, refusal(409, "not_active", "The chat is not being transferred.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  await describeSession(c.env, sessionId);
  const result = await chatSession(c.env, sessionId).cancelTransfer(librarian.id);
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});

monitorChatRoutes.post("/:id/transfer/decline", documented({
  group: GROUPS.librarianChats,
  summary: "Decline a transfer offered to me",
  description: "Declines a transfer offered to this librarian; the chat stays with the librarian who offered it.",
  who: signedIn("The signed-in librarian the chat is being offered to by name."),
  params: PARAMS.sessionId,
  answers: { 200: "`{declined: true}`." },
  refusals: [NOT_SIGNED_IN, SESSION_UNKNOWN, refusal(403, "forbidden", "The chat is not being offered to this librarian.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  await describeSession(c.env, sessionId);
  const result = await chatSession(c.env, sessionId).declineTransfer(librarian.id);
  if (!result.ok) throw refusalError(result);
  return c.json({ declined: true });
});
