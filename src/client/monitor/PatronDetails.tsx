/**
 * Who the patron is, as far as they told us: name, e-mail, their library (with
 * its Policies page, opened in a new window), the form and page they asked
 * from, their browser, their earlier chats with this library (by e-mail, or
 * by the anonymous id their browser sent; each linked to its transcript where
 * this librarian may read it) — and the
 * internal notes librarians left (never shown to the patron) — and
 * the co-browse check: what this patron's browser can do, so the librarian
 * picks the right way to help.
 */
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { BrowserCheck } from "../../shared/protocol";
import { api } from "./api";
import { t } from "../shared/i18n";

export interface PatronDetailsData {
  patron: { name: string | null; email: string | null; answers: { id: string; label: string; value: string }[] };
  library: { id: string; name: string; policiesUrl: string };
  form: { id: string; title: string } | null;
  /** The language the patron is served in: its tag and its own name. */
  language: { tag: string; name: string };
  referrer: string | null;
  browser: string;
  createdAt: number;
  earlierSessions: { id: string; question: string; status: string; resolution: string | null; librarianName: string | null; createdAt: number; matchedBy: "email" | "browser"; transcriptUrl: string | null }[];
  /** Whether earlier chats could be looked for: an e-mail address, or the patron's browser id. */
  recognisable: boolean;
}

interface InternalNote {
  id: number;
  at: number;
  author: { id: string; name: string };
  body: string;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export interface PatronDetailsProps {
  sessionId: string;
  /** The panel's id (the chat's "Patron details" toggle controls it). */
  panelId: string;
  /** Collapsed by the librarian: kept, not shown. */
  hidden: boolean;
  /** Changes when notes may have changed (e.g. the chat was transferred to you). */
  notesVersion: string;
  headingId: string;
  /** The co-browse check, as the session socket last said (null until it does). */
  check?: BrowserCheck | null;
}

const POPUPS = { unknown: "Not known yet (known once a page had to open in a new window)", allowed: "Allowed", blocked: "Blocked: the patron gets a link to click instead" } as const;

/** What the patron's browser can do (the co-browse check). */
function BrowserCheckList({ check, sessionId }: { check: BrowserCheck; sessionId: string }) {
  return (
    <>
      <h4>This patron's browser</h4>
      {!check.reported ? <p class="help">The browser has not reported yet.</p> : null}
      <dl class="patron-details browser-check">
        <dt>Viewport</dt>
        <dd>
          {check.viewport.available ? "Available" : "Not available"}. {check.viewport.note}
        </dd>
        <dt>Pop-ups</dt>
        <dd>{POPUPS[check.popups]}</dd>
        <dt>On a library page (Qwidget)</dt>
        <dd>{check.reported ? (check.qwidget.on ? `Yes${check.qwidget.pageOrigin ? `, ${check.qwidget.pageOrigin}` : ""}` : "No, on the chat page") : "Not known yet"}</dd>
        <dt>Co-browsing</dt>
        <dd id={`cobrowse-note-${sessionId}`}>
          {check.cobrowse.possible ? "Possible" : "Not possible"}. {check.cobrowse.note}
        </dd>
      </dl>
    </>
  );
}

export function PatronDetails({ sessionId, panelId, hidden, notesVersion, headingId, check }: PatronDetailsProps) {
  const [details, setDetails] = useState<PatronDetailsData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<InternalNote[]>([]);

  useEffect(() => {
    void api<PatronDetailsData>(`/api/chats/${sessionId}/details`).then((r) => (r.ok ? setDetails(r.data) : setError(r.error.message)));
  }, [sessionId]);
  useEffect(() => {
    void api<{ notes: InternalNote[] }>(`/api/chats/${sessionId}/notes`).then((r) => r.ok && setNotes(r.data.notes));
  }, [sessionId, notesVersion]);

  return (
    <section class="patron-panel" id={panelId} hidden={hidden} aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1}>
        {t("staff.details.heading")}
      </h3>
      {error ? <p class="form-error">{error}</p> : null}
      {details ? (
        <>
          <dl class="patron-details">
            <dt>{t("staff.details.name")}</dt>
            <dd>{details.patron.name ? <bdi>{details.patron.name}</bdi> : t("staff.details.notGiven")}</dd>
            <dt>{t("staff.details.email")}</dt>
            <dd>{details.patron.email ?? t("staff.details.notGiven")}</dd>
            <dt>{t("staff.details.language")}</dt>
            <dd>
              <span lang={details.language.tag}>{details.language.name}</span> ({details.language.tag})
            </dd>
            <dt>{t("staff.details.library")}</dt>
            <dd>
              <bdi>{details.library.name}</bdi>{" "}
              <a href={details.library.policiesUrl} target="_blank" rel="noopener">
                {t("staff.details.policies")}
                <span class="visually-hidden"> {t("staff.details.policiesOf", { library: details.library.name })}</span>
              </a>
            </dd>
            <dt>{t("staff.details.form")}</dt>
            <dd>{details.form ? <bdi>{details.form.title}</bdi> : t("staff.details.noForm")}</dd>
            {details.patron.answers.map((a) => (
              <Fragment key={a.id}>
                <dt>
                  <bdi>{a.label}</bdi>
                </dt>
                <dd>
                  <bdi>{a.value}</bdi>
                </dd>
              </Fragment>
            ))}
            <dt>{t("staff.details.askedFrom")}</dt>
            <dd class="break">{details.referrer ?? t("staff.details.unknownPage")}</dd>
            <dt>{t("staff.details.browser")}</dt>
            <dd>{details.browser}</dd>
          </dl>
          <h4>{t("staff.details.earlier", { library: details.library.name })}</h4>
          {details.earlierSessions.length === 0 ? (
            <p class="help">{t(details.recognisable ? "staff.details.noEarlier" : "staff.details.unrecognisable")}</p>
          ) : (
            <ul class="earlier">
              {details.earlierSessions.map((s) => (
                <li key={s.id}>
                  <time dateTime={new Date(s.createdAt).toISOString()}>{dateTime.format(s.createdAt)}</time>:{" "}
                  {s.transcriptUrl ? (
                    <a href={s.transcriptUrl} target="_blank" rel="noopener">
                      <bdi>{s.question}</bdi>
                      <span class="visually-hidden"> (transcript, opens in a new window)</span>
                    </a>
                  ) : (
                    <bdi>{s.question}</bdi>
                  )}
                  <span class="optional">
                    {" "}
                    (
                    {s.librarianName ? (
                      <>
                        with <bdi>{s.librarianName}</bdi>,{" "}
                      </>
                    ) : (
                      ""
                    )}
                    {s.status === "ended" ? (s.resolution ?? "ended").replaceAll("_", " ") : s.status.replaceAll("_", " ")}
                    {s.matchedBy === "browser" ? ", same browser" : ""})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : error ? null : (
        <p class="loading">{t("staff.details.loading")}</p>
      )}
      {check ? <BrowserCheckList check={check} sessionId={sessionId} /> : null}
      {notes.length ? (
        <>
          <h4>{t("staff.details.notes")}</h4>
          <ul class="notes" aria-label={t("staff.details.notesLabel")}>
            {notes.map((n) => (
              <li key={n.id}>
                <strong>
                  <bdi>{n.author.name}</bdi>
                </strong>{" "}
                <time dateTime={new Date(n.at).toISOString()}>{dateTime.format(n.at)}</time>: <bdi>{n.body}</bdi>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
