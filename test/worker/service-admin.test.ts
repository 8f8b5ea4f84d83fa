/**
 * Service administration: only a service administrator creates, lists,
 * archives and unarchives libraries, creates groups and adds members, sees
 * the service's health and acts on its mail (every other actor is refused and
 * nothing changes). A new library gets its first administrator through the
 * ordinary invitation; archiving keeps every record and stops new chats
 * (hosted form, JSON API, Qwidget status) while an open chat may finish.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { accept, call, createForm, createGroup, createLibrary, countRows, staffedLibrary, startChat, uniqueId } from "./helpers";
import { accountLinkMailedTo, admin, auditCount, expectError, goodPassword, json, postSetPassword, signedIn, type SignedIn } from "./admin-helpers";

const ACTORS = ["nobody", "librarian", "libraryAdmin", "groupAdmin", "serviceAdmin"] as const;
type ActorName = (typeof ACTORS)[number];

let people: Record<Exclude<ActorName, "nobody">, SignedIn>;
let home: string;
let target: string;
let groupId: string;

beforeAll(async () => {
  home = (await createLibrary({ name: "Home Library" })).id;
  target = (await createLibrary({ name: "Target Library" })).id;
  groupId = uniqueId("grp");
  await createGroup(groupId, "Home Cooperative", [home]);
  people = {
    librarian: await signedIn(home, "librarian"),
    libraryAdmin: await signedIn(home, "library_admin"),
    groupAdmin: await signedIn(home, "group_admin"),
    serviceAdmin: await signedIn(home, "service_admin"),
  };
});

const cookieOf = (actor: ActorName) => (actor === "nobody" ? undefined : people[actor].cookie);

/** Every service-only route, with a request that succeeds for a service administrator. */
const SERVICE_ONLY: { name: string; request: () => [string, (RequestInit & { json?: unknown })?] | Promise<[string, (RequestInit & { json?: unknown })?]> }[] = [
  { name: "GET /service/libraries", request: () => ["/service/libraries"] },
  { name: "POST /service/libraries", request: () => ["/service/libraries", { method: "POST", json: { id: uniqueId("new"), name: "New Library", timeZone: "Europe/Berlin" } }] },
  { name: "POST /service/libraries/:id/archive", request: () => [`/service/libraries/${target}/archive`, { method: "POST" }] },
  { name: "POST /service/libraries/:id/unarchive", request: () => [`/service/libraries/${target}/unarchive`, { method: "POST" }] },
  { name: "GET /service/groups", request: () => ["/service/groups"] },
  { name: "POST /service/groups", request: () => ["/service/groups", { method: "POST", json: { id: uniqueId("coop"), name: "New Cooperative" } }] },
  {
    name: "POST /service/groups/:id/members",
    request: async () => {
      // A fresh group each time, so each allowed call adds a member anew.
      const id = uniqueId("g");
      await env.DB.prepare("INSERT INTO groups (id, name) VALUES (?, 'Fresh')").bind(id).run();
      return [`/service/groups/${id}/members`, { method: "POST", json: { libraryId: target } }];
    },
  },
  { name: "GET /service/health", request: () => ["/service/health"] },
  { name: "GET /scrub-runs", request: () => ["/scrub-runs"] },
];

const changes = async () =>
  (await countRows("SELECT 1 FROM libraries")) +
  (await countRows("SELECT 1 FROM groups")) +
  (await countRows("SELECT 1 FROM group_members")) +
  (await countRows("SELECT 1 FROM libraries WHERE archived_at IS NOT NULL")) +
  (await countRows("SELECT 1 FROM audit_log"));

describe("nobody but a service administrator", () => {
  const rows = SERVICE_ONLY.flatMap((r) => ACTORS.map((actor) => ({ ...r, actor })));
  it.each(rows)("$name as $actor", async ({ request, actor }) => {
    const [path, init] = await request();
    const before = await changes();
    const res = await admin(path, cookieOf(actor), init);
    const body = await res.clone().text();
    if (actor === "serviceAdmin") {
      expect(res.status, body).toBeGreaterThanOrEqual(200);
      expect(res.status, body).toBeLessThan(300);
    } else {
      expect(res.status, body).toBe(actor === "nobody" ? 401 : 403);
      expect(await changes()).toBe(before);
    }
  });
});

