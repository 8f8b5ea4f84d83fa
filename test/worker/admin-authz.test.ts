/**
 * The authorisation matrix: every admin API route and every admin page, for
 * every kind of actor — nobody, a librarian, a library administrator of the
 * library concerned and of another one, a group administrator, a service
 * administrator. Each allowed case succeeds; each refused case is 401 or 403
 * and changes nothing. The route list is read from the app itself, so a new
 * admin route without a row here fails this test.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { adminRoutes } from "../../src/routes/admin/index";
import { writeArchive } from "../../src/transfer/export";
import { removeArchiveOwner } from "../../src/transfer/remove";
import { call, createGroup, createLibrarian, createLibrary, uniqueId } from "./helpers";
import { admin, signedIn, type SignedIn } from "./admin-helpers";

const ACTORS = ["nobody", "librarianA", "libAdminA", "libAdminB", "groupAdmin", "serviceAdmin"] as const;
type ActorName = (typeof ACTORS)[number];

interface World {
  libA: string;
  libB: string;
  groupId: string;
  formA: string;
  formG: string;
  people: Record<Exclude<ActorName, "nobody">, SignedIn>;
}
let w: World;

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));
const formBody = (queueId: string) => ({ title: "Ask us", fields: [{ id: "question", label: "Your question", kind: "textarea", required: true }], queueId, chatMethod: "chat", brandColor: null, enabled: true });

/** A fresh librarian of library A to act on (so each allowed case has its own target). */
async function freshTarget(): Promise<string> {
  return (await createLibrarian(w.libA, "Target", "librarian")).id;
}

type Req = [path: string, init?: RequestInit & { json?: unknown }];
interface Case {
  /** Method and route pattern as mounted under /api/admin. */
  route: string;
  allowed: readonly ActorName[];
  /** The request; `me` is the acting person (librarian A's details stand in for nobody). */
  request: (me: SignedIn) => Req | Promise<Req>;
}

const SIGNED_IN = ["librarianA", "libAdminA", "libAdminB", "groupAdmin", "serviceAdmin"] as const;
const SERVICE = ["serviceAdmin"] as const;

/** A failed mail of library A to retry or discard. */
async function failedMail(): Promise<string> {
  const eventKey = `test-failed:${crypto.randomUUID()}`;
  await env.DB.prepare("INSERT INTO mail_outbox (event_key, library_id, to_address, subject, text_body, html_body, status, attempts) VALUES (?, ?, 'p@patron.test', 'S', 'T', 'H', 'failed', 6)")
    .bind(eventKey, w.libA)
    .run();
  return eventKey;
}

/** The archive of a library this installation no longer has (exported, then removed), to import. */
async function absentLibraryArchive(): Promise<Uint8Array<ArrayBuffer>> {
  const lib = await createLibrary({ name: "Moved Away" });
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const [bytes] = await Promise.all([new Response(readable).bytes() as Promise<Uint8Array<ArrayBuffer>>, writeArchive(env.DB, { kind: "library", id: lib.id, name: lib.name }, writable.getWriter())]);
  await removeArchiveOwner(database(env.DB), "library", lib.id);
  return bytes;
}
const LIBRARY_A = ["libAdminA", "serviceAdmin"] as const;
const GROUP = ["groupAdmin", "serviceAdmin"] as const;
const GROUP_FORM = ["libAdminA", "groupAdmin", "serviceAdmin"] as const;

