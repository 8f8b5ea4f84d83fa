/**
 * The message list: a role="log" live region. It is mounted only once the
 * backlog has arrived (`synced`), so a screen reader announces each new
 * message once and never reads out the whole history after a reload.
 * Messages still being sent sit below it, outside the live region, so they
 * are not announced twice.
 *
 * Who wrote a message shows as the name, isolated (`<bdi>`: nothing in it can
 * reorder the words beside it), then the role marker of its own
 * (src/shared/author-labels.ts): whatever a patron calls themselves, their
 * lines say "Patron". Bodies take their direction from their own first letter.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../../shared/protocol";
import { currentLanguage, shownText, t, timeFormat } from "./i18n";
import type { PendingMessage } from "./session-connection";
import { linkify } from "./linkify";

/** Times in the page's language (made again only when the language changes). */
let times = { language: "", format: timeFormat() };
const formatTime = (at: number) => {
  if (times.language !== currentLanguage()) times = { language: currentLanguage(), format: timeFormat() };
  return times.format.format(at);
};

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
  return <time dateTime={new Date(at).toISOString()}>{formatTime(at)}</time>;
}

/** The author's name and role: "Lisa" and a "Librarian" marker beside it. */
function Author({ name, role }: { name: string; role: "patron" | "librarian" }) {
  return (
    <>
      <bdi class="msg-author">{name}</bdi> <span class="msg-role">{t(role === "patron" ? "transcript.patron" : "transcript.librarian")}</span>
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
  /** Shows a file message (./FileView); without it, a file shows as its name and size. */
  renderFile?: (m: ChatMessage) => preact.ComponentChildren;
}

export function Transcript({ messages, pending, synced, me, myName, label, renderFile }: TranscriptProps) {
  // Scroll the transcript box itself (not scrollIntoView, which would also scroll
  // a host page around the Qwidget).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [messages.length, pending.length, synced]);
  if (!synced) return <p class="transcript-loading">{t("transcript.loading")}</p>;
  return (
    // Focusable, so keyboard users can scroll back through a long conversation.
    <div class="transcript" ref={box} tabIndex={0} role="group" aria-label={t("transcript.scrollable", { label })}>
      <div role="log" aria-label={label} class="messages">
        {messages.map((m) => (
          <div key={m.seq} class={`msg msg-${m.author.role}${m.author.role === me ? " msg-mine" : ""}`} data-seq={m.seq}>
            {m.kind === "system" ? (
              <p class="msg-system">
                <MessageText text={shownText(m)} /> <Stamp at={m.at} />
              </p>
            ) : (
              <>
                <p class="msg-meta">
                  <Author name={m.author.name} role={m.author.role === "librarian" ? "librarian" : "patron"} /> <Stamp at={m.at} />
                  {m.whileWaiting && m.seq > 1 ? <span class="msg-tag"> {t("transcript.whileWaiting")}</span> : null}
                </p>
                {m.kind === "file" && m.file && renderFile ? (
                  <div class="msg-body msg-file">{renderFile(m)}</div>
                ) : (
                  <p class="msg-body" dir="auto">
                    <MessageText text={m.body} />
                  </p>
                )}
              </>
            )}
          </div>
        ))}
      </div>
      {pending.length > 0 ? (
        <div class="pending" role="group" aria-label={t("transcript.beingSent")}>
          {pending.map((p) => (
            <div key={p.clientId} class="msg msg-mine msg-pending">
              <p class="msg-meta">
                <Author name={myName} role={me} /> <span class="msg-status">{t("transcript.sending")}</span>
              </p>
              <p class="msg-body" dir="auto">
                <MessageText text={p.body} />
              </p>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
