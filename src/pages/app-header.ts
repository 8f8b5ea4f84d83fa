/**
 * The header every staff page shares — the monitor, the questions module,
 * statistics, policy pages, cooperation and administration: the places this
 * librarian's role may use (src/shared/staff-nav.ts) with the current one
 * marked, who is signed in (their account) and Sign out. Styles: .app-header
 * in public/styles/base.css, which every page loads.
 */
import { html } from "hono/html";
import type { Librarian } from "../auth/librarian";
import { ACCOUNT_PATH, placeOf, placesFor } from "../shared/staff-nav";
import type { Html } from "./layout";

/** The header for `librarian` on the page at `path`; the skip link goes to `#${mainId}`. */
export function appHeader(librarian: Pick<Librarian, "displayName" | "libraryName" | "role">, path: string, mainId = "main"): Html {
  const here = placeOf(path);
  return html`<a class="skip-link" href="#${mainId}">Skip to content</a>
<header class="app-header">
  <p class="app-brand"><a href="/monitor">Refdesk</a></p>
  <nav class="app-nav" aria-label="Refdesk">
    <ul>${placesFor(librarian.role).map(
      (p) => html`<li><a href="${p.href}"${p.id === here ? html` aria-current="${path === p.href ? "page" : "true"}"` : ""}>${p.label}</a></li>`,
    )}</ul>
  </nav>
  <p class="app-who"><a href="${ACCOUNT_PATH}"${path === ACCOUNT_PATH ? html` aria-current="page"` : ""}><bdi>${librarian.displayName}</bdi><span class="visually-hidden">, your account</span></a>, <bdi>${librarian.libraryName}</bdi></p>
  <form method="post" action="/logout" class="app-sign-out"><button type="submit">Sign out</button></form>
</header>`;
}
