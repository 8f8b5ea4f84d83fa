/**
 * Patrons waiting in the monitored queues, oldest first: who, which library
 * and form, how long (ticking), the question and what they added while
 * waiting. Transfers offered to this librarian sit here too, marked, with the
 * note. Accept takes one click (or Alt+Shift+A for the oldest). Names are
 * isolated (`<bdi>`), so none can run into the library or form beside it.
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
    <section aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" tabIndex={-1}>
        Waiting patrons ({waiting.length})
      </h2>
      {waiting.length === 0 ? (
        <p>{monitoringAny ? "Nobody is waiting." : "Turn on a queue to see waiting patrons."}</p>
      ) : (
        <ul class="waiting-list" aria-labelledby="waiting-heading">
          {waiting.map((r, i) => {
            const t = r.transfer;
            const offerLeft = t ? Math.max(0, Math.ceil((t.expiresAt - now) / 1000)) : 0;
            return (
              <li key={r.sessionId} class={`waiting-item${t ? " waiting-transfer" : ""}`}>
                {t ? (
                  <p class="transfer-tag">
                    <strong>
                      Transfer from <bdi>{t.from.name}</bdi>
                    </strong>{" "}
                    {t.toLibrarianId ? "to you" : <>to <bdi>{t.toName}</bdi></>} · offer ends in{" "}
                    <span class="wait-time">{formatWait(offerLeft)}</span>
                  </p>
                ) : null}
                <p class="waiting-meta">
                  <strong>
                    <bdi>{r.patronName}</bdi>
                  </strong>{" "}
                  · <bdi>{r.libraryName}</bdi>
                  {r.formTitle ? (
                    <>
                      {" "}
                      · <bdi>{r.formTitle}</bdi>
                    </>
                  ) : null}
                  {t ? null : (
                    <>
                      {" "}
                      · waiting <span class="wait-time">{formatWait(secondsWaiting(r, now))}</span>
                    </>
                  )}
                </p>
                <p class="waiting-question" dir="auto">
                  {r.question}
                </p>
                {t?.note ? (
                  <p class="transfer-note">
                    <strong>Note:</strong> <bdi>{t.note}</bdi>
                  </p>
                ) : null}
                {r.preview.length ? (
                  <ul class="preview" aria-label="Added while waiting">
                    {r.preview.map((p, j) => (
                      <li key={j} dir="auto">
                        {p}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <div class="waiting-actions">
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
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
