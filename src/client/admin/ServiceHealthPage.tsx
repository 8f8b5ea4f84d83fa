/**
 * /admin/service/health — is the service well? The checks uptime monitors
 * see at /healthz; mail waiting, sent, failed and dead-lettered, with retry
 * and discard for each failed one; chats whose filing is being retried; the
 * last privacy scrub; the last errors; the scheduled archive exports.
 */
import { useEffect, useState } from "preact/hooks";
import type { AdminBootstrap } from "../../shared/admin-views";
import type { HealthReport, MailNeedingAttention } from "../../shared/service-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { formatTime, StatusLine, useStatus } from "./ui";

const yesNo = (ok: boolean | null | undefined) => (ok === null || ok === undefined ? "Unknown" : ok ? "Healthy" : "Needs attention");

function Checks({ report }: { report: HealthReport }) {
  const { d1, mail, cron } = report.checks;
  return (
    <dl class="change">
      <div>
        <dt>Overall</dt>
        <dd>{yesNo(report.checks.ok)}</dd>
      </div>
      <div>
        <dt>Database (D1)</dt>
        <dd>
          {yesNo(d1.ok)}, answered in {d1.latencyMs} ms
        </dd>
      </div>
      <div>
        <dt>Mail queue</dt>
        <dd>
          {yesNo(mail?.ok)}
          {mail?.oldestWaitingSeconds != null ? `; the oldest waiting mail has waited ${Math.round(mail.oldestWaitingSeconds / 60)} minutes` : ""}
        </dd>
      </div>
      <div>
        <dt>Daily cron</dt>
        <dd>
          {yesNo(cron?.ok)}
          {cron?.lastRunAt ? `; last run ${formatTime(cron.lastRunAt)}` : "; it has not run yet"}
        </dd>
      </div>
    </dl>
  );
}

