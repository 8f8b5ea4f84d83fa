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

function Stamp({ at }: { at: number }) {
  return <time dateTime={new Date(at).toISOString()}>{timeFormat.format(at)}</time>;
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
  // Scroll the transcript box itself (not scrollIntoView, which would also scroll
  // a host page around the Qwidget).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [messages.length, pending.length, synced]);
  if (!synced) return <p class="transcript-loading">Loading the conversation…</p>;
  return (
    // Focusable, so keyboard users can scroll back through a long conversation.
    <div class="transcript" ref={box} tabIndex={0} role="group" aria-label={`${label}, scrollable`}>
      <div role="log" aria-label={label} class="messages">
        {messages.map((m) => (
          <div key={m.seq} class={`msg msg-${m.author.role}${m.author.role === me ? " msg-mine" : ""}`} data-seq={m.seq}>
            {m.kind === "system" ? (
              <p class="msg-system">
                <MessageText text={m.body} /> <Stamp at={m.at} />
              </p>
            ) : (
              <>
                <p class="msg-meta">
                  <span class="msg-author">{m.author.name}</span> <Stamp at={m.at} />
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
        <div class="pending" role="group" aria-label="Messages being sent">
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
    </div>
  );
}
