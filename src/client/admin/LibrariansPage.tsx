/**
 * /admin/libraries/:id/librarians — the library's accounts: invite by e-mail,
 * change roles (up to your own), send a password reset or a fresh invitation,
 * sign someone out everywhere, disable and enable.
 */
import { useEffect, useState } from "preact/hooks";
import { ROLE_LABELS } from "../../shared/admin-limits";
import type { AccountRow, AdminBootstrap, RoleName } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { describe, ErrorSummary, errorsFrom, Field, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

const STATUS_LABELS = { active: "Active", invited: "Invited (no password yet)", disabled: "Disabled" } as const;

/** Runs an action on an account and says `done` when it went through. */
type Act = (row: AccountRow, action: "disable" | "enable" | "password-reset" | "sessions/revoke", done: string) => Promise<void>;

function RoleOptions({ roles }: { roles: RoleName[] }) {
  return (
    <>
      {roles.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </>
  );
}

/** What an administrator may do with an account; on their own row, a link to their account page instead. */
function AccountActions({ row, me, act }: { row: AccountRow; me: string; act: Act }) {
  if (!row.manageable) return row.id === me ? <a href="/admin/account">Your account</a> : null;
  return (
    <>
      {row.status !== "disabled" ? (
        <button type="button" onClick={() => act(row, "password-reset", row.status === "invited" ? `A new invitation went to ${row.email}.` : `A password reset link went to ${row.email}.`)}>
          {row.status === "invited" ? "Resend invitation" : "Send password reset"}
          <span class="visually-hidden"> to {row.displayName}</span>
        </button>
      ) : null}
      {row.status === "active" ? (
        <button type="button" onClick={() => act(row, "sessions/revoke", `${row.displayName} is signed out everywhere.`)}>
          Sign out everywhere<span class="visually-hidden"> ({row.displayName})</span>
        </button>
      ) : null}
      {row.status === "disabled" ? (
        <button type="button" onClick={() => act(row, "enable", `${row.displayName} can sign in again.`)}>
          Enable<span class="visually-hidden"> {row.displayName}</span>
        </button>
      ) : (
        <button type="button" class="danger" onClick={() => confirm(`Disable ${row.displayName}? Their open chats go back to the queue.`) && act(row, "disable", `${row.displayName} is disabled.`)}>
          Disable<span class="visually-hidden"> {row.displayName}</span>
        </button>
      )}
    </>
  );
}

export function LibrariansPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  const base = `/api/admin/libraries/${libraryId}`;
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [grantable, setGrantable] = useState<RoleName[]>([]);
  const [status, say] = useStatus();
  const load = () =>
    api<{ librarians: AccountRow[]; grantableRoles: RoleName[] }>(`${base}/librarians`).then((r) => {
      if (!r.ok) return say(r.error.message);
      setRows(r.data.librarians);
      setGrantable(r.data.grantableRoles);
    });
  useEffect(() => void load(), []);

  const [invite, setInvite] = useState({ email: "", displayName: "", role: "librarian" as RoleName });
  const [errors, setErrors] = useState<FieldErrors>({});
  const sendInvite = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!invite.displayName.trim()) found.displayName = "Enter the person's name";
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(invite.email.trim())) found.email = "Enter a valid e-mail address";
    setErrors(found);
    if (Object.keys(found).length) return;
    const r = await api<{ librarian: AccountRow }>(`${base}/invitations`, { method: "POST", body: invite });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    say(`Invitation sent to ${r.data.librarian.email}.`);
    setInvite({ email: "", displayName: "", role: "librarian" });
    void load();
  };

  const act: Act = async (row, action, done) => {
    const r = await api<{ handedBack?: number; revoked?: number }>(`${base}/librarians/${row.id}/${action}`, { method: "POST" });
    if (!r.ok) return say(r.error.message);
    const extra = r.data.handedBack ? ` ${r.data.handedBack} open chat(s) went back to the queue.` : "";
    say(`${done}${extra}`);
    void load();
  };

  const changeRole = async (row: AccountRow, role: RoleName) => {
    const r = await api(`${base}/librarians/${row.id}/role`, { method: "PUT", body: { role } });
    say(r.ok ? `${row.displayName} is now ${ROLE_LABELS[role]}.` : r.error.message);
    void load();
  };

  return (
    <AdminLayout boot={boot} title="Librarians" libraryId={libraryId}>
      <StatusLine text={status} />
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite a librarian</h2>
        <p>They get an e-mail with a link to choose their password. The link works once, for seven days.</p>
        <form class="stack" onSubmit={sendInvite} noValidate>
          <ErrorSummary errors={errors} />
          <Field path="displayName" label="Name" errors={errors}>
            <input type="text" autoComplete="off" value={invite.displayName} onInput={(e) => setInvite({ ...invite, displayName: inputValue(e) })} {...describe("displayName", errors)} />
          </Field>
          <Field path="email" label="E-mail address" errors={errors}>
            <input type="email" autoComplete="off" value={invite.email} onInput={(e) => setInvite({ ...invite, email: inputValue(e) })} {...describe("email", errors)} />
          </Field>
          <Field path="role" label="Role" hint="You can give any role up to your own." errors={errors}>
            <select value={invite.role} onChange={(e) => setInvite({ ...invite, role: inputValue(e) as RoleName })} {...describe("role", errors, true)}>
              <RoleOptions roles={grantable} />
            </select>
          </Field>
          <button type="submit" class="primary">
            Send invitation
          </button>
        </form>
      </section>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Accounts</h2>
        <DataTable
          class="data-table"
          caption="Librarian accounts"
          rows={rows}
          rowKey={(row) => row.id}
          columns={[
            { header: "Name", rowHeader: true, cell: (row) => row.displayName },
            { header: "E-mail", cell: (row) => row.email },
            {
              header: "Role",
              cell: (row) =>
                row.manageable ? (
                  <select aria-label={`Role of ${row.displayName}`} value={row.role} onChange={(e) => changeRole(row, inputValue(e) as RoleName)}>
                    <RoleOptions roles={grantable} />
                  </select>
                ) : (
                  ROLE_LABELS[row.role]
                ),
            },
            { header: "Status", cell: (row) => STATUS_LABELS[row.status] },
            { header: "Actions", class: "actions", cell: (row) => <AccountActions row={row} me={boot.me.id} act={act} /> },
          ]}
        />
      </section>
    </AdminLayout>
  );
}
