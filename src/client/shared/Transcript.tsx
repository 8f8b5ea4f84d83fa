/**
 * The message list: a role="log" live region. It is mounted only once the
 * backlog has arrived (`synced`), so a screen reader announces each new
 * message once and never reads out the whole history after a reload.
 * Messages still being sent sit below it, outside the live region, so they
 * are not announced twice.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../../shared/protocol";
import type { PendingMessage } from "./session-connection";
import { linkify } from "./linkify";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === "link" ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

export interface TranscriptProps {
  messages: ChatMessage[];
  pending: PendingMessage[];
  synced: boolean;
  /** Whose messages are "mine" (shown on the right). */
  me: "patron" | "librarian";
  myName: string;
  label: string;
}

export function Transcript({ messages, pending, synced, me, myName, label }: TranscriptProps) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, pending.length]);
  if (!synced) return <p class="transcript-loading">Loading the conversation…</p>;
  return (
    <div class="transcript">
      <div role="log" aria-label={label} class="messages">
        {messages.map((m) => (
          <div key={m.seq} class={`msg msg-${m.author.role}${m.author.role === me ? " msg-mine" : ""}`} data-seq={m.seq}>
            {m.kind === "system" ? (
              <p class="msg-system">
                <MessageText text={m.body} /> <time dateTime={new Date(m.at).toISOString()}>{timeFormat.format(m.at)}</time>
              </p>
            ) : (
              <>
                <p class="msg-meta">
                  <span class="msg-author">{m.author.name}</span> <time dateTime={new Date(m.at).toISOString()}>{timeFormat.format(m.at)}</time>
                  {m.whileWaiting && m.seq > 1 ? <span class="msg-tag"> (while waiting)</span> : null}
                </p>
                <p class="msg-body">
                  <MessageText text={m.body} />
                </p>
              </>
            )}
          </div>
        ))}
      </div>
      {pending.length > 0 ? (
        <div class="pending" aria-label="Messages being sent">
          {pending.map((p) => (
            <div key={p.clientId} class="msg msg-mine msg-pending">
              <p class="msg-meta">
                <span class="msg-author">{myName}</span> <span class="msg-status">Sending…</span>
              </p>
              <p class="msg-body">
                <MessageText text={p.body} />
              </p>
            </div>
          ))}
        </div>
      ) : null}
      <div ref={end} />
    </div>
  );
}
