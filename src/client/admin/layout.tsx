/**
 * The frame of every admin page under the staff app's header (which the
 * server renders above it): administration's own links this person may use,
 * and the page's main region.
 */
import type { ComponentChildren } from "preact";
import type { AdminBootstrap } from "../../shared/admin-views";

const LIBRARY_LINKS = [
  ["librarians", "Librarians"],
  ["forms", "Chat forms"],
  ["settings", "Settings"],
  ["privacy", "Privacy"],
  ["audit", "Audit log"],
  ["scripts", "Scripts"],
  ["ratings", "Ratings"],
] as const;

/** Only service administrators see these (the server refuses everyone else anyway). */
const SERVICE_LINKS = [
  ["/admin/service/libraries", "All libraries"],
  ["/admin/service/groups", "All groups"],
  ["/admin/service/health", "Service health"],
] as const;

export function isAdmin(boot: AdminBootstrap): boolean {
  return boot.me.role !== "librarian";
}

export function AdminLayout({ boot, title, libraryId, children }: { boot: AdminBootstrap; title: string; libraryId?: string; children: ComponentChildren }) {
  const here = location.pathname;
  const lib = libraryId ?? (isAdmin(boot) ? boot.me.libraryId : undefined);
  const link = (href: string, text: string) => (
    <li key={href}>
      <a href={href} aria-current={here === href ? "page" : undefined}>
        {text}
      </a>
    </li>
  );
  return (
    <div class="admin-layout">
      <nav class="admin-nav sub-nav" aria-label="Administration">
        <ul>
          {link("/admin", "Overview")}
          {lib ? LIBRARY_LINKS.map(([page, text]) => link(`/admin/libraries/${lib}/${page}`, text)) : null}
          {boot.me.role === "service_admin" ? SERVICE_LINKS.map(([href, text]) => link(href, text)) : null}
          {link("/admin/account", "Your account")}
        </ul>
      </nav>
      <main id="admin-main" class="admin-main" tabIndex={-1}>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
