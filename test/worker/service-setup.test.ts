/**
 * Bootstrap: the statements `npm run setup` runs (src/admin/bootstrap.ts),
 * through the real D1 binding. A fresh installation gets exactly one service
 * administrator whose one-use link sets a password and signs them in; running
 * setup again, or two setups racing, changes nothing; a lost link can be
 * renewed only for an administrator who has not set a password yet.
 * (test/unit/setup-script.test.ts runs the script itself against local state.)
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { digestToken, newToken } from "../../src/auth/tokens";
import { EXISTING_SERVICE_ADMINS_SQL, firstServiceAdminStatements, inlineSql, invitationStatements, SERVICE_LIBRARY, type SqlStatement } from "../../src/admin/bootstrap";
import { setPasswordPath } from "../../src/auth/account-links";
import { ACCOUNT_LINK_TTL_MS } from "../../src/shared/admin-limits";
import { DEFAULT_DESCRIPTIVE_CODES } from "../../src/shared/codes";
import { call, countRows } from "./helpers";
import { goodPassword, postSetPassword } from "./admin-helpers";

async function run(statements: SqlStatement[]) {
  await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
}

async function setup(email: string) {
  const token = newToken();
  const librarianId = crypto.randomUUID();
  await run(firstServiceAdminStatements({ librarianId, email, displayName: email.split("@")[0]!, tokenHash: await digestToken(token), inviteTtlMs: ACCOUNT_LINK_TTL_MS.invite, codes: DEFAULT_DESCRIPTIVE_CODES, now: Date.now() }));
  return { token, librarianId };
}

async function serviceAdmins() {
  return (await env.DB.prepare(EXISTING_SERVICE_ADMINS_SQL).all<{ id: string; email: string; active: number }>()).results;
}

async function everyRow(): Promise<number> {
  return (
    (await countRows("SELECT 1 FROM libraries")) +
    (await countRows("SELECT 1 FROM librarians")) +
    (await countRows("SELECT 1 FROM account_tokens")) +
    (await countRows("SELECT 1 FROM descriptive_codes")) +
    (await countRows("SELECT 1 FROM audit_log"))
  );
}

beforeEach(async () => {
  // Each case starts as a new installation: no accounts, no libraries.
  for (const table of ["audit_log", "account_tokens", "auth_sessions", "descriptive_codes", "librarians", "libraries"]) await env.DB.prepare(`DELETE FROM ${table}`).run();
});

describe("npm run setup on a new installation", () => {
  it("creates one service administrator, archived home library and all, whose link sets a password and signs them in", async () => {
    const { token, librarianId } = await setup("ops@refdesk.test");
    expect(await serviceAdmins()).toEqual([{ id: librarianId, email: "ops@refdesk.test", active: 0 }]);
    const home = await env.DB.prepare("SELECT name, archived_at FROM libraries WHERE id = ?").bind(SERVICE_LIBRARY.id).first<{ name: string; archived_at: number | null }>();
    expect(home?.archived_at).not.toBeNull();
    expect(await countRows("SELECT 1 FROM descriptive_codes WHERE library_id = ?", SERVICE_LIBRARY.id)).toBe(DEFAULT_DESCRIPTIVE_CODES.length);
    expect(await countRows("SELECT 1 FROM audit_log WHERE action = 'librarian.invited' AND target_id = ?", librarianId)).toBe(1);
    // Only the token's digest is stored.
    expect(await countRows("SELECT 1 FROM account_tokens WHERE token_hash = ?", token)).toBe(0);

    const page = await call(setPasswordPath(token));
    expect(page.status).toBe(200);
    const done = await postSetPassword(setPasswordPath(token), goodPassword());
    expect(done.status).toBe(303);
    const cookie = done.headers.get("set-cookie")!.split(";")[0]!;
    const services = await call("/api/admin/service/libraries", { cookie });
    expect(services.status).toBe(200);
    expect(await serviceAdmins()).toEqual([{ id: librarianId, email: "ops@refdesk.test", active: 1 }]);
    // The link works once.
    expect((await call(setPasswordPath(token))).status).toBe(410);
  });

  it("changes nothing when run again, with the same or another address", async () => {
    const first = await setup("ops@refdesk.test");
    const before = await everyRow();
    const again = await setup("ops@refdesk.test");
    const other = await setup("someone.else@refdesk.test");
    expect(await everyRow()).toBe(before);
    expect((await serviceAdmins()).map((a) => a.id)).toEqual([first.librarianId]);
    // Neither later run opened a link.
    for (const run of [again, other]) expect(await countRows("SELECT 1 FROM account_tokens WHERE token_hash = ?", await digestToken(run.token))).toBe(0);
    expect((await call(setPasswordPath(other.token))).status).toBe(410);
  });

  it("leaves exactly one when two setups race", async () => {
    const statements = await Promise.all(
      ["a@refdesk.test", "b@refdesk.test"].map(async (email) =>
        firstServiceAdminStatements({ librarianId: crypto.randomUUID(), email, displayName: email, tokenHash: await digestToken(newToken()), inviteTtlMs: ACCOUNT_LINK_TTL_MS.invite, codes: DEFAULT_DESCRIPTIVE_CODES, now: Date.now() }),
      ),
    );
    await Promise.all(statements.map(run));
    expect(await serviceAdmins()).toHaveLength(1);
    expect(await countRows("SELECT 1 FROM account_tokens")).toBe(1);
  });

  it("refuses to make a service administrator of an address that already has an account", async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO libraries (id, name) VALUES ('elsewhere', 'Elsewhere')"),
      env.DB.prepare("INSERT INTO librarians (id, library_id, email, display_name, role) VALUES ('x', 'elsewhere', 'taken@refdesk.test', 'X', 'librarian')"),
    ]);
    await setup("taken@refdesk.test");
    expect(await serviceAdmins()).toEqual([]);
    expect(await countRows("SELECT 1 FROM account_tokens")).toBe(0);
    expect(await countRows("SELECT 1 FROM libraries WHERE id = ?", SERVICE_LIBRARY.id)).toBe(0);
  });

  it("renews the link only for a service administrator without a password", async () => {
    const first = await setup("ops@refdesk.test");
    const fresh = newToken();
    await run(invitationStatements(first.librarianId, await digestToken(fresh), Date.now(), ACCOUNT_LINK_TTL_MS.invite));
    // The old link closed, the new one works.
    expect((await call(setPasswordPath(first.token))).status).toBe(410);
    expect((await call(setPasswordPath(fresh))).status).toBe(200);
    expect((await postSetPassword(setPasswordPath(fresh), goodPassword())).status).toBe(303);
    // With a password set, a renewal opens nothing.
    const late = newToken();
    await run(invitationStatements(first.librarianId, await digestToken(late), Date.now(), ACCOUNT_LINK_TTL_MS.invite));
    expect((await call(setPasswordPath(late))).status).toBe(410);
  });
});

describe("the SQL the script hands to wrangler", () => {
  it("writes every parameter in as a literal, quotes doubled", () => {
    const sql = inlineSql({ sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)", params: ["O'Brien", 42, null] });
    expect(sql).toBe("INSERT INTO t (a, b, c) VALUES ('O''Brien', 42, NULL);");
  });

  it("runs as D1 runs the bound statements", async () => {
    const token = newToken();
    const statements = firstServiceAdminStatements({ librarianId: "inline-admin", email: "o'neil@refdesk.test", displayName: "O'Neil", tokenHash: await digestToken(token), inviteTtlMs: ACCOUNT_LINK_TTL_MS.invite, codes: DEFAULT_DESCRIPTIVE_CODES, now: Date.now() });
    await env.DB.batch(statements.map((s) => env.DB.prepare(inlineSql(s))));
    expect(await serviceAdmins()).toEqual([{ id: "inline-admin", email: "o'neil@refdesk.test", active: 0 }]);
    expect((await call(setPasswordPath(token))).status).toBe(200);
  });
});
