/**
 * Accounts: invite → set password → sign in; the bad inputs around it;
 * password resets, roles within the acting admin's own, disabling an account
 * (its sign-ins end), and sign-in sessions a person can see and revoke.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ACCOUNT_LINK_TTL_MS, PASSWORD_RULES } from "../../src/shared/admin-limits";
import { call, countRows, createLibrary } from "./helpers";
import { accountLinkMailedTo, admin, auditCount, expectError, goodPassword, json, postSetPassword, signedIn } from "./admin-helpers";

async function invite(libraryId: string, cookie: string, body: Record<string, unknown>) {
  return admin(`/libraries/${libraryId}/invitations`, cookie, { method: "POST", json: body });
}

describe("inviting a librarian", () => {
  it("mails a one-time link; the page sets a password, signs the person in, and the link is spent", async () => {
    const library = await createLibrary({ name: "Maple Grove Library" });
    const boss = await signedIn(library.id, "library_admin", "Beatrice");
    const res = await invite(library.id, boss.cookie, { email: "New.Person@Library.test", displayName: "Nadia New" });
    expect(res.status, await res.clone().text()).toBe(201);
    const created = await json<{ librarian: { id: string; email: string; status: string; role: string } }>(res);
    expect(created.librarian).toMatchObject({ email: "new.person@library.test", status: "invited", role: "librarian" });

    // The invitation cannot be used to sign in before a password is set.
    const early = await call("/api/auth/sign-in", { method: "POST", json: { email: "new.person@library.test", password: "anything at all here" } });
    expect(early.status).toBe(401);

    const mail = await accountLinkMailedTo("new.person@library.test");
    expect(mail.subject).toContain("Maple Grove Library");
    expect(mail.text).toContain("Beatrice has invited you");
    // Only the digest of the token is stored.
    const token = mail.path.split("/").pop()!;
    expect(await countRows("SELECT 1 FROM account_tokens WHERE token_hash = ?", token)).toBe(0);

    const page = await call(mail.path);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("Welcome, Nadia New");
    expect(pageHtml).toContain('<label for="password">New password</label>');

    // A weak password is refused on the page, with the error tied to the field.
    const weak = await postSetPassword(mail.path, "password1234");
    expect(weak.status).toBe(400);
    const weakHtml = await weak.text();
    expect(weakHtml).toContain('aria-invalid="true"');
    expect(weakHtml).toMatch(/id="password-error">This password is too easy to guess/);
    const short = await postSetPassword(mail.path, "short one");
    expect(await short.text()).toContain(`Use at least ${PASSWORD_RULES.minChars} characters`);
    const mismatch = await postSetPassword(mail.path, goodPassword(), "something else entirely");
    expect(await mismatch.text()).toMatch(/id="confirm-error">The two passwords do not match/);

    const password = goodPassword();
    const done = await postSetPassword(mail.path, password);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/monitor");
    const cookie = done.headers.get("set-cookie")!.split(";")[0]!;
    const me = await call("/api/auth/me", { cookie });
    expect(await json(me)).toMatchObject({ librarian: { email: "new.person@library.test", displayName: "Nadia New", libraryId: library.id } });

    // And the ordinary sign-in works with the new password.
    const signIn = await call("/api/auth/sign-in", { method: "POST", json: { email: "new.person@library.test", password } });
    expect(signIn.status).toBe(200);

    // The link works once.
    expect((await call(mail.path)).status).toBe(410);
    expect((await postSetPassword(mail.path, goodPassword())).status).toBe(410);
    const list = await json<{ librarians: { email: string; status: string }[] }>(await admin(`/libraries/${library.id}/librarians`, boss.cookie));
    expect(list.librarians.find((l) => l.email === "new.person@library.test")?.status).toBe("active");
    // The audit log recorded the invitation, and holds no secret: no link token, no password hash.
    const audit = await env.DB.prepare("SELECT action, before, after FROM audit_log WHERE library_id = ?").bind(library.id).all<{ action: string; before: string | null; after: string | null }>();
    expect(audit.results.map((r) => r.action)).toEqual(["librarian.invited"]);
    const logged = JSON.stringify(audit.results);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain("pbkdf2");
    expect(logged).not.toContain(password);
  });

  it("refuses inviting an address twice, a role above one's own, and a bad address, changing nothing", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    expect((await invite(library.id, boss.cookie, { email: "twice@library.test", displayName: "Twice" })).status).toBe(201);
    const before = { accounts: await countRows("SELECT 1 FROM librarians WHERE library_id = ?", library.id), mails: await countRows("SELECT 1 FROM mail_outbox"), audit: await auditCount(library.id) };

    const again = await expectError(await invite(library.id, boss.cookie, { email: "TWICE@library.test", displayName: "Twice again" }), 409, "email");
    expect(again.message).toContain("already been invited");
    const existing = await expectError(await invite(library.id, boss.cookie, { email: boss.email, displayName: "Me" }), 409, "email");
    expect(existing.message).toContain("already has a Refdesk account");
    const above = await expectError(await invite(library.id, boss.cookie, { email: "boss2@library.test", displayName: "Boss", role: "group_admin" }), 403, "role");
    expect(above.message).toContain("above your own");
    await expectError(await invite(library.id, boss.cookie, { email: "not an address", displayName: "X" }), 400, "email");
    await expectError(await invite(library.id, boss.cookie, { email: "ok@library.test", displayName: "" }), 400, "displayName");
    await expectError(await invite(library.id, boss.cookie, { email: "ok@library.test", displayName: "X", role: "wizard" }), 400, "role");

    expect(await countRows("SELECT 1 FROM librarians WHERE library_id = ?", library.id)).toBe(before.accounts);
    expect(await countRows("SELECT 1 FROM mail_outbox")).toBe(before.mails);
    expect(await auditCount(library.id)).toBe(before.audit);
  });

  it("stores and mails the person's name without bidirectional controls or invisible characters; a name made only of them is missing", async () => {
    const library = await createLibrary({ name: "Maple\u200B Grove Library" });
    const boss = await signedIn(library.id, "library_admin", "Beatrice");
    const res = await invite(library.id, boss.cookie, { email: "bidi@library.test", displayName: "\u202ENadia\u2069 \u200BNew\u200F\n" });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await env.DB.prepare("SELECT display_name FROM librarians WHERE email = ?").bind("bidi@library.test").first()).toEqual({ display_name: "Nadia New" });
    const mail = await accountLinkMailedTo("bidi@library.test");
    expect(mail.text).toContain("Hello Nadia New,");
    // The library's name was stored before names were cleaned on the way in: the mail cleans it again.
    expect(mail.subject).toBe("You are invited to Refdesk at Maple Grove Library");
    expect(mail.text).toContain("Beatrice has invited you to answer chats for Maple Grove Library on Refdesk.");

    await expectError(await invite(library.id, boss.cookie, { email: "ghost@library.test", displayName: "\u200B\u202E\u3164" }), 400, "displayName");
    expect(await countRows("SELECT 1 FROM librarians WHERE email = ?", "ghost@library.test")).toBe(0);
  });

  it("lets exactly one of two simultaneous invitations of one address through", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const body = { email: "race@library.test", displayName: "Racer" };
    const results = await Promise.all([invite(library.id, boss.cookie, body), invite(library.id, boss.cookie, body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    await expectError(results.find((r) => r.status === 409)!, 409, "email");
    expect(await countRows("SELECT 1 FROM librarians WHERE email = 'race@library.test'")).toBe(1);
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE to_address = 'race@library.test'")).toBe(1);
    expect(await auditCount(library.id)).toBe(1);
  });

  it("lets a link expire", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    expect((await invite(library.id, boss.cookie, { email: "late@library.test", displayName: "Late" })).status).toBe(201);
    const mail = await accountLinkMailedTo("late@library.test");
    await env.DB.prepare("UPDATE account_tokens SET expires_at = ? WHERE librarian_id = (SELECT id FROM librarians WHERE email = 'late@library.test')")
      .bind(Date.now() - 1)
      .run();
    expect((await call(mail.path)).status).toBe(410);
    expect((await postSetPassword(mail.path, goodPassword())).status).toBe(410);
    expect(await countRows("SELECT 1 FROM librarians WHERE email = 'late@library.test' AND password_hash IS NOT NULL")).toBe(0);
    expect(ACCOUNT_LINK_TTL_MS.invite).toBeGreaterThan(ACCOUNT_LINK_TTL_MS.reset);
  });
});

describe("password resets", () => {
  it("an admin sends a reset link; setting the new password ends the person's other sessions", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const person = await signedIn(library.id, "librarian", "Forgetful");
    const res = await admin(`/libraries/${library.id}/librarians/${person.id}/password-reset`, boss.cookie, { method: "POST" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ sent: "reset", to: person.email });
    const mail = await accountLinkMailedTo(person.email);
    expect(mail.subject).toContain("new Refdesk password");
    // Still signed in until the new password is set.
    expect((await call("/api/auth/me", { cookie: person.cookie })).status).toBe(200);
    const password = goodPassword();
    expect((await postSetPassword(mail.path, password)).status).toBe(303);
    expect((await call("/api/auth/me", { cookie: person.cookie })).status).toBe(401);
    expect((await call("/api/auth/sign-in", { method: "POST", json: { email: person.email, password: person.password } })).status).toBe(401);
    expect((await call("/api/auth/sign-in", { method: "POST", json: { email: person.email, password } })).status).toBe(200);
  });

  it("a newer link replaces an older one", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const person = await signedIn(library.id, "librarian");
    await admin(`/libraries/${library.id}/librarians/${person.id}/password-reset`, boss.cookie, { method: "POST" });
    const first = await accountLinkMailedTo(person.email);
    await admin(`/libraries/${library.id}/librarians/${person.id}/password-reset`, boss.cookie, { method: "POST" });
    const second = await accountLinkMailedTo(person.email);
    expect(second.path).not.toBe(first.path);
    expect((await call(first.path)).status).toBe(410);
    expect((await call(second.path)).status).toBe(200);
  });
});

describe("roles", () => {
  it("changes roles within what the acting admin holds, never above, and records each change", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const person = await signedIn(library.id, "librarian");
    const up = await admin(`/libraries/${library.id}/librarians/${person.id}/role`, boss.cookie, { method: "PUT", json: { role: "library_admin" } });
    expect(up.status, await up.clone().text()).toBe(200);
    expect(await json(up)).toMatchObject({ librarian: { role: "library_admin" } });
    const log = await json<{ entries: { action: string; before: unknown; after: unknown; actorId: string }[] }>(await admin(`/libraries/${library.id}/audit`, boss.cookie));
    expect(log.entries[0]).toMatchObject({ action: "librarian.role_changed", before: { role: "librarian" }, after: { role: "library_admin" }, actorId: boss.id });

    const before = await auditCount(library.id);
    await expectError(await admin(`/libraries/${library.id}/librarians/${person.id}/role`, boss.cookie, { method: "PUT", json: { role: "service_admin" } }), 403, "role");
    await expectError(await admin(`/libraries/${library.id}/librarians/${boss.id}/role`, boss.cookie, { method: "PUT", json: { role: "librarian" } }), 403, "librarianId");
    // A library admin cannot touch a group admin of the same library.
    const bigger = await signedIn(library.id, "group_admin");
    await expectError(await admin(`/libraries/${library.id}/librarians/${bigger.id}/role`, boss.cookie, { method: "PUT", json: { role: "librarian" } }), 403, "librarianId");
    await expectError(await admin(`/libraries/${library.id}/librarians/${person.id}/role`, boss.cookie, { method: "PUT", json: { role: "boss" } }), 400, "role");
    expect(await auditCount(library.id)).toBe(before);
    const row = await env.DB.prepare("SELECT role FROM librarians WHERE id = ?").bind(person.id).first<{ role: string }>();
    expect(row!.role).toBe("library_admin");
  });
});

describe("sign-in sessions", () => {
  it("a librarian lists their own sessions and revokes one; an admin signs someone out everywhere", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const person = await signedIn(library.id, "librarian");
    const second = await call("/api/auth/sign-in", { method: "POST", json: { email: person.email, password: person.password } });
    const secondCookie = second.headers.get("set-cookie")!.split(";")[0]!;

    const mine = await json<{ sessions: { id: string; current: boolean }[] }>(await admin("/account/sessions", person.cookie));
    expect(mine.sessions).toHaveLength(2);
    expect(mine.sessions.filter((s) => s.current)).toHaveLength(1);
    const other = mine.sessions.find((s) => !s.current)!;
    expect((await admin(`/account/sessions/${other.id}/revoke`, person.cookie, { method: "POST" })).status).toBe(200);
    expect((await call("/api/auth/me", { cookie: secondCookie })).status).toBe(401);
    expect((await call("/api/auth/me", { cookie: person.cookie })).status).toBe(200);
    // Nobody revokes someone else's session through their own account page.
    const bossSessions = await json<{ sessions: { id: string }[] }>(await admin("/account/sessions", boss.cookie));
    await expectError(await admin(`/account/sessions/${bossSessions.sessions[0]!.id}/revoke`, person.cookie, { method: "POST" }), 404);
    expect((await call("/api/auth/me", { cookie: boss.cookie })).status).toBe(200);

    const listed = await json<{ sessions: unknown[] }>(await admin(`/libraries/${library.id}/librarians/${person.id}/sessions`, boss.cookie));
    expect(listed.sessions).toHaveLength(1);
    const revoked = await admin(`/libraries/${library.id}/librarians/${person.id}/sessions/revoke`, boss.cookie, { method: "POST" });
    expect(await json(revoked)).toEqual({ revoked: 1 });
    expect((await call("/api/auth/me", { cookie: person.cookie })).status).toBe(401);
  });

  it("changing one's own password keeps this session and ends the others; a weak one is refused", async () => {
    const library = await createLibrary();
    const person = await signedIn(library.id, "librarian");
    const second = await call("/api/auth/sign-in", { method: "POST", json: { email: person.email, password: person.password } });
    const secondCookie = second.headers.get("set-cookie")!.split(";")[0]!;
    await expectError(await admin("/account/password", person.cookie, { method: "POST", json: { current: "wrong", password: goodPassword(), confirm: "x" } }), 400, "confirm");
    const pw = goodPassword();
    await expectError(await admin("/account/password", person.cookie, { method: "POST", json: { current: "wrong", password: pw, confirm: pw } }), 403, "current");
    await expectError(await admin("/account/password", person.cookie, { method: "POST", json: { current: person.password, password: "qwertyuiop12", confirm: "qwertyuiop12" } }), 400, "password");
    expect((await call("/api/auth/me", { cookie: secondCookie })).status).toBe(200);
    const ok = await admin("/account/password", person.cookie, { method: "POST", json: { current: person.password, password: pw, confirm: pw } });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await call("/api/auth/me", { cookie: person.cookie })).status).toBe(200);
    expect((await call("/api/auth/me", { cookie: secondCookie })).status).toBe(401);
  });
});
