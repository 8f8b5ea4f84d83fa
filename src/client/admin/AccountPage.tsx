/** /admin/account: your own sign-in sessions (revoke any), your password, and your personal scripts. */
import { useEffect, useState } from "preact/hooks";
import { PASSWORD_RULES } from "../../shared/admin-limits";
import type { AdminBootstrap, SignInSessionRow } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { ScriptsManager } from "./ScriptsManager";
import { describe, ErrorSummary, errorsFrom, Field, formatTime, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

export function AccountPage({ boot }: { boot: AdminBootstrap }) {
  const [sessions, setSessions] = useState<SignInSessionRow[]>([]);
  const [status, say] = useStatus();
  const load = () => api<{ sessions: SignInSessionRow[] }>("/api/admin/account/sessions").then((r) => r.ok && setSessions(r.data.sessions));
  useEffect(() => void load(), []);

  const revoke = async (s: SignInSessionRow) => {
    const r = await api(`/api/admin/account/sessions/${s.id}/revoke`, { method: "POST" });
    if (s.current && r.ok) {
      location.assign("/login");
      return;
    }
    say(r.ok ? "That session is signed out." : r.error.message);
    void load();
  };

  const [pw, setPw] = useState({ current: "", password: "", confirm: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const changePassword = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!pw.current) found.current = "Enter your current password";
    if (pw.password.length < PASSWORD_RULES.minChars) found.password = `Use at least ${PASSWORD_RULES.minChars} characters`;
    if (pw.password !== pw.confirm) found.confirm = "The two passwords do not match";
    setErrors(found);
    if (Object.keys(found).length) return;
    const r = await api("/api/admin/account/password", { method: "POST", body: pw });
    if (!r.ok) {
      setErrors(errorsFrom(r.error));
      return;
    }
    setPw({ current: "", password: "", confirm: "" });
    say("Your password is changed. Your other sessions are signed out.");
    void load();
  };

  return (
    <AdminLayout boot={boot} title="Your account">
      <StatusLine text={status} />
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <DataTable
          class="data-table"
          caption="Your sign-in sessions"
          rows={sessions}
          rowKey={(s) => s.id}
          columns={[
            {
              header: "Signed in",
              cell: (s) => (
                <>
                  {formatTime(s.createdAt)}
                  {s.current ? <strong> (this browser)</strong> : null}
                </>
              ),
            },
            { header: "Expires", cell: (s) => formatTime(s.expiresAt) },
            {
              header: "Action",
              cell: (s) => (
                <button type="button" class="danger" onClick={() => revoke(s)} aria-label={`Sign out the session from ${formatTime(s.createdAt)}`}>
                  Sign out
                </button>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <form class="stack" onSubmit={changePassword} noValidate>
          <ErrorSummary errors={errors} />
          <input type="text" name="username" autoComplete="username" value={boot.me.email} hidden readOnly />
          <Field path="current" label="Current password" errors={errors}>
            <input type="password" autoComplete="current-password" value={pw.current} onInput={(e) => setPw({ ...pw, current: inputValue(e) })} {...describe("current", errors)} />
          </Field>
          <Field path="password" label="New password" hint={`At least ${PASSWORD_RULES.minChars} characters; not a common password.`} errors={errors}>
            <input type="password" autoComplete="new-password" value={pw.password} onInput={(e) => setPw({ ...pw, password: inputValue(e) })} {...describe("password", errors, true)} />
          </Field>
          <Field path="confirm" label="New password again" errors={errors}>
            <input type="password" autoComplete="new-password" value={pw.confirm} onInput={(e) => setPw({ ...pw, confirm: inputValue(e) })} {...describe("confirm", errors)} />
          </Field>
          <button type="submit" class="primary">
            Change password
          </button>
        </form>
      </section>
      <ScriptsManager owner={{ scope: "personal" }} idBase="my-scripts" canEdit heading="Your scripts" />
    </AdminLayout>
  );
}
