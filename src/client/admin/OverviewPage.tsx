/** /admin: where to go — the libraries and cooperatives this person administers, and the related tools. */
import { useEffect, useState } from "preact/hooks";
import type { AdminBootstrap } from "../../shared/admin-views";
import { api } from "./api";
import { AdminLayout } from "./layout";

interface Named {
  id: string;
  name: string;
}

export function OverviewPage({ boot }: { boot: AdminBootstrap }) {
  const [libraries, setLibraries] = useState<Named[] | null>(null);
  const [groups, setGroups] = useState<Named[] | null>(null);
  useEffect(() => {
    void api<{ libraries: Named[] }>("/api/admin/libraries").then((r) => setLibraries(r.ok ? r.data.libraries : []));
    void api<{ groups: Named[] }>("/api/admin/groups").then((r) => setGroups(r.ok ? r.data.groups : []));
  }, []);
  return (
    <AdminLayout boot={boot} title="Administration">
      {libraries && libraries.length === 0 && groups && groups.length === 0 ? (
        <p>You do not administer a library or a cooperative. You can manage <a href="/admin/account">your own account</a> here.</p>
      ) : null}
      {libraries && libraries.length > 0 ? (
        <section aria-labelledby="libraries-heading">
          <h2 id="libraries-heading">Libraries</h2>
          <ul class="card-list">
            {libraries.map((l) => (
              <li key={l.id} class="card">
                <h3>{l.name}</h3>
                <ul class="inline-links">
                  <li><a href={`/admin/libraries/${l.id}/librarians`}>Librarians</a></li>
                  <li><a href={`/admin/libraries/${l.id}/forms`}>Chat forms and Qwidget</a></li>
                  <li><a href={`/admin/libraries/${l.id}/settings`}>Settings</a></li>
                  <li><a href={`/admin/libraries/${l.id}/privacy`}>Privacy and retention</a></li>
                  <li><a href={`/admin/libraries/${l.id}/audit`}>Audit log</a></li>
                  <li><a href={`/admin/libraries/${l.id}/scripts`}>Scripts (canned messages)</a></li>
                  <li><a href={`/admin/libraries/${l.id}/ratings`}>Ratings and surveys</a></li>
                  <li><a href="/admin/cooperation">Cooperation</a>: roll-over, group order and invitations</li>
                  <li><a href={`/policies/${l.id}/edit`}>Policy page</a> for cooperative librarians</li>
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {groups && groups.length > 0 ? (
        <section aria-labelledby="groups-heading">
          <h2 id="groups-heading">Cooperatives</h2>
          <ul>
            {groups.map((g) => (
              <li key={g.id}>
                <a href={`/admin/groups/${g.id}`}>{g.name}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {boot.me.role === "service_admin" ? (
        <section aria-labelledby="service-heading">
          <h2 id="service-heading">The service</h2>
          <ul>
            <li><a href="/admin/service/libraries">All libraries</a>: create, edit, archive; invite each one's first administrator; import an archive</li>
            <li><a href="/admin/service/groups">All groups</a>: create groups and add member libraries</li>
            <li><a href="/admin/service/health">Service health</a>: mail, filings, the privacy scrub, errors</li>
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="elsewhere-heading">
        <h2 id="elsewhere-heading">Elsewhere in Refdesk</h2>
        <ul>
          <li><a href="/questions/codes">Descriptive codes</a>: rename, hide, reorder and add your library's codes, and whether chats end with them</li>
          <li><a href="/admin/account">Your account</a>: sign-in sessions and password</li>
        </ul>
      </section>
    </AdminLayout>
  );
}
