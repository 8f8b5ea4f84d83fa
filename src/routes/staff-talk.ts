/**
 * /api/staff — librarians talking to each other beyond a queue's staff chat:
 * every colleague of their library and cooperatives with their presence
 * (online, busy, away, offline) and unread count, and direct messages to any
 * one of them (src/staff/). Someone outside the library and its cooperatives
 * is simply not found.
 */
import { Hono, type Context } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { assertSameOrigin } from "../http/origins";
import { ApiError } from "../http/errors";
import { parseBody } from "../http/validate";
import { LIMITS } from "../shared/limits";
import { directSendSchema } from "../shared/protocol";
import { colleagueInReach, colleaguesInReach, librariesInReach, presenceOn, queuesStaffedBy } from "../staff/colleagues";
import { announceDirect, conversation, markRead, sendingTooFast, storeDirect, storedDirect, unreadBySender } from "../staff/direct-messages";
import { LIBRARIAN } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, OTHER_SITE, refusal } from "./openapi/refusals";

export const staffTalkRoutes = new Hono<AppEnv>();

const COLLEAGUE_PARAM = { librarianId: { description: "The colleague's librarian id." } };
const NOT_A_COLLEAGUE = refusal(404, "not_found", "No such librarian in this librarian's library or cooperatives (also for themselves, or a disabled account).");
const MESSAGE = "`{id, from: {id, name}, to: {id, name}, body, at, clientId, readAt}`";

/** The colleague named in the path, or 404. */
async function colleagueFrom(c: Context<AppEnv>) {
  const librarian = requireLibrarian(c);
  const db = database(c.env.DB);
  const colleague = await colleagueInReach(db, librarian, c.req.param("librarianId") ?? "");
  if (!colleague) throw new ApiError(404, "not_found", "No such librarian in your library or cooperatives.");
  return { librarian, db, colleague };
}

staffTalkRoutes.get("/colleagues", documented({
  group: GROUPS.staffTalk,
  summary: "My colleagues and their presence",
  description:
    "Every librarian of this librarian's library and of the libraries in its cooperatives, by name, with their presence — `online`, `busy` or `away` while they monitor any queue they may staff (the best of their statuses), else `offline` — and how many of their direct messages to this librarian are unread.",
  who: LIBRARIAN,
  answers: { 200: "`{colleagues: [{id, name, libraryId, libraryName, presence, unread}]}`, by name." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const db = database(c.env.DB);
  const [colleagues, reach] = await Promise.all([colleaguesInReach(db, librarian), librariesInReach(db, librarian.libraryId)]);
  const ids = colleagues.map((x) => x.id);
  const [queues, unread] = await Promise.all([queuesStaffedBy(db, reach), unreadBySender(db, librarian, ids)]);
  const seen = await presenceOn(c.env, queues, new Set(ids));
  return c.json({
    colleagues: colleagues.map((x) => ({ ...x, presence: seen.get(x.id)?.status ?? "offline", unread: unread.get(x.id) ?? 0 })),
  });
});

staffTalkRoutes.get("/direct/:librarianId", documented({
  group: GROUPS.staffTalk,
  summary: "A conversation with a colleague",
  description: "The latest direct messages between this librarian and the colleague, oldest first (at most 200).",
  who: LIBRARIAN,
  params: COLLEAGUE_PARAM,
  answers: { 200: `\`{messages: [${MESSAGE}]}\`.` },
  refusals: [NOT_SIGNED_IN, NOT_A_COLLEAGUE],
}), async (c) => {
  const { librarian, db, colleague } = await colleagueFrom(c);
  return c.json({ messages: await conversation(db, librarian, colleague) });
});

staffTalkRoutes.post("/direct/:librarianId", documented({
  group: GROUPS.staffTalk,
  summary: "Send a colleague a direct message",
  description:
    "Stores the message (a repeated `clientId` stores nothing and answers the stored message) and passes it at once to the colleague's open monitors — as a `direct.message` queue frame on whichever queue they monitor — and to this librarian's other monitors. A colleague who is offline reads it when they next open the monitor.",
  who: LIBRARIAN,
  params: COLLEAGUE_PARAM,
  body: directSendSchema,
  answers: { 201: `\`{message}\`: ${MESSAGE}.`, 200: "`{message}`: the message already stored under this `clientId`." },
  refusals: [NOT_SIGNED_IN, OTHER_SITE, BAD_BODY, NOT_A_COLLEAGUE, refusal(429, "rate_limited", `More than ${LIMITS.directMessagesPerMinute} direct messages from this librarian in the last minute.`)],
}), async (c) => {
  assertSameOrigin(c);
  const { librarian, db, colleague } = await colleagueFrom(c);
  const body = await parseBody(c, directSendSchema);
  const now = Date.now();
  const stored = await storedDirect(db, librarian, colleague, body.clientId);
  if (!stored && (await sendingTooFast(db, librarian, now))) throw new ApiError(429, "rate_limited", `You can send at most ${LIMITS.directMessagesPerMinute} direct messages a minute; wait a moment.`);
  const { message, fresh } = stored ? { message: stored, fresh: false } : await storeDirect(db, librarian, colleague, body, now);
  if (fresh) await announceDirect(c.env, db, message, [colleague.libraryId, librarian.libraryId]);
  return c.json({ message }, fresh ? 201 : 200);
});

staffTalkRoutes.post("/direct/:librarianId/read", documented({
  group: GROUPS.staffTalk,
  summary: "Mark a colleague's messages read",
  description: "Marks every direct message from the colleague to this librarian as read (the unread count goes to nought).",
  who: LIBRARIAN,
  params: COLLEAGUE_PARAM,
  answers: { 200: "`{read}`: how many were unread." },
  refusals: [NOT_SIGNED_IN, OTHER_SITE, NOT_A_COLLEAGUE],
}), async (c) => {
  assertSameOrigin(c);
  const { librarian, db, colleague } = await colleagueFrom(c);
  return c.json({ read: await markRead(db, librarian, colleague.id, Date.now()) });
});
