/**
 * Patrons waiting in the monitored queues, oldest first, one compact row each
 * (so a laptop screen shows many): who, which library, how long (ticking),
 * Accept, and the question's first line; what they added while waiting, on a
 * line of its own. Transfers offered to this librarian sit here too, marked,
 * with the note. Accept takes one click (or Alt+Shift+A for the oldest).
 * Names are isolated (`<bdi>`), so none can run into the library beside it;
 * the whole question is in the row's title and the Accept button's name.
 */
import type { QueuedRequest } from "../../shared/protocol";
import { formatWait, secondsWaiting } from "./queue-model";
import { ariaKeys } from "./shortcuts";

export interface WaitingListProps {
  waiting: QueuedRequest[];
  now: number;
  monitoringAny: boolean;
  accepting: string | null;
  onAccept: (r: QueuedRequest) => void;
  onDecline: (r: QueuedRequest) => void;
}

export function WaitingList({ waiting, now, monitoringAny, accepting, onAccept, onDecline }: WaitingListProps) {
  return (
    <section class="waiting" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" tabIndex={-1}>
        Waiting patrons ({waiting.length})
      </h2>
      {waiting.length === 0 ? (
        <p class="help">{monitoringAny ? "Nobody is waiting." : "Turn on a queue to see waiting patrons."}</p>
      ) : (
        <ul class="waiting-list" aria-labelledby="waiting-heading">
          {waiting.map((r, i) => {
            const t = r.transfer;
            const offerLeft = t ? Math.max(0, Math.ceil((t.expiresAt - now) / 1000)) : 0;
            const latest = r.preview[r.preview.length - 1];
            return (
              <li key={r.sessionId} class={`waiting-item${t ? " waiting-transfer" : ""}`} title={r.question}>
                <div class="waiting-top">
                  <p class="waiting-meta">
                    <strong>
                      <bdi>{r.patronName}</bdi>
                    </strong>{" "}
                    · <bdi>{r.libraryName}</bdi>
                    {r.formTitle ? <span class="visually-hidden"> · {r.formTitle}</span> : null}
                  </p>
                  <span class="wait-time">
                    <span class="visually-hidden">{t ? "offer ends in " : "waiting "}</span>
                    {formatWait(t ? offerLeft : secondsWaiting(r, now))}
                  </span>
                  <button
                    type="button"
                    class="primary"
                    disabled={accepting === r.sessionId}
                    onClick={() => onAccept(r)}
                    aria-label={`Accept ${r.patronName}: ${r.question.slice(0, 80)}`}
                    aria-keyshortcuts={i === 0 ? ariaKeys("accept") : undefined}
                  >
                    {accepting === r.sessionId ? "Accepting…" : "Accept"}
                  </button>
                  {t?.toLibrarianId ? (
                    <button type="button" onClick={() => onDecline(r)} aria-label={`Decline the transfer of ${r.patronName}`}>
                      Decline
                    </button>
                  ) : null}
                </div>
                {t ? (
                  <p class="transfer-tag">
                    <strong>
                      Transfer from <bdi>{t.from.name}</bdi>
                    </strong>{" "}
                    {t.toLibrarianId ? "to you" : <>to <bdi>{t.toName}</bdi></>}
                    {t.note ? (
                      <>
                        {" "}
                        · <span class="transfer-note">Note: <bdi>{t.note}</bdi></span>
                      </>
                    ) : null}
                  </p>
                ) : null}
                <p class="waiting-question" dir="auto">
                  {r.question}
                </p>
                {latest ? (
                  <p class="waiting-added" title={r.preview.join("\n")}>
                    <span class="visually-hidden">Added while waiting: </span>
                    <span dir="auto">{latest}</span>
                    {r.preview.length > 1 ? <span class="muted"> (+{r.preview.length - 1} more)</span> : null}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