const CASES: Case[] = [
  { route: "GET /me", allowed: SIGNED_IN, request: () => ["/me"] },
  { route: "GET /account/sessions", allowed: SIGNED_IN, request: () => ["/account/sessions"] },
  // Each actor revokes a session of their own made for the purpose.
  {
    route: "POST /account/sessions/:sessionId/revoke",
    allowed: SIGNED_IN,
    request: async () => ["/account/sessions/SESSION/revoke", { method: "POST" }],
  },
  {
    route: "POST /account/password",
    allowed: SIGNED_IN,
    request: (me) => {
      const password = `birch kettle ${crypto.randomUUID().slice(0, 8)} meadow`;
      return ["/account/password", { method: "POST", json: { current: me.password, password, confirm: password } }];
    },
  },
  { route: "GET /libraries", allowed: SIGNED_IN, request: () => ["/libraries"] },
  { route: "GET /libraries/:libraryId/settings", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/settings`] },
  { route: "PATCH /libraries/:libraryId/settings", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/settings`, { method: "PATCH", json: { hoursText: `Open ${crypto.randomUUID()}` } }] },
  { route: "GET /libraries/:libraryId/audit", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/audit`] },
  { route: "GET /libraries/:libraryId/sign-ins", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/sign-ins`] },
  { route: "GET /libraries/:libraryId/privacy", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/privacy`] },
  { route: "GET /libraries/:libraryId/librarians", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/librarians`] },
  {
    route: "POST /libraries/:libraryId/invitations",
    allowed: LIBRARY_A,
    request: () => [`/libraries/${w.libA}/invitations`, { method: "POST", json: { email: `${uniqueId("inv")}@library.test`, displayName: "Invitee" } }],
  },
  { route: "POST /libraries/:libraryId/librarians/:librarianId/password-reset", allowed: LIBRARY_A, request: async () => [`/libraries/${w.libA}/librarians/${await freshTarget()}/password-reset`, { method: "POST" }] },
  { route: "POST /libraries/:libraryId/librarians/:librarianId/disable", allowed: LIBRARY_A, request: async () => [`/libraries/${w.libA}/librarians/${await freshTarget()}/disable`, { method: "POST" }] },
  {
    route: "POST /libraries/:libraryId/librarians/:librarianId/enable",
    allowed: LIBRARY_A,
    request: async () => {
      const id = await freshTarget();
      await env.DB.prepare("UPDATE librarians SET disabled_at = 1 WHERE id = ?").bind(id).run();
      return [`/libraries/${w.libA}/librarians/${id}/enable`, { method: "POST" }];
    },
  },
  { route: "PUT /libraries/:libraryId/librarians/:librarianId/role", allowed: LIBRARY_A, request: async () => [`/libraries/${w.libA}/librarians/${await freshTarget()}/role`, { method: "PUT", json: { role: "library_admin" } }] },
  { route: "GET /libraries/:libraryId/librarians/:librarianId/sessions", allowed: LIBRARY_A, request: async () => [`/libraries/${w.libA}/librarians/${w.people.librarianA.id}/sessions`] },
  { route: "POST /libraries/:libraryId/librarians/:librarianId/sessions/revoke", allowed: LIBRARY_A, request: async () => [`/libraries/${w.libA}/librarians/${await freshTarget()}/sessions/revoke`, { method: "POST" }] },
  { route: "GET /libraries/:libraryId/forms", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/forms`] },
  { route: "POST /libraries/:libraryId/forms", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/forms`, { method: "POST", json: formBody(`lib:${w.libA}`) }] },
  { route: "GET /forms/:formId", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}`] },
  { route: "PUT /forms/:formId", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}`, { method: "PUT", json: { ...formBody(`lib:${w.libA}`), title: `Ask ${crypto.randomUUID()}` } }] },
  { route: "POST /forms/:formId/logo", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}/logo`, { method: "POST", body: PNG, headers: { "Content-Type": "image/png" } }] },
  { route: "DELETE /forms/:formId/logo", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}/logo`, { method: "DELETE" }] },
  { route: "GET /groups", allowed: SIGNED_IN, request: () => ["/groups"] },
  { route: "GET /groups/:groupId", allowed: GROUP, request: () => [`/groups/${w.groupId}`] },
  { route: "GET /groups/:groupId/audit", allowed: GROUP, request: () => [`/groups/${w.groupId}/audit`] },
  { route: "GET /groups/:groupId/forms", allowed: GROUP, request: () => [`/groups/${w.groupId}/forms`] },
  { route: "POST /groups/:groupId/forms", allowed: GROUP, request: () => [`/groups/${w.groupId}/forms`, { method: "POST", json: { ...formBody(`group:${w.groupId}`), libraryId: w.libA } }] },
  { route: "GET /scrub-runs", allowed: ["serviceAdmin"], request: () => ["/scrub-runs"] },
  { route: "GET /libraries/:libraryId/export", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/export`] },
  { route: "GET /groups/:groupId/export", allowed: GROUP, request: () => [`/groups/${w.groupId}/export`] },
  { route: "GET /service/libraries", allowed: SERVICE, request: () => ["/service/libraries"] },
  { route: "POST /service/libraries", allowed: SERVICE, request: () => ["/service/libraries", { method: "POST", json: { id: uniqueId("lib"), name: "New Library", timeZone: "UTC" } }] },
  { route: "POST /service/libraries/:libraryId/archive", allowed: SERVICE, request: () => [`/service/libraries/${w.libB}/archive`, { method: "POST" }] },
  { route: "POST /service/libraries/:libraryId/unarchive", allowed: SERVICE, request: () => [`/service/libraries/${w.libB}/unarchive`, { method: "POST" }] },
  { route: "GET /service/groups", allowed: SERVICE, request: () => ["/service/groups"] },
  { route: "POST /service/groups", allowed: SERVICE, request: () => ["/service/groups", { method: "POST", json: { id: uniqueId("grp"), name: "New Cooperative" } }] },
  {
    route: "POST /service/groups/:groupId/members",
    allowed: SERVICE,
    request: async () => {
      // A fresh group and library each time (a member of the world's group would change the lists below).
      const groupId = uniqueId("grp");
      await env.DB.prepare("INSERT INTO groups (id, name) VALUES (?, 'Fresh')").bind(groupId).run();
      const lib = await createLibrary({ name: "Joining Library" });
      return [`/service/groups/${groupId}/members`, { method: "POST", json: { libraryId: lib.id } }];
    },
  },
  { route: "GET /service/health", allowed: SERVICE, request: () => ["/service/health"] },
  {
    route: "POST /service/mail/retry",
    allowed: SERVICE,
    request: async () => ["/service/mail/retry", { method: "POST", json: { eventKey: await failedMail() } }],
  },
  {
    route: "POST /service/mail/discard",
    allowed: SERVICE,
    request: async () => ["/service/mail/discard", { method: "POST", json: { eventKey: await failedMail() } }],
  },
  { route: "POST /service/import", allowed: SERVICE, request: async () => ["/service/import", { method: "POST", body: await absentLibraryArchive(), headers: { "Content-Type": "application/zip" } }] },
  { route: "GET /libraries/:libraryId/ratings", allowed: LIBRARY_A, request: () => [`/libraries/${w.libA}/ratings`] },
  { route: "GET /forms/:formId/survey", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}/survey`] },
  { route: "PUT /forms/:formId/survey", allowed: LIBRARY_A, request: () => [`/forms/${w.formA}/survey`, { method: "PUT", json: { mode: "survey", questions: [{ id: "q1", text: `Helpful? ${crypto.randomUUID()}`, kind: "scale" }] } }] },
];