export function ServiceHealthPage({ boot }: { boot: AdminBootstrap }) {
  const [report, setReport] = useState<HealthReport | null>(null);
  const [status, say] = useStatus();
  const load = () => api<HealthReport>("/api/admin/service/health").then((r) => (r.ok ? setReport(r.data) : say(r.error.message)));
  useEffect(() => void load(), []);

  const act = async (mail: MailNeedingAttention, action: "retry" | "discard") => {
    const r = await api(`/api/admin/service/mail/${action}`, { method: "POST", body: { eventKey: mail.eventKey } });
    say(r.ok ? (action === "retry" ? `The ${mail.kind} mail of ${mail.libraryName ?? mail.libraryId} is being sent again.` : `The ${mail.kind} mail of ${mail.libraryName ?? mail.libraryId} is discarded.`) : r.error.message);
    void load();
  };

  if (!report) {
    return (
      <AdminLayout boot={boot} title="Service health">
        <StatusLine text={status} />
        <p class="loading">Loading…</p>
      </AdminLayout>
    );
  }
  const { mail, lastScrub } = report;
  return (
    <AdminLayout boot={boot} title="Service health">
      <StatusLine text={status} />
      <p>
        Uptime monitors can watch <a href="/healthz">/healthz</a>: it answers 200 when all is well and 503 otherwise, with these checks and no personal data.{" "}
        <button type="button" onClick={() => (void load(), say("Refreshed."))}>
          Refresh
        </button>
      </p>
      <section aria-labelledby="checks-heading">
        <h2 id="checks-heading">Checks</h2>
        <Checks report={report} />
      </section>
      <section aria-labelledby="mail-heading">
        <h2 id="mail-heading">Mail</h2>
        <p>
          {mail.waiting} waiting · {mail.sent} sent · {mail.failed} failed · {mail.deadLettered} dead-lettered · {mail.discarded} discarded
        </p>
        <DataTable
          class="data-table"
          caption="Failed and dead-lettered mail"
          rows={mail.needingAttention}
          rowKey={(m) => m.eventKey}
          empty="No mail needs attention."
          columns={[
            { header: "Mail", rowHeader: true, cell: (m) => `${m.kind} (${m.libraryName ?? m.libraryId})` },
            { header: "Created", cell: (m) => formatTime(m.createdAt) },
            { header: "State", cell: (m) => (m.deadLettered ? "Dead-lettered" : "Failed") + ` after ${m.attempts} attempts` },
            { header: "Last error", cell: (m) => m.lastError ?? "—" },
            {
              header: "Actions",
              class: "actions",
              cell: (m) => (
                <>
                  <button type="button" onClick={() => void act(m, "retry")}>
                    Retry<span class="visually-hidden"> the {m.kind} mail of {m.libraryName ?? m.libraryId} created {formatTime(m.createdAt)}</span>
                  </button>
                  <button type="button" class="danger" onClick={() => void act(m, "discard")}>
                    Discard<span class="visually-hidden"> the {m.kind} mail of {m.libraryName ?? m.libraryId} created {formatTime(m.createdAt)}</span>
                  </button>
                </>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="filings-heading">
        <h2 id="filings-heading">Chats whose filing is being retried</h2>
        <DataTable
          class="data-table"
          caption="Chats whose filing is being retried"
          rows={report.filings}
          rowKey={(f) => f.sessionId}
          empty="Every ended chat is filed."
          columns={[
            { header: "Chat", rowHeader: true, cell: (f) => <code>{f.sessionId}</code> },
            { header: "Library", cell: (f) => f.libraryName ?? f.libraryId },
            { header: "Attempts", cell: (f) => f.attempts ?? "—" },
            { header: "Last failure", cell: (f) => (f.failedAt ? formatTime(f.failedAt) : "—") },
          ]}
        />
      </section>
      <section aria-labelledby="scrub-heading">
        <h2 id="scrub-heading">Last privacy scrub</h2>
        {lastScrub ? (
          <>
            <p>
              Ran {formatTime(lastScrub.startedAt)}
              {lastScrub.finishedAt ? "" : " and has not finished"}: {lastScrub.librariesChecked} libraries checked; {lastScrub.sessionsScrubbed} chats, {lastScrub.questionsScrubbed} questions and{" "}
              {lastScrub.mailsScrubbed} mails cleaned.{lastScrub.error ? ` It met a problem: ${lastScrub.error}` : ""}
            </p>
            <DataTable
              class="data-table"
              caption="What the last scrub cleaned in each library"
              rows={lastScrub.changes}
              rowKey={(c) => c.libraryId}
              empty="Nothing was old enough to clean."
              columns={[
                { header: "Library", rowHeader: true, cell: (c) => c.libraryName ?? c.libraryId },
                { header: "Chats", cell: (c) => c.sessionsScrubbed },
                { header: "Questions", cell: (c) => c.questionsScrubbed },
                { header: "Mails", cell: (c) => c.mailsScrubbed },
              ]}
            />
          </>
        ) : (
          <p>The scrub has not run yet. It runs every night.</p>
        )}
      </section>
      <section aria-labelledby="errors-heading">
        <h2 id="errors-heading">Last errors</h2>
        <DataTable
          class="data-table audit-table"
          caption="The service's last errors, newest first"
          rows={report.errors}
          rowKey={(e) => e.id}
          empty="No errors recorded."
          columns={[
            { header: "When", cell: (e) => formatTime(e.createdAt) },
            { header: "Event", rowHeader: true, cell: (e) => <code>{e.event}</code> },
            { header: "Details", cell: (e) => <code>{JSON.stringify(e.detail)}</code> },
          ]}
        />
      </section>
      <section aria-labelledby="exports-heading">
        <h2 id="exports-heading">Scheduled archive exports</h2>
        <DataTable
          class="data-table"
          caption="The last scheduled exports to the archives bucket"
          rows={report.exports}
          rowKey={(x) => x.id}
          empty="No scheduled export has run (they run nightly when ARCHIVE_EXPORTS is on)."
          columns={[
            { header: "Archive", rowHeader: true, cell: (x) => `${x.kind} ${x.ownerId}` },
            { header: "Started", cell: (x) => formatTime(x.startedAt) },
            { header: "Result", cell: (x) => (x.error ? `Failed: ${x.error}` : x.finishedAt ? `${x.objectKey}, ${Math.round((x.bytes ?? 0) / 1024)} KB` : "Running") },
          ]}
        />
      </section>
    </AdminLayout>
  );
}
