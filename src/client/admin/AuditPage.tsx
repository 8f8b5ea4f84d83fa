/** The audit log of a library (or a cooperative): who changed what, when, before and after. */
import { useEffect, useState } from "preact/hooks";
import { SIGN_IN_LOG_KEEP_DAYS } from "../../shared/admin-limits";
import type { AdminBootstrap, AuditRow } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { SignInLog } from "./SignInLog";
import { formatTime } from "./ui";

const ACTION_LABELS: Record<string, string> = {
  "librarian.invited": "Invited a librarian",
  "librarian.invitation_resent": "Resent an invitation",
  "librarian.disabled": "Disabled an account",
  "librarian.enabled": "Enabled an account",
  "librarian.password_reset_sent": "Sent a password reset",
  "librarian.role_changed": "Changed a role",
  "librarian.sessions_revoked": "Signed someone out",
  "form.created": "Created a form",
  "form.updated": "Edited a form",
  "form.logo_set": "Uploaded a form logo",
  "form.logo_removed": "Removed a form logo",
  "library.settings_updated": "Changed library settings",
  "library.created": "Created the library",
  "library.archived": "Archived the library",
  "library.unarchived": "Unarchived the library",
  "library.exported": "Downloaded the library's archive",
  "library.imported": "Imported the library from an archive",
  "group.created": "Created the group",
  "group.member_added": "Added a library to the group",
  "group.exported": "Downloaded the group's archive",
  "group.imported": "Imported the group from an archive",
  "mail.retried": "Retried a failed mail",
  "mail.discarded": "Discarded a failed mail",
};

function Change({ value }: { value: Record<string, unknown> | null }) {
  if (!value || Object.keys(value).length === 0) return <span class="muted">—</span>;
  return (
    <dl class="change">
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditLog({ endpoint }: { endpoint: string }) {
  const [entries, setEntries] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const load = (before?: number) =>
    api<{ entries: AuditRow[]; nextBefore: number | null }>(`${endpoint}${before ? `?before=${before}` : ""}`).then((r) => {
      if (!r.ok) return;
      setEntries((old) => (before ? [...old, ...r.data.entries] : r.data.entries));
      setNext(r.data.nextBefore);
    });
  useEffect(() => void load(), [endpoint]);
  if (entries.length === 0) return <p>No administrative changes yet.</p>;
  return (
    <>
      <DataTable
        class="data-table audit-table"
        caption="Administrative changes, newest first"
        rows={entries}
        rowKey={(e) => e.id}
        columns={[
          { header: "When", cell: (e) => formatTime(e.createdAt) },
          { header: "Who", cell: (e) => e.actorName ?? "—" },
          {
            header: "What",
            cell: (e) => (
              <>
                {ACTION_LABELS[e.action] ?? e.action}
                <span class="muted"> ({e.targetType} {e.targetId})</span>
              </>
            ),
          },
          { header: "Before", cell: (e) => <Change value={e.before} /> },
          { header: "After", cell: (e) => <Change value={e.after} /> },
        ]}
      />
      {next ? (
        <button type="button" onClick={() => load(next)}>
          Show older changes
        </button>
      ) : null}
    </>
  );
}

export function AuditPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  return (
    <AdminLayout boot={boot} title="Audit log" libraryId={libraryId}>
      <p>Every administrative change to this library: who made it, when, and what it was before and after.</p>
      <AuditLog endpoint={`/api/admin/libraries/${libraryId}/audit`} />
      <h2>Sign-ins</h2>
      <p>Every sign-in and failed sign-in to this library's accounts in the last {SIGN_IN_LOG_KEEP_DAYS} days, with the network it came from (never the exact address).</p>
      <SignInLog libraryId={libraryId} />
    </AdminLayout>
  );
}