describe("creating a library and its first administrator", () => {
  it("creates it with the default codes, audited; its first administrator is invited, signs up and runs it", async () => {
    const svc = people.serviceAdmin;
    const id = uniqueId("riverside");
    const res = await admin("/service/libraries", svc.cookie, {
      method: "POST",
      json: { id, name: "Riverside Public Library", timeZone: "America/Chicago", contactEmail: "Ask@Riverside.test", phone: "555-0100", fallbackLinks: [{ label: "FAQ", url: "https://riverside.test/faq" }] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { library } = await json<{ library: { id: string; name: string; archivedAt: number | null; administrators: number } }>(res);
    expect(library).toMatchObject({ id, name: "Riverside Public Library", archivedAt: null, administrators: 0 });
    const row = await env.DB.prepare("SELECT time_zone, contact_email, fallback_links FROM libraries WHERE id = ?").bind(id).first<Record<string, string>>();
    expect(row).toEqual({ time_zone: "America/Chicago", contact_email: "ask@riverside.test", fallback_links: JSON.stringify([{ label: "FAQ", url: "https://riverside.test/faq" }]) });
    expect(await countRows("SELECT 1 FROM descriptive_codes WHERE library_id = ?", id)).toBeGreaterThan(40);
    expect(await countRows("SELECT 1 FROM audit_log WHERE library_id = ? AND action = 'library.created' AND actor_id = ?", id, svc.id)).toBe(1);

    const invited = await admin(`/libraries/${id}/invitations`, svc.cookie, { method: "POST", json: { email: "head@riverside.test", displayName: "Rita Head", role: "library_admin" } });
    expect(invited.status).toBe(201);
    const mail = await accountLinkMailedTo("head@riverside.test");
    const done = await postSetPassword(mail.path, goodPassword());
    expect(done.status).toBe(303);
    const cookie = done.headers.get("set-cookie")!.split(";")[0]!;
    const settings = await admin(`/libraries/${id}/settings`, cookie);
    expect(settings.status).toBe(200);
    // The library's administrator is not a service administrator.
    expect((await admin("/service/libraries", cookie)).status).toBe(403);
    const listed = await json<{ libraries: { id: string; administrators: number; invitedAdministrators: number }[] }>(await admin("/service/libraries", svc.cookie));
    expect(listed.libraries.find((l) => l.id === id)).toMatchObject({ administrators: 1, invitedAdministrators: 0 });
  });

  it("refuses a taken id, a bad id, a missing name or an unknown time zone, clearly and changing nothing", async () => {
    const svc = people.serviceAdmin.cookie;
    const before = await changes();
    await expectError(await admin("/service/libraries", svc, { method: "POST", json: { id: target, name: "Again", timeZone: "UTC" } }), 409, "id");
    await expectError(await admin("/service/libraries", svc, { method: "POST", json: { id: "Not An Id", name: "X", timeZone: "UTC" } }), 400, "id");
    await expectError(await admin("/service/libraries", svc, { method: "POST", json: { id: uniqueId("x"), name: "", timeZone: "UTC" } }), 400, "name");
    await expectError(await admin("/service/libraries", svc, { method: "POST", json: { id: uniqueId("x"), name: "X", timeZone: "Mars/Olympus" } }), 400, "timeZone");
    await expectError(await admin("/service/libraries", svc, { method: "POST", json: { id: uniqueId("x"), name: "X", timeZone: "UTC", contactEmail: "nope" } }), 400, "contactEmail");
    expect(await changes()).toBe(before);
  });
});

describe("groups", () => {
  it("creates a group and adds members, audited for the group and the library; refuses duplicates and unknowns", async () => {
    const svc = people.serviceAdmin;
    const id = uniqueId("valley");
    const created = await admin("/service/groups", svc.cookie, { method: "POST", json: { id, name: "Valley Cooperative" } });
    expect(created.status).toBe(201);
    await expectError(await admin("/service/groups", svc.cookie, { method: "POST", json: { id, name: "Again" } }), 409, "id");

    const added = await admin(`/service/groups/${id}/members`, svc.cookie, { method: "POST", json: { libraryId: home } });
    expect(added.status).toBe(201);
    const { group } = await json<{ group: { members: { id: string }[] } }>(added);
    expect(group.members.map((m) => m.id)).toEqual([home]);
    // The home library was in one group already: the new one comes after it in its roll-over order.
    const positions = await env.DB.prepare("SELECT group_id, position FROM group_members WHERE library_id = ? ORDER BY position").bind(home).all<{ group_id: string; position: number }>();
    expect(positions.results.at(-1)).toEqual({ group_id: id, position: positions.results.length - 1 });
    expect(await countRows("SELECT 1 FROM audit_log WHERE group_id = ? AND library_id = ? AND action = 'group.member_added'", id, home)).toBe(1);
    expect(await countRows("SELECT 1 FROM audit_log WHERE group_id = ? AND action = 'group.created'", id)).toBe(1);

    const before = await changes();
    await expectError(await admin(`/service/groups/${id}/members`, svc.cookie, { method: "POST", json: { libraryId: home } }), 409, "libraryId");
    await expectError(await admin(`/service/groups/${id}/members`, svc.cookie, { method: "POST", json: { libraryId: "no-such-library" } }), 404, "libraryId");
    await expectError(await admin("/service/groups/no-such-group/members", svc.cookie, { method: "POST", json: { libraryId: home } }), 404);
    expect(await changes()).toBe(before);
  });
});

describe("archiving a library", () => {
  it("keeps its data, refuses new chats clearly everywhere, hides the Qwidget, lets an open chat finish; unarchiving brings chat back", async () => {
    const svc = people.serviceAdmin.cookie;
    const staffed = await staffedLibrary();
    const lib = staffed.library.id;
    await env.DB.prepare("UPDATE libraries SET allowed_origins = ? WHERE id = ?").bind(JSON.stringify(["https://www.library.test"]), lib).run();
    const open = await startChat(staffed.formId);
    expect(open.status).toBe("waiting");
    const rowsBefore = await countRows("SELECT 1 FROM chat_sessions WHERE library_id = ?", lib);
    const auditBefore = await auditCount(lib);

    const archived = await admin(`/service/libraries/${lib}/archive`, svc, { method: "POST" });
    expect(archived.status).toBe(200);
    expect((await json<{ library: { archivedAt: number | null }; changed: boolean }>(archived)).changed).toBe(true);
    expect(await auditCount(lib)).toBe(auditBefore + 1);
    // Twice changes nothing.
    expect((await json<{ changed: boolean }>(await admin(`/service/libraries/${lib}/archive`, svc, { method: "POST" }))).changed).toBe(false);
    expect(await auditCount(lib)).toBe(auditBefore + 1);

    // The JSON API refuses a new request, and stores nothing.
    const refused = await startChat(staffed.formId);
    expect(refused.res.status).toBe(410);
    expect(refused.error).toMatchObject({ code: "not_found", field: "formId" });
    expect(refused.error?.message).toContain("no longer takes chat requests");
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE library_id = ?", lib)).toBe(rowsBefore);
    // The hosted form says so, with the library's other ways to get help.
    const page = await call(`/f/${staffed.formId}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("no longer takes chat requests here");
    const posted = await call("/api/chats", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "cf-connecting-ip": "10.9.9.9" },
      body: new URLSearchParams({ formId: staffed.formId, question: "Still there?" }).toString(),
    });
    expect(posted.status).toBe(410);
    // The Qwidget's status says hidden; the form data says not enabled.
    const status = await call(`/api/embed/status?form=${staffed.formId}`, { headers: { Origin: "https://www.library.test" } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ hidden: true, available: false });
    expect(await (await call(`/api/forms/${staffed.formId}`)).json()).toMatchObject({ form: { enabled: false } });

    // The chat already waiting is still there to be answered.
    expect((await accept(open.sessionId, staffed.cookies[0])).status).toBe(200);
    // Its administrators still read its data.
    expect(await countRows("SELECT 1 FROM libraries WHERE id = ?", lib)).toBe(1);

    const back = await admin(`/service/libraries/${lib}/unarchive`, svc, { method: "POST" });
    expect((await json<{ library: { archivedAt: number | null } }>(back)).library.archivedAt).toBeNull();
    const status2 = await call(`/api/embed/status?form=${staffed.formId}`, { headers: { Origin: "https://www.library.test" } });
    expect(await status2.json()).not.toHaveProperty("hidden");
    expect((await startChat(staffed.formId)).res.status).toBe(201);
  });

  it("is refused for an unknown library", async () => {
    await expectError(await admin("/service/libraries/no-such-library/archive", people.serviceAdmin.cookie, { method: "POST" }), 404);
  });

  it("takes an archived library's forms off the start page", async () => {
    const lib = await createLibrary({ name: "Closing Library" });
    const formId = await createForm(lib.id);
    expect(await (await call("/")).text()).toContain(`/f/${formId}`);
    await admin(`/service/libraries/${lib.id}/archive`, people.serviceAdmin.cookie, { method: "POST" });
    expect(await (await call("/")).text()).not.toContain(`/f/${formId}`);
  });
});

describe("service administration pages", () => {
  it.each(["/admin/service/libraries", "/admin/service/groups", "/admin/service/health"])("%s opens only for a service administrator", async (path) => {
    for (const actor of ACTORS) {
      const res = await call(path, { cookie: cookieOf(actor), redirect: "manual" });
      if (actor === "nobody") expect(res.status).toBe(303);
      else if (actor === "serviceAdmin") {
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('src="/build/admin.js"');
      } else expect(res.status, `${path} as ${actor}`).toBe(403);
    }
  });
});
