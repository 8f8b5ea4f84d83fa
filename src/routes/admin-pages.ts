/**
 * Server shells of the admin pages (/admin/*): each checks sign-in and the
 * role on the server, then hands the Preact admin app (src/client/admin) which
 * page to show. The API behind each page checks again on every call.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { can, requireActor, type Actor, type AdminScope } from "../admin/authorize";
import { loadForm, publicOrigin } from "../admin/lookups";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { appHeader } from "../pages/app-header";
import { errorPage } from "../pages/error-page";
import { page } from "../pages/layout";
import type { AdminBootstrap, LibraryPageName } from "../shared/admin-views";
import { SIGNED_IN_PAGE, signedIn as signedInCaller } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";
import { PARAMS } from "./openapi/shapes";

export const adminPageRoutes = new Hono<AppEnv>();

export const LIBRARY_PAGES: Record<LibraryPageName, string> = {
  librarians: "Librarians",
  forms: "Chat forms",
  settings: "Library settings",
  privacy: "Privacy and retention",
  audit: "Audit log",
  scripts: "Scripts (canned messages)",
  ratings: "Ratings and surveys",
};

function shell(c: Context<AppEnv>, actor: Actor, title: string, boot: Omit<AdminBootstrap, "me" | "origin">) {
  const me = { id: actor.id, displayName: actor.displayName, email: actor.email, role: actor.role, libraryId: actor.libraryId, libraryName: actor.libraryName, groupIds: actor.groupIds };
  return c.html(
    page({
      title: `${title} — Refdesk administration`,
      bodyClass: "admin",
      styles: ["/styles/admin.css"],
      scripts: ["/build/admin.js"],
      body: html`${appHeader(actor, new URL(c.req.url).pathname, "admin-main")}<div id="admin-root"><main class="narrow"><h1>${title}</h1><p class="loading">Loading…</p></main></div>`,
      bootstrap: { ...boot, me, origin: publicOrigin(c) } satisfies AdminBootstrap,
    }),
  );
}

function refusedPage(c: Context<AppEnv>, actor: Actor) {
  return c.html(
    page({
      title: "Not allowed — Refdesk administration",
      body: html`${appHeader(actor, new URL(c.req.url).pathname)}<main class="narrow" id="main"><h1>You cannot open this page</h1><p>Only the administrators of this library or group (or of the whole service) can. <a href="/admin">Back to administration</a></p></main>`,
    }),
    403,
  );
}

/** The signed-in actor, or a redirect to sign-in that comes back here. */
async function signedIn(c: Context<AppEnv>): Promise<Actor | Response> {
  if (!c.get("librarian")) return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
  return requireActor(c);
}

async function guarded(c: Context<AppEnv>, title: string, boot: Omit<AdminBootstrap, "me" | "origin">, allowed: (a: Actor) => boolean | Promise<boolean>) {
  const actor = await signedIn(c);
  if (actor instanceof Response) return actor;
  if (!(await allowed(actor))) return refusedPage(c, actor);
  return shell(c, actor, title, boot);
}

adminPageRoutes.get("/admin", documentedPage({
  summary: "Administration",
  description: "Administration overview (Preact admin app).",
  who: SIGNED_IN_PAGE,
}), (c) => guarded(c, "Administration", { page: "overview", params: {} }, () => true));
adminPageRoutes.get("/admin/account", documentedPage({
  summary: "Your own account",
  description: "Your own account: sessions, password.",
  who: SIGNED_IN_PAGE,
}), (c) => guarded(c, "Your account", { page: "account", params: {} }, () => true));

adminPageRoutes.get("/admin/libraries/:libraryId/:page", documentedPage({
  summary: "A library's administration page",
  description: "`librarians`, `forms`, `settings`, `privacy`, `audit`, `scripts` or `ratings` of a library.",
  who: signedInCaller("Administrator of the library (403 page otherwise)", ["library_admin", "group_admin", "service_admin"]),
  params: { ...PARAMS.libraryId, page: { description: "`librarians`, `forms`, `settings`, `privacy`, `audit`, `scripts` or `ratings`." } },
  answers: { 200: "The page.", 403: "A page saying only the library's administrators may open it.", 404: "A page for another name." },
}), (c) => {
  const { libraryId, page: name } = c.req.param();
  if (!(name in LIBRARY_PAGES)) {
    return errorPage(c, 404, "Administration has no such page. Choose one from its links.");
  }
  const scope: AdminScope = { library: libraryId };
  return guarded(c, LIBRARY_PAGES[name as LibraryPageName], { page: name as LibraryPageName, params: { libraryId } }, (a) => can(a, "library.read", scope));
});

adminPageRoutes.get("/admin/groups/:groupId", documentedPage({
  summary: "A group's administration page",
  description: "A group's members, forms and audit log.",
  who: signedInCaller("Administrator of the group", ["group_admin", "service_admin"]),
  params: PARAMS.groupId,
}), (c) => {
  const groupId = c.req.param("groupId");
  return guarded(c, "Cooperative", { page: "group", params: { groupId } }, (a) => can(a, "group.read", { group: groupId }));
});

adminPageRoutes.get("/admin/forms/:formId", documentedPage({
  summary: "The form editor",
  description: "The form editor.",
  who: signedInCaller("Administrator of the form's library or group", ["library_admin", "group_admin", "service_admin"]),
  params: PARAMS.formId,
}), async (c) => {
  const formId = c.req.param("formId");
  return guarded(c, "Edit chat form", { page: "form", params: { formId } }, async (a) => {
    const form = await loadForm(database(c.env.DB), formId);
    return (form.libraryId !== null && can(a, "library.forms.write", { library: form.libraryId })) || (form.groupId !== null && can(a, "group.forms.write", { group: form.groupId }));
  });
});

/** Service administration: the installation's libraries, its groups, its health. */
const SERVICE_PAGES = {
  libraries: { page: "service-libraries", title: "Libraries of the service" },
  groups: { page: "service-groups", title: "Groups of the service" },
  health: { page: "service-health", title: "Service health" },
} as const satisfies Record<string, { page: AdminBootstrap["page"]; title: string }>;

for (const [name, { page: pageName, title }] of Object.entries(SERVICE_PAGES)) {
  adminPageRoutes.get(`/admin/service/${name}`, documentedPage({
    summary: title,
    description: {
      libraries: "Every library: create, edit, archive and unarchive; invite each one's first administrator; import an archive.",
      groups: "Every group: create groups and add member libraries.",
      health: "The service's health: mail waiting, sent, failed and dead-lettered (retry or discard), chats whose filing is being retried, the last privacy scrub, the last errors, the scheduled exports.",
    }[name as keyof typeof SERVICE_PAGES],
    who: signedInCaller("A service administrator (403 page otherwise)", ["service_admin"]),
  }), (c) => guarded(c, title, { page: pageName, params: {} }, (a) => can(a, "service.read", { service: true })));
}
