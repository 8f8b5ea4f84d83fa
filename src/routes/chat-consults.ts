/**
 * /api/chats/:id/consult… — the librarian who owns a chat invites a colleague
 * to help as a second librarian; the colleague joins or declines; a
 * consultant leaves (or the owner lets one go). The rules are the chat
 * session's (durable-objects/chat-session/rules/consult.ts).
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { AppEnv } from "../http/app-env";
import { ApiError, forbidden, refusalError } from "../http/errors";
import { parseBody } from "../http/validate";
import { chatSession } from "../objects";
import { database } from "../db/client";
import { consultInviteSchema, consultLeaveSchema } from "../shared/api";
import { TIMING } from "../shared/limits";
import { reachableOnline } from "../staff/colleagues";
import { describeSession, librarianRef } from "./chats";
import { SERVING_LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SERVING, NOT_SIGNED_IN, SESSION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS, SESSION_VIEW } from "./openapi/shapes";

export const consultRoutes = new Hono<AppEnv>();

const NOT_INVITED = refusal(403, "forbidden", "This librarian has not been invited to the chat.");

consultRoutes.post("/:id/consult", documented({
  group: GROUPS.librarianChats,
  summary: "Invite a colleague to consult",
  description: `Invites a colleague of this librarian's library or cooperatives who is online (monitoring one of the queues they staff, not away; \`GET /api/staff/colleagues\` lists them) into the chat as a second librarian: they see the invitation on that queue and join (\`POST …/consult/accept\`) or decline; it lapses after ${TIMING.transferOfferMs / 1000} s. The owner keeps the chat and ends it.`,
  who: SERVING_LIBRARIAN,
  params: PARAMS.sessionId,
  body: consultInviteSchema,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW} (with \`consultInvite\` set).` },
  refusals: [
    NOT_SIGNED_IN,
    BAD_BODY,
    SESSION_UNKNOWN,
    NOT_SERVING,
    refusal(404, "not_found", "That librarian is not a colleague of this library or its cooperatives, or is not online (offline or away).", "librarianId"),
    refusal(400, "validation_failed", "That librarian is already in the chat.", "librarianId"),
    refusal(409, "not_active", "The patron has left, or another colleague's invitation is open."),
    refusal(409, "session_ended", "The chat has ended."),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, consultInviteSchema);
  const found = await describeSession(c.env, sessionId);
  if (found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian who owns this chat can invite a colleague.");
  if (body.librarianId === librarian.id) throw new ApiError(400, "validation_failed", "You are already in this chat; choose a colleague.", "librarianId");
  const colleague = await reachableOnline(c.env, database(c.env.DB), librarian, body.librarianId);
  if (!colleague) throw new ApiError(404, "not_found", "That librarian is not online in your library or cooperatives right now.", "librarianId");
  const result = await chatSession(c.env, sessionId).inviteConsultant({ from: librarianRef(librarian), to: colleague.colleague, queueId: colleague.queueId });
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});

consultRoutes.post("/:id/consult/accept", documented({
  group: GROUPS.librarianChats,
  summary: "Join a chat as a consultant",
  description: "The invited colleague joins the chat: the patron is told who joined, and the colleague's chat socket (`?as=librarian`) may now say hello and write.",
  who: signedIn("The signed-in librarian invited to the chat."),
  params: PARAMS.sessionId,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW}.` },
  refusals: [NOT_SIGNED_IN, SESSION_UNKNOWN, NOT_INVITED, refusal(409, "not_active", "The patron has left the chat."), refusal(409, "session_ended", "The chat has ended.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  await describeSession(c.env, sessionId);
  const result = await chatSession(c.env, sessionId).joinConsult(librarianRef(librarian));
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});

consultRoutes.post("/:id/consult/decline", documented({
  group: GROUPS.librarianChats,
  summary: "Decline an invitation to consult",
  description: "The invited colleague says no; the owner sees the invitation gone.",
  who: signedIn("The signed-in librarian invited to the chat."),
  params: PARAMS.sessionId,
  answers: { 200: "`{declined: true}`." },
  refusals: [NOT_SIGNED_IN, SESSION_UNKNOWN, NOT_INVITED],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  await describeSession(c.env, sessionId);
  const result = await chatSession(c.env, sessionId).declineConsult(librarian.id);
  if (!result.ok) throw refusalError(result);
  return c.json({ declined: true });
});

consultRoutes.post("/:id/consult/leave", documented({
  group: GROUPS.librarianChats,
  summary: "Leave a consult",
  description: "A consultant leaves the chat (no body, or their own id), or the owner lets a consultant go (`librarianId`). The patron is told; the consultant's sockets on the chat close.",
  who: signedIn("A consultant in the chat (for themselves), or the librarian who owns it."),
  params: PARAMS.sessionId,
  body: consultLeaveSchema,
  answers: { 200: `\`{session}\`: ${SESSION_VIEW}.` },
  refusals: [NOT_SIGNED_IN, BAD_BODY, SESSION_UNKNOWN, refusal(403, "forbidden", "Only the owner may let another librarian go."), refusal(409, "not_active", "That librarian is not consulting in the chat.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const sessionId = c.req.param("id");
  const body = await parseBody(c, consultLeaveSchema);
  const found = await describeSession(c.env, sessionId);
  const leaving = body.librarianId ?? librarian.id;
  if (leaving !== librarian.id && found.view.librarian?.id !== librarian.id) throw forbidden("Only the librarian who owns this chat can let a colleague go.");
  const result = await chatSession(c.env, sessionId).leaveConsult(leaving);
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});
