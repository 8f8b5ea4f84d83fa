/**
 * /api/admin/me and /api/admin/account — what the signed-in person may
 * administer (for the admin pages' navigation), and their own account: live
 * sign-in sessions (revoke any), and changing their password. Every signed-in
 * librarian may use these; nothing here reaches anyone else's account. A
 * sign-in ended here closes the sockets opened with it at once.
 */
import { and, eq, isNull, ne } from "drizzle-orm";
import { Hono } from "hono";
import { grantableRoles, requireActor } from "../../admin/authorize";
import { passwordProblem } from "../../auth/password-policy";
import { hashPassword, verifyPassword } from "../../auth/password";
import { revokeAccess } from "../../auth/revoke-access";
import { database } from "../../db/client";
import { authSessions, librarians } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ApiError, badRequest, notFound } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { changePasswordSchema } from "../../shared/admin-api";
import { liveSessions } from "./accounts";
import { LIBRARIAN } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";

export const ownAccountRoutes = new Hono<AppEnv>();

ownAccountRoutes.get("/me", documented({
  group: GROUPS.ownAccount,
  summary: "Me, my groups and the roles I may grant",
  description: "Who is signed in, the groups their library belongs to, and the roles they may hand out (the admin pages' navigation).",
  who: LIBRARIAN,
  answers: { 200: "`{librarian: {id, libraryId, libraryName, displayName, email, role, groupIds}, grantableRoles}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const actor = await requireActor(c);
  return c.json({ librarian: actor, grantableRoles: grantableRoles(actor) });
});

ownAccountRoutes.get("/account/sessions", documented({
  group: GROUPS.ownAccount,
  summary: "My sign-in sessions",
  description: "The librarian's own live sign-in sessions, newest first. The id is a digest, never the cookie.",
  who: LIBRARIAN,
  answers: { 200: "`{sessions: [{id, createdAt, expiresAt, current}]}` (`current`: the session of this request)." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const actor = await requireActor(c);
  const db = database(c.env.DB);
  const current = actor.signInKey;
  const sessions = await liveSessions(db, actor.id, Date.now());
  return c.json({ sessions: sessions.map((s) => ({ ...s, current: s.id === current })) });
});

ownAccountRoutes.post("/account/sessions/:sessionId/revoke", documented({
  group: GROUPS.ownAccount,
  summary: "Sign one of my sessions out",
  description: "Signs one of the librarian's own sessions out; the queue and chat sockets opened with it close at once.",
  who: LIBRARIAN,
  params: { sessionId: { description: "A session's id as `GET /api/admin/account/sessions` lists it." } },
  answers: { 200: "`{revoked: true}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, refusal(404, "not_found", "No live session of this librarian has that id.")],
}), async (c) => {
  const actor = await requireActor(c);
  const db = database(c.env.DB);
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: Date.now() })
    .where(and(eq(authSessions.tokenHash, c.req.param("sessionId")), eq(authSessions.librarianId, actor.id), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.tokenHash });
  if (revoked.length === 0) throw notFound("Sign-in session");
  await revokeAccess(c.env, db, actor, revoked.map((r) => r.id));
  return c.json({ revoked: true });
});

ownAccountRoutes.post("/account/password", documented({
  group: GROUPS.ownAccount,
  summary: "Change my password",
  description: "Changes the librarian's own password; every other sign-in session of theirs ends (its queue and chat sockets close at once), this one stays.",
  who: LIBRARIAN,
  body: changePasswordSchema,
  answers: { 200: "`{changed: true}`." },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    refusal(400, "validation_failed", "The body breaks the schema (e.g. the two new passwords differ).", "`current`, `password` or `confirm`"),
    refusal(403, "forbidden", "The current password is wrong.", "current"),
    refusal(400, "validation_failed", "The new password is too easy to guess, only digits, or contains the e-mail address.", "password"),
  ],
}), async (c) => {
  const actor = await requireActor(c);
  const body = await parseBody(c, changePasswordSchema);
  const db = database(c.env.DB);
  const row = await db.select({ passwordHash: librarians.passwordHash }).from(librarians).where(eq(librarians.id, actor.id)).get();
  if (!row?.passwordHash || !(await verifyPassword(body.current, row.passwordHash))) {
    throw new ApiError(403, "forbidden", "Your current password is not right.", "current");
  }
  const problem = passwordProblem(body.password, { email: actor.email });
  if (problem) throw badRequest(`password: ${problem}`, "password");
  const now = Date.now();
  // A new password signs out every other session; this one stays.
  const others = and(eq(authSessions.librarianId, actor.id), isNull(authSessions.revokedAt), actor.signInKey ? ne(authSessions.tokenHash, actor.signInKey) : undefined);
  const [, ended] = await db.batch([
    db.update(librarians).set({ passwordHash: await hashPassword(body.password) }).where(eq(librarians.id, actor.id)),
    db.update(authSessions).set({ revokedAt: now }).where(others).returning({ key: authSessions.tokenHash }),
  ]);
  await revokeAccess(c.env, db, actor, ended.map((r) => r.key));
  return c.json({ changed: true });
});