/** Group forms: the same form routes, for a form that both its library's and its group's administrators manage. */
const GROUP_FORM_CASES: Case[] = [
  { route: "GET /forms/:formId", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}`] },
  { route: "PUT /forms/:formId", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}`, { method: "PUT", json: { ...formBody(`group:${w.groupId}`), title: `Coop ${crypto.randomUUID()}` } }] },
  { route: "POST /forms/:formId/logo", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}/logo`, { method: "POST", body: PNG, headers: { "Content-Type": "image/png" } }] },
  { route: "DELETE /forms/:formId/logo", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}/logo`, { method: "DELETE" }] },
  { route: "GET /forms/:formId/survey", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}/survey`] },
  { route: "PUT /forms/:formId/survey", allowed: GROUP_FORM, request: () => [`/forms/${w.formG}/survey`, { method: "PUT", json: { mode: "rating" } }] },
];

const PAGES: { path: () => string; allowed: readonly ActorName[] }[] = [
  { path: () => "/admin", allowed: SIGNED_IN },
  { path: () => "/admin/account", allowed: SIGNED_IN },
  ...["librarians", "forms", "settings", "privacy", "audit", "scripts", "ratings"].map((p) => ({ path: () => `/admin/libraries/${w.libA}/${p}`, allowed: LIBRARY_A })),
  { path: () => `/admin/groups/${w.groupId}`, allowed: GROUP },
  { path: () => `/admin/forms/${w.formA}`, allowed: LIBRARY_A },
  { path: () => `/admin/forms/${w.formG}`, allowed: GROUP_FORM },
];

const totalAudit = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log").first<{ n: number }>())!.n;
const totalRows = async () =>
  (await env.DB.prepare("SELECT (SELECT COUNT(*) FROM librarians) + (SELECT COUNT(*) FROM forms) + (SELECT COUNT(*) FROM mail_outbox) + (SELECT COUNT(*) FROM form_logos) AS n").first<{ n: number }>())!.n;

beforeAll(async () => {
  const a = await createLibrary({ name: "Library A" });
  const b = await createLibrary({ name: "Library B" });
  const c = await createLibrary({ name: "Service Home" });
  const groupId = uniqueId("grp");
  await createGroup(groupId, "A and B Cooperative", [a.id, b.id]);
  const people = {
    librarianA: await signedIn(a.id, "librarian"),
    libAdminA: await signedIn(a.id, "library_admin"),
    libAdminB: await signedIn(b.id, "library_admin"),
    // A group administrator based at B: the group's, not library A's.
    groupAdmin: await signedIn(b.id, "group_admin"),
    serviceAdmin: await signedIn(c.id, "service_admin"),
  };
  const formA = uniqueId("form");
  const formG = uniqueId("form");
  await env.DB.batch([
    env.DB.prepare("INSERT INTO forms (id, library_id, queue_id, title) VALUES (?, ?, ?, 'A form')").bind(formA, a.id, `lib:${a.id}`),
    env.DB.prepare("INSERT INTO forms (id, library_id, group_id, queue_id, title) VALUES (?, ?, ?, ?, 'Coop form')").bind(formG, a.id, groupId, `group:${groupId}`),
  ]);
  w = { libA: a.id, libB: b.id, groupId, formA, formG, people };
});

async function perform(c: Case, actor: ActorName): Promise<Response> {
  const cookie = actor === "nobody" ? undefined : w.people[actor].cookie;
  const me = actor === "nobody" ? w.people.librarianA : w.people[actor];
  let [path, init] = await c.request(me);
  if (path.includes("SESSION")) {
    // A second sign-in of this actor, revoked through their own account.
    const extra = await call("/api/auth/sign-in", { method: "POST", json: { email: me.email, password: me.password } });
    const extraCookie = extra.headers.get("set-cookie")!.split(";")[0]!;
    const listed = (await (await admin("/account/sessions", extraCookie)).json()) as { sessions: { id: string; current: boolean }[] };
    path = path.replace("SESSION", listed.sessions.find((s) => s.current)!.id);
  }
  const res = await admin(path, cookie, init);
  // Keep the fixture's password in step with an allowed change.
  if (res.status === 200 && c.route === "POST /account/password") me.password = (init!.json as { password: string }).password;
  return res;
}

describe("the authorisation matrix", () => {
  it("covers every admin API route", () => {
    const mounted = adminRoutes.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
    const covered = new Set([...CASES, ...GROUP_FORM_CASES].map((c) => c.route));
    expect(mounted.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !mounted.includes(r))).toEqual([]);
  });

  const rows = [...CASES.map((c) => ({ c, kind: "library form" })), ...GROUP_FORM_CASES.map((c) => ({ c, kind: "group form" }))].flatMap(({ c, kind }) =>
    ACTORS.map((actor) => ({ name: `${c.route}${c.route.includes(":formId") ? ` (${kind})` : ""} as ${actor}`, c, actor })),
  );

  it.each(rows)("$name", async ({ c, actor }) => {
    const allowed = c.allowed.includes(actor);
    const before = { audit: await totalAudit(), rows: await totalRows() };
    const res = await perform(c, actor);
    const body = await res.clone().text();
    if (allowed) {
      expect(res.status, body).toBeGreaterThanOrEqual(200);
      expect(res.status, body).toBeLessThan(300);
    } else {
      expect(res.status, body).toBe(actor === "nobody" ? 401 : 403);
      expect(JSON.parse(body).error.code).toBe(actor === "nobody" ? "unauthorized" : "forbidden");
      expect(await totalAudit()).toBe(before.audit);
      // Fixture rows made by the request itself (fresh targets) are the only new rows allowed.
      expect(await totalRows()).toBeLessThanOrEqual(before.rows + 1);
    }
  });
});

describe("admin pages check the role on the server too", () => {
  const rows = PAGES.flatMap((p) => ACTORS.map((actor) => ({ p, actor })));
  it.each(rows)("%#", async ({ p, actor }) => {
    const cookie = actor === "nobody" ? undefined : w.people[actor].cookie;
    const res = await call(p.path(), { cookie, redirect: "manual" });
    if (actor === "nobody") {
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(p.path())}`);
    } else if (p.allowed.includes(actor)) {
      expect(res.status, p.path()).toBe(200);
      expect(await res.text()).toContain('src="/build/admin.js"');
    } else {
      expect(res.status, `${p.path()} as ${actor}`).toBe(403);
      expect(await res.text()).not.toContain("/build/admin.js");
    }
  });
});

describe("the lists show only what each actor administers", () => {
  it("libraries and groups", async () => {
    const list = async (path: string, actor: Exclude<ActorName, "nobody">) => ((await (await admin(path, w.people[actor].cookie)).json()) as Record<string, { id: string }[]>);
    expect((await list("/libraries", "librarianA")).libraries).toEqual([]);
    expect((await list("/libraries", "libAdminA")).libraries!.map((l) => l.id)).toEqual([w.libA]);
    expect((await list("/libraries", "groupAdmin")).libraries!.map((l) => l.id)).toEqual([w.libB]);
    expect((await list("/libraries", "serviceAdmin")).libraries!.map((l) => l.id)).toEqual(expect.arrayContaining([w.libA, w.libB]));
    expect((await list("/groups", "libAdminA")).groups).toEqual([]);
    expect((await list("/groups", "groupAdmin")).groups!.map((g) => g.id)).toEqual([w.groupId]);
  });
});
