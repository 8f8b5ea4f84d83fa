/**
 * Staff chat: librarians monitoring the same queues talk to each other — to
 * everyone on a queue, or directly to one colleague. It travels over the queue
 * sockets only, so patrons never see it; the queue keeps it for the shift, so
 * a reload brings it back.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { nameInText } from "../../shared/display-text";
import { LIMITS } from "../../shared/limits";
import type { Monitor, StaffMessage } from "../../shared/protocol";
import { ErrorLine } from "../shared/ErrorLine";
import { newClientId } from "../shared/session-connection";
import { ariaKeys } from "./shortcuts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/** Everyone on a queue, or one colleague. */
export type StaffTarget = { kind: "everyone"; queueId: string } | { kind: "direct"; librarianId: string };

export interface StaffChatProps {
  meId: string;
  messages: StaffMessage[];
  colleagues: Monitor[];
  /** The queues being monitored now, with their names. */
  queues: { id: string; name: string }[];
  unread: number;
  error: string | null;
  onSeen: () => void;
  /** Sends; returns an error message when it could not go. */
  onSend: (target: StaffTarget, body: string, clientId: string) => string | null;
  /** Shown or folded away (the heading's button; remembered). */
  open: boolean;
  onOpen: (open: boolean) => void;
}

function encode(t: StaffTarget): string {
  return t.kind === "everyone" ? `everyone:${t.queueId}` : `direct:${t.librarianId}`;
}

function decode(value: string): StaffTarget | null {
  const [kind, ...rest] = value.split(":");
  const id = rest.join(":");
  if (!id) return null;
  return kind === "direct" ? { kind: "direct", librarianId: id } : { kind: "everyone", queueId: id };
}

export function StaffChat({ meId, messages, colleagues, queues, unread, error, onSeen, onSend, open, onOpen }: StaffChatProps) {
  const [to, setTo] = useState("");
  const [text, setText] = useState("");
  const [pending, setPending] = useState<{ clientId: string; body: string }[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? id;
  const options: { value: string; label: string }[] = [
    // Option text cannot hold markup: names are isolated with FSI…PDI where directions mix.
    ...queues.map((q) => ({ value: encode({ kind: "everyone", queueId: q.id }), label: `Everyone on ${nameInText(q.name)}` })),
    ...colleagues.map((c) => ({ value: encode({ kind: "direct", librarianId: c.librarianId }), label: `${nameInText(c.name)} only` })),
  ];
  const chosen = options.some((o) => o.value === to) ? to : (options[0]?.value ?? "");

  // A message is "sending" until the queue echoes it back with our client id.
  useEffect(() => {
    const echoed = new Set(messages.filter((m) => m.from.id === meId && m.clientId).map((m) => m.clientId));
    setPending((p) => p.filter((x) => !echoed.has(x.clientId)));
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [messages.length]);

  const submit = (e?: Event) => {
    e?.preventDefault();
    const body = text.trim();
    const target = decode(chosen);
    if (!body || !target) return;
    const clientId = newClientId();
    const failed = onSend(target, body, clientId);
    setProblem(failed);
    if (failed) return;
    setPending((p) => [...p, { clientId, body }]);
    setText("");
  };

  return (
    <section class={`staff-chat${open ? "" : " folded"}`} aria-labelledby="staff-heading" onFocusIn={onSeen}>
      <h2 id="staff-heading">
        <button type="button" class="panel-toggle" aria-expanded={open} aria-controls="staff-body" onClick={() => onOpen(!open)}>
          Staff chat{unread > 0 ? <span class="badge"> ({unread} new)</span> : null}
        </button>
      </h2>
      <div id="staff-body" class="staff-body" hidden={!open}>
      <p class="help">Only librarians see these messages, never a patron.</p>
      <div class="staff-log" role="log" aria-label="Staff chat history" tabIndex={0} ref={log}>
        {messages.length === 0 && pending.length === 0 ? <p class="help">No staff messages in this shift yet.</p> : null}
        {messages.map((m) => (
          <div class="staff-msg" key={`${m.queueId}:${m.id}`}>
            <p class="msg-meta">
              <bdi class="msg-author">{m.from.id === meId ? "You" : m.from.name}</bdi>{" "}
              {m.to ? (
                <span class="staff-direct">to {m.to.id === meId ? "you" : <bdi>{m.to.name}</bdi>} (direct)</span>
              ) : (
                <span>
                  to everyone on <bdi>{queueName(m.queueId)}</bdi>
                </span>
              )}{" "}
              <time dateTime={new Date(m.at).toISOString()}>{timeFormat.format(m.at)}</time>
            </p>
            <p class="msg-body" dir="auto">
              {m.body}
            </p>
          </div>
        ))}
      </div>
      {pending.length ? (
        <ul class="staff-pending" aria-label="Staff messages being sent">
          {pending.map((p) => (
            <li key={p.clientId}>
              <bdi>{p.body}</bdi> <span class="msg-status">Sending…</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorLine message={problem || error} />
      {options.length === 0 ? (
        <p class="help">Monitor a queue to talk with the librarians on it.</p>
      ) : (
        <form class="staff-form stack" onSubmit={submit}>
          <div class="field">
            <label for="staff-to">Send to</label>
            <select id="staff-to" value={chosen} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="staff-message">Message to staff</label>
            <textarea
              id="staff-message"
              rows={2}
              maxLength={LIMITS.staffMessageChars}
              value={text}
              aria-keyshortcuts={ariaKeys("staff")}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
              }}
            />
          </div>
          <button type="submit" disabled={!text.trim()}>
            Send to staff
          </button>
        </form>
      )}
      </div>
    </section>
  );
}
