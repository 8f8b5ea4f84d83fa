/**
 * Direct messages: talk to any librarian of your library or its cooperatives,
 * not only the people on your queues — each shown with their presence
 * (online, busy, away, offline) and how many of their messages you have not
 * read. Messages are kept (D1), so a colleague who is offline reads them when
 * they next open the monitor; new ones arrive live over the queue sockets.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { nameInText } from "../../shared/display-text";
import { LIMITS } from "../../shared/limits";
import type { DirectMessage } from "../../shared/protocol";
import { ErrorLine } from "../shared/ErrorLine";
import { newClientId } from "../shared/session-connection";
import { api } from "./api";

export interface ColleagueView {
  id: string;
  name: string;
  libraryId: string;
  libraryName: string;
  presence: "online" | "busy" | "away" | "offline";
  unread: number;
}

export interface DirectMessagesProps {
  meId: string;
  /** Colleagues in reach (null while loading). */
  colleagues: ColleagueView[] | null;
  /** Messages that arrived live (to or from this librarian), oldest first. */
  live: DirectMessage[];
  open: boolean;
  onOpen: (open: boolean) => void;
  /** A conversation was read (or a message sent): the unread counts change. */
  onChanged: () => void;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

function optionLabel(c: ColleagueView): string {
  // Option text cannot hold markup: names are isolated with FSI…PDI where directions mix.
  return `${nameInText(c.name)} (${nameInText(c.libraryName)}) — ${c.presence}${c.unread ? `, ${c.unread} unread` : ""}`;
}

/** Two lists of one conversation as one, each message once, in order. */
function mergeMessages(a: DirectMessage[], b: DirectMessage[]): DirectMessage[] {
  const byId = new Map([...a, ...b].map((m) => [m.id, m]));
  return [...byId.values()].sort((x, y) => x.id - y.id);
}

export function DirectMessages({ meId, colleagues, live, open, onOpen, onChanged }: DirectMessagesProps) {
  const [withId, setWithId] = useState("");
  const [messages, setMessages] = useState<DirectMessage[]>([]);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const list = colleagues ?? [];
  const unread = list.reduce((n, c) => n + c.unread, 0);
  const chosen = list.find((c) => c.id === withId) ?? null;

  const markRead = async (id: string) => {
    const res = await api<{ read: number }>(`/api/staff/direct/${id}/read`, { method: "POST" });
    if (res.ok && res.data.read > 0) onChanged();
  };

  // The conversation with the chosen colleague, read as it opens. What was sent or came meanwhile stays
  // (the read may answer after a quick first message); an answer for a colleague no longer chosen is dropped.
  const showing = useRef(withId);
  showing.current = withId;
  useEffect(() => {
    setMessages([]);
    if (!withId || !open) return;
    void api<{ messages: DirectMessage[] }>(`/api/staff/direct/${withId}`).then((r) => {
      if (showing.current !== withId) return;
      if (!r.ok) return setProblem(r.error.message);
      setMessages((meanwhile) => mergeMessages(r.data.messages, meanwhile));
      if (r.data.messages.some((m) => m.from.id === withId && m.readAt === null)) void markRead(withId);
    });
  }, [withId, open]);

  // Live messages of this conversation join it; one from them on show counts as read.
  useEffect(() => {
    const mine = live.filter((m) => (m.from.id === withId && m.to.id === meId) || (m.to.id === withId && m.from.id === meId));
    const fresh = mine.filter((m) => !messages.some((x) => x.id === m.id));
    if (fresh.length === 0) return;
    setMessages((all) => mergeMessages(all, fresh));
    if (open && !document.hidden && fresh.some((m) => m.from.id === withId)) void markRead(withId);
  }, [live.length, withId]);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [messages.length]);

  const submit = async (e?: Event) => {
    e?.preventDefault();
    const body = text.trim();
    if (!body || !chosen || sending) return;
    setSending(true);
    const res = await api<{ message: DirectMessage }>(`/api/staff/direct/${chosen.id}`, { method: "POST", body: { clientId: newClientId(), body } });
    setSending(false);
    if (!res.ok) return setProblem(res.error.message);
    setProblem(null);
    setText("");
    setMessages((all) => mergeMessages(all, [res.data.message]));
  };

  return (
    <section class={`direct-messages${open ? "" : " folded"}`} aria-labelledby="direct-heading">
      <h2 id="direct-heading">
        <button type="button" class="panel-toggle" aria-expanded={open} aria-controls="direct-body" onClick={() => onOpen(!open)}>
          Direct messages{unread > 0 ? <span class="badge"> ({unread} unread)</span> : null}
        </button>
      </h2>
      <div id="direct-body" class="staff-body" hidden={!open}>
        {colleagues !== null && list.length === 0 ? <p class="help">No other librarian in your library or cooperatives.</p> : null}
        <div class="field">
          <label for="direct-to">Colleague</label>
          <select id="direct-to" value={withId} onChange={(e) => setWithId((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a colleague…</option>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {optionLabel(c)}
              </option>
            ))}
          </select>
        </div>
        {chosen ? (
          <>
            <p class="help">
              <bdi>{chosen.name}</bdi> is {chosen.presence}
              {chosen.presence === "offline" ? "; they will read it when they next open the monitor." : "."}
            </p>
            <div class="staff-log" role="log" aria-label={`Direct messages with ${chosen.name}`} tabIndex={0} ref={log}>
              {messages.length === 0 ? <p class="help">No messages yet.</p> : null}
              {messages.map((m) => (
                <div class="staff-msg" key={m.id}>
                  <p class="msg-meta">
                    <bdi class="msg-author">{m.from.id === meId ? "You" : m.from.name}</bdi> <time dateTime={new Date(m.at).toISOString()}>{timeFormat.format(m.at)}</time>
                  </p>
                  <p class="msg-body" dir="auto">
                    {m.body}
                  </p>
                </div>
              ))}
            </div>
            <ErrorLine message={problem} />
            <form class="staff-form stack" onSubmit={submit}>
              <div class="field">
                <label for="direct-message">Message to {nameInText(chosen.name)}</label>
                <textarea
                  id="direct-message"
                  rows={2}
                  maxLength={LIMITS.staffMessageChars}
                  value={text}
                  onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) void submit(e);
                  }}
                />
              </div>
              <button type="submit" disabled={!text.trim() || sending}>
                {sending ? "Sending…" : "Send message"}
              </button>
            </form>
          </>
        ) : (
          <ErrorLine message={problem} />
        )}
      </div>
    </section>
  );
}
