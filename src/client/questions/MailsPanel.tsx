/** The question's mails — transcript and follow-ups — with their state; a failed one can be re-sent. */
import { useState } from "preact/hooks";
import type { MailView, QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import { ErrorLine } from "../shared/ErrorLine";
import type { PanelProps } from "./QuestionPage";
import { formatWhen, isoTime } from "./format";

const KIND: Record<MailView["kind"], string> = { transcript: "Chat transcript", followup: "Follow-up answer", other: "Mail" };
const STATE: Record<MailView["status"], string> = { pending: "Being sent", sent: "Sent", failed: "Failed" };

export function MailsPanel({ detail, boot, onChanged }: PanelProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const resend = async (mail: MailView) => {
    setError(null);
    setBusy(mail.eventKey);
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/mails/resend`, { method: "POST", body: { eventKey: mail.eventKey } });
    setBusy(null);
    if (!res.ok) setError(res.error.message);
    else onChanged(res.data, `The ${KIND[mail.kind].toLowerCase()} to ${mail.to} is being sent again.`);
  };

  return (
    <section aria-labelledby="mails-heading" class="panel">
      <h2 id="mails-heading">E-mails</h2>
      <ErrorLine message={error} />
      {detail.mails.length === 0 ? (
        <p>No e-mail has been sent about this question.</p>
      ) : (
        <ul class="mails">
          {detail.mails.map((m) => (
            <li key={m.eventKey} class={`mail mail-${m.status}`}>
              <p>
                <strong>{KIND[m.kind]}</strong> to {m.to} — <span class="mail-state">{STATE[m.status]}</span>
                {m.status === "sent" && m.sentAt ? (
                  <>
                    {" "}
                    <time dateTime={isoTime(m.sentAt)}>{formatWhen(m.sentAt, boot.timeZone)}</time>
                  </>
                ) : null}
                {m.attempts > 1 || m.status === "failed" ? ` after ${m.attempts} ${m.attempts === 1 ? "attempt" : "attempts"}` : ""}
              </p>
              <p class="muted">{m.subject}</p>
              {m.lastError ? <p class="mail-error">Last error: {m.lastError}</p> : null}
              {m.status === "failed" ? (
                <button type="button" disabled={busy === m.eventKey} onClick={() => void resend(m)} aria-label={`Re-send the ${KIND[m.kind].toLowerCase()} to ${m.to}`}>
                  Re-send
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
