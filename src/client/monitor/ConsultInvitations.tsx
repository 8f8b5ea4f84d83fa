/**
 * Invitations to consult: a colleague asks this librarian to help in a chat
 * they own. Each shows who asks, the patron, their library, the question and
 * how long the invitation stays open, with Join and Decline. Shown only when
 * there is one; its arrival is announced (and notified while the monitor is
 * hidden) by the monitor itself.
 */
import type { QueuedRequest } from "../../shared/protocol";
import { formatWait } from "./queue-model";

export interface ConsultInvitationsProps {
  invitations: QueuedRequest[];
  now: number;
  busy: string | null;
  onJoin: (r: QueuedRequest) => void;
  onDecline: (r: QueuedRequest) => void;
}

export function ConsultInvitations({ invitations, now, busy, onJoin, onDecline }: ConsultInvitationsProps) {
  if (invitations.length === 0) return null;
  return (
    <section class="consult-invitations" aria-labelledby="consult-heading">
      <h2 id="consult-heading" tabIndex={-1}>
        Invitations to help ({invitations.length})
      </h2>
      <ul class="waiting-list">
        {invitations.map((r) => {
          const c = r.consult!;
          const left = Math.max(0, Math.ceil((c.expiresAt - now) / 1000));
          return (
            <li key={r.sessionId} class="waiting-item waiting-consult" title={r.question}>
              <div class="waiting-top">
                <p class="waiting-meta">
                  <strong>
                    <bdi>{c.from.name}</bdi>
                  </strong>{" "}
                  asks you to help with <bdi>{r.patronName}</bdi> · <bdi>{r.libraryName}</bdi>
                </p>
                <span class="wait-time">
                  <span class="visually-hidden">invitation ends in </span>
                  {formatWait(left)}
                </span>
                <button type="button" class="primary" disabled={busy === r.sessionId} onClick={() => onJoin(r)} aria-label={`Join ${c.from.name}'s chat with ${r.patronName}`}>
                  {busy === r.sessionId ? "Joining…" : "Join"}
                </button>
                <button type="button" onClick={() => onDecline(r)} aria-label={`Decline to help with ${r.patronName}`}>
                  Decline
                </button>
              </div>
              <p class="waiting-question" dir="auto">
                {r.question}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
