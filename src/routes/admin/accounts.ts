/**
 * /api/admin/libraries/:libraryId/… — a library's accounts: list, invite,
 * disable and enable, password reset links, roles, and signing someone out.
 * Signing someone out and changing their role close their open queue and chat
 * sockets at once (src/auth/revoke-access.ts); disabling also hands their
 * chats back (src/admin/hand-back.ts).
 */
import { and, asc, desc, eq, gt, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { Hono, type Context } from "hono";
import { newAccountLink, setPasswordPath } from "../../auth/account-links";
import type { Role } from "../../auth/librarian";
import { revokeAccess } from "../../auth/revoke-access";
import { accountKey, forgetAccountStatement } from "../../auth/sign-in-throttle";
import { AUDIT_PAGE_SIZE, auditStatement, readSignIns } from "../../admin/audit";
import { authorize, forbiddenField, grantableRoles, mayGrantRole, mayManageAccount, type Actor } from "../../admin/authorize";
import { handBackChatsOf } from "../../admin/hand-back";
import { accountAsLibrarian, accountView, loadAccount, loadLibrary, publicOrigin } from "../../admin/lookups";
import { database, type Database } from "../../db/client";
import { authSessions, librarians } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ApiError, badRequest } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { accountMailKey, accountMailStatement } from "../../mail/account-mail";
import { enqueueMail } from "../../mail/outbox";
import { inviteSchema, roleChangeSchema } from "../../shared/admin-api";
import { ROLE_LABELS, SIGN_IN_LOG_KEEP_DAYS } from "../../shared/admin-limits";
import { ADMIN_OF_LIBRARY, MANAGER_OF_ACCOUNT } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { ACCOUNT_UNKNOWN, BAD_BODY, LIBRARY_UNKNOWN, NOT_ADMIN_OF_LIBRARY, NOT_MANAGEABLE, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { ACCOUNT, AUDIT_QUERY, PARAMS } from "../openapi/shapes";

export const accountRoutes = new Hono<AppEnv>();

type Account = Awaited<ReturnType<typeof loadAccount>>;

/** Authorises account management in the library and loads the target account, refusing one above the actor. */
async function manageable(c: Context<AppEnv>): Promise<{ actor: Actor; db: Database; account: Account; libraryId: string }> {
  const libraryId = c.req.param("libraryId")!;
  const actor = await authorize(c, "library.accounts.manage", { library: libraryId });
  const db = database(c.env.DB);
  const account = await loadAccount(db, libraryId, c.req.param("librarianId")!);
  if (account.id === actor.id) throw forbiddenField("You cannot do this to your own account; ask another administrator.", "librarianId");
  if (!mayManageAccount(actor, account)) throw forbiddenField(`Only a ${ROLE_LABELS[account.role]} or above can manage this account.`, "librarianId");
  return { actor, db, account, libraryId };
}

accountRoutes.get("/libraries/:libraryId/librarians", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's accounts",
  description: "The library's accounts, by name.",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  answers: { 200: `\`{librarians, grantableRoles}\`: each ${ACCOUNT} plus \`manageable\` (whether the actor may manage it).` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  const actor = await authorize(c, "library.read", { library: libraryId });
  const db = database(c.env.DB);
  await loadLibrary(db, libraryId);
  const rows = await db.select().from(librarians).where(eq(librarians.libraryId, libraryId)).orderBy(asc(librarians.displayName)).all();
  return c.json({
    librarians: rows.map((r) => ({ ...accountView(r), manageable: mayManageAccount(actor, { id: r.id, role: r.role as Role }) })),
    grantableRoles: grantableRoles(actor),
  });
});

/** Opens a link for `account`, mails it through the outbox and records it, all in one batch. */
async function sendAccountLink(c: Context<AppEnv>, db: Database, actor: Actor, account: Account, purpose: "invite" | "reset", audit: Parameters<typeof auditStatement>[2], extra: BatchItem<"sqlite">[] = []) {
  const now = Date.now();
  const library = await loadLibrary(db, account.libraryId);
  const link = await newAccountLink(db, account.id, purpose, actor.id, now);
  // The account (when new) goes first: the link refers to it.
  const statements: BatchItem<"sqlite">[] = [
    ...extra,
    ...link.statements,
    accountMailStatement(
      db,
      link.tokenHash,
      {
        purpose,
        libraryId: library.id,
        libraryName: library.name,
        to: account.email,
        displayName: account.displayName,
        invitedBy: actor.displayName,
        link: `${publicOrigin(c)}${setPasswordPath(link.token)}`,
        expiresAt: link.expiresAt,
        timeZone: library.timeZone,
      },
      now,
    ),
    auditStatement(db, actor, audit, now),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  await enqueueMail(c.env.MAIL_QUEUE, accountMailKey(link.tokenHash));
  return { expiresAt: link.expiresAt };
}

accountRoutes.post("/libraries/:libraryId/invitations", documented({
  group: GROUPS.libraryAdmin,
  summary: "Invite a person",
  description: "Invites a person: creates the account and mails them a one-time link to set a password.",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  body: inviteSchema,
  answers: { 201: `\`{librarian, invitationExpiresAt}\`: ${ACCOUNT} (status \`invited\`).` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_ADMIN_OF_LIBRARY,
    BAD_BODY,
    refusal(403, "forbidden", "The role is above the actor's own.", "role"),
    LIBRARY_UNKNOWN,
    refusal(409, "validation_failed", "The address has already been invited, or already has an account.", "email"),
  ],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  const actor = await authorize(c, "library.accounts.manage", { library: libraryId });
  const body = await parseBody(c, inviteSchema);
  if (!mayGrantRole(actor, body.role)) throw forbiddenField(`You cannot give a role above your own (${ROLE_LABELS[actor.role]}).`, "role");
  const db = database(c.env.DB);
  await loadLibrary(db, libraryId);
  const existing = await db.select().from(librarians).where(eq(librarians.email, body.email)).get();
  if (existing) {
    const pending = !existing.passwordHash && !existing.disabledAt && existing.libraryId === libraryId;
    throw new ApiError(
      409,
      "validation_failed",
      pending ? `${body.email} has already been invited. Use "Resend invitation" on their account instead.` : `${body.email} already has a Refdesk account.`,
      "email",
    );
  }
  const account: Account = {
    id: crypto.randomUUID(),
    libraryId,
    email: body.email,
    displayName: body.displayName,
    passwordHash: null,
    role: body.role,
    disabledAt: null,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: Date.now(),
  };
  const { expiresAt } = await sendAccountLink(
    c,
    db,
    actor,
    account,
    "invite",
    { libraryId, action: "librarian.invited", targetType: "librarian", targetId: account.id, before: null, after: { email: account.email, displayName: account.displayName, role: account.role } },
    [db.insert(librarians).values({ id: account.id, libraryId, email: account.email, displayName: account.displayName, role: account.role, createdAt: account.createdAt })],
  ).catch((error: unknown) => {
    // Two invitations of one address at the same moment: the unique index lets one through.
    if (String(error).includes("UNIQUE constraint failed: librarians.email")) throw new ApiError(409, "validation_failed", `${body.email} has already been invited.`, "email");
    throw error;
  });
  return c.json({ librarian: accountView(account), invitationExpiresAt: expiresAt }, 201);
});

accountRoutes.post("/libraries/:libraryId/librarians/:librarianId/password-reset", documented({
  group: GROUPS.libraryAdmin,
  summary: "Mail a password-reset link",
  description: "Mails the person a one-time password-reset link (a fresh invitation when they never set a password).",
  who: MANAGER_OF_ACCOUNT,
  params: PARAMS.account,
  answers: { 200: "`{sent: \"reset\"|\"invite\", to, expiresAt}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE, refusal(400, "validation_failed", "The account is disabled (enable it first).", "librarianId")],
}), async (c) => {
  const { actor, db, account, libraryId } = await manageable(c);
  if (account.disabledAt) throw badRequest("This account is disabled: enable it first.", "librarianId");
  // An account that never set a password gets a fresh invitation instead.
  const purpose = account.passwordHash ? "reset" : "invite";
  const { expiresAt } = await sendAccountLink(c, db, actor, account, purpose, {
    libraryId,
    action: purpose === "reset" ? "librarian.password_reset_sent" : "librarian.invitation_resent",
    targetType: "librarian",
    targetId: account.id,
    before: null,
    after: { email: account.email },
  });
  return c.json({ sent: purpose, to: account.email, expiresAt });
});

accountRoutes.post("/libraries/:libraryId/librarians/:librarianId/disable", documented({
  group: GROUPS.libraryAdmin,
  summary: "Disable an account",
  description: "Disables the account: signs it out everywhere, and hands the chats it was serving back to their queues. Disabling a disabled account changes nothing.",
  who: MANAGER_OF_ACCOUNT,
  params: PARAMS.account,
  answers: { 200: `\`{librarian, handedBack}\`: ${ACCOUNT}; \`handedBack\` how many chats went back.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
}), async (c) => {
  const { actor, db, account, libraryId } = await manageable(c);
  if (account.disabledAt) return c.json({ librarian: accountView(account), handedBack: 0 });
  const now = Date.now();
  await db.batch([
    db.update(librarians).set({ disabledAt: now }).where(eq(librarians.id, account.id)),
    db.update(authSessions).set({ revokedAt: now }).where(and(eq(authSessions.librarianId, account.id), isNull(authSessions.revokedAt))),
    auditStatement(db, actor, { libraryId, action: "librarian.disabled", targetType: "librarian", targetId: account.id, before: { disabled: false }, after: { disabled: true } }, now),
  ]);
  const library = await loadLibrary(db, libraryId);
  const { handedBack } = await handBackChatsOf(c.env, db, accountAsLibrarian(account, library.name));
  return c.json({ librarian: accountView({ ...account, disabledAt: now }), handedBack });
});

accountRoutes.post("/libraries/:libraryId/librarians/:librarianId/enable", documented({
  group: GROUPS.libraryAdmin,
  summary: "Enable an account",
  description: "Enables a disabled account (and forgets the sign-in throttle's count for its address).",
  who: MANAGER_OF_ACCOUNT,
  params: PARAMS.account,
  answers: { 200: `\`{librarian}\`: ${ACCOUNT}.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
}), async (c) => {
  const { actor, db, account, libraryId } = await manageable(c);
  if (!account.disabledAt) return c.json({ librarian: accountView(account) });
  const now = Date.now();
  await db.batch([
    db.update(librarians).set({ disabledAt: null }).where(eq(librarians.id, account.id)),
    forgetAccountStatement(db, await accountKey(account.email)),
    auditStatement(db, actor, { libraryId, action: "librarian.enabled", targetType: "librarian", targetId: account.id, before: { disabled: true }, after: { disabled: false } }, now),
  ]);
  return c.json({ librarian: accountView({ ...account, disabledAt: null }) });
});

accountRoutes.put("/libraries/:libraryId/librarians/:librarianId/role", documented({
  group: GROUPS.libraryAdmin,
  summary: "Change an account's role",
  description: "Gives the account another role (never above the actor's own). Their open queue and chat sockets close at once, so they reconnect with the new role.",
  who: MANAGER_OF_ACCOUNT,
  params: PARAMS.account,
  body: roleChangeSchema,
  answers: { 200: `\`{librarian}\`: ${ACCOUNT}.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE, BAD_BODY, refusal(403, "forbidden", "The role is above the actor's own.", "role")],
}), async (c) => {
  const { actor, db, account, libraryId } = await manageable(c);
  const body = await parseBody(c, roleChangeSchema);
  if (!mayGrantRole(actor, body.role)) throw forbiddenField(`You cannot give a role above your own (${ROLE_LABELS[actor.role]}).`, "role");
  if (body.role === account.role) return c.json({ librarian: accountView(account) });
  const now = Date.now();
  await db.batch([
    db.update(librarians).set({ role: body.role }).where(eq(librarians.id, account.id)),
    auditStatement(db, actor, { libraryId, action: "librarian.role_changed", targetType: "librarian", targetId: account.id, before: { role: account.role }, after: { role: body.role } }, now),
  ]);
  const { name } = await loadLibrary(db, libraryId);
  await revokeAccess(c.env, db, accountAsLibrarian({ ...account, role: body.role }, name), null, accountAsLibrarian(account, name));
  return c.json({ librarian: accountView({ ...account, role: body.role }) });
});

accountRoutes.get("/libraries/:libraryId/librarians/:librarianId/sessions", documented({
  group: GROUPS.libraryAdmin,
  summary: "An account's sign-in sessions",
  description: "The account's live sign-in sessions, newest first.",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.account,
  answers: { 200: "`{sessions: [{id, createdAt, expiresAt}]}`." },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const db = database(c.env.DB);
  const account = await loadAccount(db, libraryId, c.req.param("librarianId"));
  return c.json({ sessions: await liveSessions(db, account.id, Date.now()) });
});

accountRoutes.post("/libraries/:libraryId/librarians/:librarianId/sessions/revoke", documented({
  group: GROUPS.libraryAdmin,
  summary: "Sign an account out everywhere",
  description: "Signs the account out everywhere; their open queue and chat sockets close at once.",
  who: MANAGER_OF_ACCOUNT,
  params: PARAMS.account,
  answers: { 200: "`{revoked}`: how many live sessions were ended." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, ACCOUNT_UNKNOWN, NOT_MANAGEABLE],
}), async (c) => {
  const { actor, db, account, libraryId } = await manageable(c);
  const now = Date.now();
  const live = await liveSessions(db, account.id, now);
  await db.batch([
    db.update(authSessions).set({ revokedAt: now }).where(and(eq(authSessions.librarianId, account.id), isNull(authSessions.revokedAt))),
    auditStatement(db, actor, { libraryId, action: "librarian.sessions_revoked", targetType: "librarian", targetId: account.id, before: { liveSessions: live.length }, after: { liveSessions: 0 } }, now),
  ]);
  await revokeAccess(c.env, db, accountAsLibrarian(account, (await loadLibrary(db, libraryId)).name), null);
  return c.json({ revoked: live.length });
});

accountRoutes.get("/libraries/:libraryId/sign-ins", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's sign-ins",
  description: `Every sign-in and failed sign-in to the library's accounts, newest first, kept ${SIGN_IN_LOG_KEEP_DAYS} days. The network is shown only as an IPv4 /24 or an IPv6 /48; no password, and no address typed, is ever kept.`,
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  query: AUDIT_QUERY,
  answers: { 200: `\`{entries: [{id, librarianId, librarianName, outcome: "signed_in"|"failed", network, createdAt}], nextBefore}\`, ${AUDIT_PAGE_SIZE} a page; \`nextBefore\` (or null on the last page) continues as \`?before=\`.` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const before = Number(c.req.query("before") ?? "") || undefined;
  return c.json(await readSignIns(database(c.env.DB), libraryId, before));
});

/** An account's live sign-in sessions, newest first. The id is the stored digest, never the cookie token. */
export async function liveSessions(db: Database, librarianId: string, now: number) {
  const rows = await db
    .select({ id: authSessions.tokenHash, createdAt: authSessions.createdAt, expiresAt: authSessions.expiresAt })
    .from(authSessions)
    .where(and(eq(authSessions.librarianId, librarianId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)))
    .orderBy(desc(authSessions.createdAt))
    .all();
  return rows;
}
