/**
 * /admin/libraries/:id/privacy — how long patrons' names and e-mails are kept,
 * how much of their IP address, and what each daily scrub removed (counts only).
 */
import { useEffect, useState } from "preact/hooks";
import { SETTING_RANGES, type IpMode } from "../../shared/admin-limits";
import type { AdminBootstrap, ScrubRunRow } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { describe, ErrorSummary, errorsFrom, Field, formatTime, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

const IP_LABELS: Record<IpMode, string> = {
  truncated: "Keep a shortened address (the network, not the device), for abuse reports",
  none: "Keep no IP address at all",
};

export function PrivacyPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  const [retention, setRetention] = useState("");
  const [ipMode, setIpMode] = useState<IpMode>("truncated");
  const [runs, setRuns] = useState<ScrubRunRow[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, say] = useStatus();
  const load = () =>
    api<{ retentionDays: number; ipMode: IpMode; runs: ScrubRunRow[] }>(`/api/admin/libraries/${libraryId}/privacy`).then((r) => {
      if (!r.ok) return say(r.error.message);
      setRetention(String(r.data.retentionDays));
      setIpMode(r.data.ipMode);
      setRuns(r.data.runs);
    });
  useEffect(() => void load(), []);

  const save = async (e: Event) => {
    e.preventDefault();
    const days = Number(retention);
    const { min, max } = SETTING_RANGES.retentionDays;
    if (!Number.isInteger(days) || days < min || days > max) return setErrors({ retentionDays: `Enter a whole number of days from ${min} to ${max}` });
    setErrors({});
    const r = await api(`/api/admin/libraries/${libraryId}/settings`, { method: "PATCH", body: { retentionDays: days, ipMode } });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    say("Privacy settings saved.");
  };
  const last = runs[0];

  return (
    <AdminLayout boot={boot} title="Privacy and retention" libraryId={libraryId}>
      <StatusLine text={status} />
      <p>
        Patrons never need to give personal data to chat, and the patron side of Refdesk sets no cookies. Every day Refdesk removes names, e-mail addresses, form answers,
        IP addresses and browser details from chats older than your retention period — in the transcript and the question too — and keeps the codes and statistics.
      </p>
      <form class="stack" onSubmit={save} noValidate>
        <ErrorSummary errors={errors} />
        <Field path="retentionDays" label="Keep patrons' identifying details for (days)" hint={`From ${SETTING_RANGES.retentionDays.min} to ${SETTING_RANGES.retentionDays.max} days (ten years).`} errors={errors}>
          <input type="number" inputMode="numeric" min={SETTING_RANGES.retentionDays.min} max={SETTING_RANGES.retentionDays.max} value={retention} onInput={(e) => setRetention(inputValue(e))} {...describe("retentionDays", errors, true)} />
        </Field>
        <fieldset>
          <legend>IP addresses</legend>
          {(Object.keys(IP_LABELS) as IpMode[]).map((m) => (
            <div class="radio" key={m}>
              <input type="radio" id={`ip-${m}`} name="ipMode" checked={ipMode === m} onChange={() => setIpMode(m)} />
              <label for={`ip-${m}`}>{IP_LABELS[m]}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="primary">
          Save privacy settings
        </button>
      </form>
      <section aria-labelledby="export-heading">
        <h2 id="export-heading">Your library's data</h2>
        <p>
          Download everything your library has in Refdesk as one archive (a ZIP of JSON files, with CSV files for spreadsheets): settings, accounts (never passwords), forms,
          codes, scripts, the policy page, every filed chat with its transcript, questions with their history, and the audit log. It holds only what the library still has:
          details the daily scrub removed are not in it. Another Refdesk installation can import it.
        </p>
        <p>
          <a href={`/api/admin/libraries/${libraryId}/export`} download>
            Download the library's archive
          </a>
        </p>
      </section>
      <section aria-labelledby="scrub-heading">
        <h2 id="scrub-heading">Daily scrubs</h2>
        {last ? (
          <p>
            Last run {formatTime(last.startedAt)}: {last.sessionsScrubbed} chats, {last.questionsScrubbed} questions and {last.mailsScrubbed} mails cleaned in this library.
            {last.ok ? "" : " It met a problem; it will try again tomorrow."}
          </p>
        ) : (
          <p>The scrub has not run yet. It runs every night.</p>
        )}
        {runs.length ? (
          <DataTable
            class="data-table"
            caption="Recent scrubs and what they changed in this library"
            rows={runs}
            rowKey={(r) => r.id}
            columns={[
              { header: "Ran", cell: (r) => formatTime(r.startedAt) },
              { header: "Chats", cell: (r) => r.sessionsScrubbed },
              { header: "Questions", cell: (r) => r.questionsScrubbed },
              { header: "Mails", cell: (r) => r.mailsScrubbed },
            ]}
          />
        ) : null}
      </section>
    </AdminLayout>
  );
}
