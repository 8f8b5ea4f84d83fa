/**
 * The queues this librarian may staff: a switch for each ("monitor it or
 * not"), and, live, who is monitoring it and with what status; on a
 * cooperative queue, whose shift it is now and next (the coverage schedule).
 */
import type { GroupCoverageView, ShiftView } from "../../shared/coverage-view";
import type { Monitor } from "../../shared/protocol";
import type { SocketState } from "../shared/reconnecting-socket";

export interface QueuePanelProps {
  queues: { id: string; kind: "library" | "group"; name: string }[];
  monitoring: string[];
  offline: boolean;
  states: Record<string, SocketState>;
  monitors: Record<string, Monitor[]>;
  meId: string;
  /** Coverage of the cooperative queues, by queue id. */
  coverage: Record<string, GroupCoverageView>;
  onToggle: (queueId: string, on: boolean) => void;
}

function Shift({ label, shift }: { label: string; shift: ShiftView | null }) {
  return (
    <span>
      {label}:{" "}
      {shift ? (
        <>
          <bdi>{shift.libraryName}</bdi> ({shift.local})
        </>
      ) : (
        "nobody scheduled"
      )}
    </span>
  );
}

const STATUS_WORDS: Record<Monitor["status"], string> = { online: "online", busy: "busy", away: "away" };

export function QueuePanel({ queues, monitoring, offline, states, monitors, meId, coverage, onToggle }: QueuePanelProps) {
  return (
    <section aria-labelledby="queues-heading">
      <h2 id="queues-heading">Queues</h2>
      {offline ? <p class="help">You are offline: not monitoring any queue. Your choices come back when you go online.</p> : null}
      <ul class="queue-toggles">
        {queues.map((q) => {
          const on = monitoring.includes(q.id);
          const live = on && !offline;
          const state = states[q.id];
          const here = monitors[q.id] ?? [];
          const shifts = coverage[q.id];
          return (
            <li key={q.id}>
              <div class="checkbox">
                <input type="checkbox" id={`q-${q.id}`} checked={on} onChange={(e) => onToggle(q.id, (e.target as HTMLInputElement).checked)} />
                <label for={`q-${q.id}`}>
                  Monitor <bdi>{q.name}</bdi>
                  {q.kind === "group" ? " (cooperative)" : ""}
                </label>
              </div>
              {live ? (
                <div class="queue-state">
                  {state === "reconnecting" ? (
                    <p>Connection lost; reconnecting…</p>
                  ) : state !== "open" ? (
                    <p>Connecting…</p>
                  ) : (
                    <>
                      <p>{here.length} monitoring:</p>
                      <ul class="presence" aria-label={`Monitoring ${q.name}`}>
                        {here.map((m) => (
                          <li key={m.librarianId}>
                            {m.librarianId === meId ? "You" : <bdi>{m.name}</bdi>}{" "}
                            <span class={`presence-${m.status}`}>
                              ({STATUS_WORDS[m.status]}
                              {m.reconnecting ? ", reconnecting" : ""})
                            </span>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              ) : null}
              {shifts ? (
                <p class="coverage-line">
                  <Shift label="On shift" shift={shifts.current} /> · <Shift label="next" shift={shifts.next} />
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
