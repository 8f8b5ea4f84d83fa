/**
 * /api/me — what the signed-in librarian has open, so a reloaded monitor gets
 * back every session it was serving.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { database } from "../db/client";
import { chatSessions, libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { LIBRARIAN } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { NOT_SIGNED_IN } from "./openapi/refusals";

export const meRoutes = new Hono<AppEnv>();

meRoutes.get("/sessions", documented({
  group: GROUPS.queues,
  summary: "The chats I am serving",
  description: "The chats this librarian is serving (active, or the patron has left and the chat awaits its codes), to restore the monitor after a reload.",
  who: LIBRARIAN,
  answers: { 200: "`{sessions: [{sessionId, status, question, patronName, libraryId, libraryName, acceptedAt}]}`, oldest accepted first." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const rows = await database(c.env.DB)
    .select({
      sessionId: chatSessions.id,
      status: chatSessions.status,
      question: chatSessions.question,
      patronName: chatSessions.patronName,
      libraryId: chatSessions.libraryId,
      libraryName: libraries.name,
      acceptedAt: chatSessions.acceptedAt,
    })
    .from(chatSessions)
    .innerJoin(libraries, eq(libraries.id, chatSessions.libraryId))
    .where(and(eq(chatSessions.librarianId, librarian.id), inArray(chatSessions.status, ["active", "patron_left"])))
    .orderBy(asc(chatSessions.acceptedAt))
    .all();
  return c.json({ sessions: rows.map((r) => ({ ...r, patronName: r.patronName ?? "Patron" })) });
});
